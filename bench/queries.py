"""Telemetry queries on >= 100 million signal rows: voltvan's query surface against hand SQL.

    python bench/queries.py [--rows 100000000] [--vans 10000] [--work DIR] [--keep]

Generates a fleet day in the storage layout v1 (``signals/date=.../*.parquet`` in long format,
``state/last_state.parquet``) with DuckDB straight to Parquet in chunks of vans, then runs the
TSBS-IoT-style queries two ways over the same files:

* **voltvan** — through ``voltvan.telemetry.open_query`` (the views users get, with the
  ``signals`` view's defensive deduplication) and voltvan's own analytics SQL;
* **limit** — hand-written DuckDB SQL directly over ``read_parquet`` of the same files.

Prints seconds and the ratio voltvan/limit (target <= 1.5x) and the time to read the last known
state of every van from ``state/last_state.parquet`` (target < 50 ms). Writes
``bench/results/queries.csv``. The generated data is deleted at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import csv
import functools
import math
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from voltvan.telemetry import (
    AIR_TEMPERATURE,
    BATTERY_POWER,
    ENERGY_KWH,
    IS_CHARGING,
    LATITUDE,
    LONGITUDE,
    ODOMETER,
    SOC,
    SPEED,
    open_query,
)
from voltvan.telemetry.analytics._charging_detect import (
    ChargingParams,
    all_vans_send_flag,
    sessions_sql,
)
from voltvan.telemetry.analytics._daily import daily_energy_sql, driving_time_sql
from voltvan.telemetry.analytics._trips import fetch_table
from voltvan.telemetry.store._duck import Connection, connect

REPO = Path(__file__).resolve().parents[1]
DAY = "2026-03-02"
HEADING = "Vehicle.CurrentLocation.Heading"
SIGNALS = (SPEED, LATITUDE, LONGITUDE, SOC, ODOMETER, BATTERY_POWER, IS_CHARGING,
           AIR_TEMPERATURE, HEADING, ENERGY_KWH)  # fmt: skip
START_S = 6 * 3600  # vans report from 06:00 to 18:00 UTC
SPAN_S = 12 * 3600
_NAMES = "[" + ", ".join(f"'{n}'" for n in SIGNALS) + "]"  # a DuckDB list of the names


def _values_sql(k_expr: str) -> str:
    """The 10 signal values of van ``v`` at sample ``k`` (a driving/delivery/lunch-charge day)."""
    tod = f"({START_S} + {k_expr} * period)"
    charger = "(v % 5 = 0)"
    lunch = f"({charger} AND {tod} >= 43200 AND {tod} < 45900)"
    moving = f"(NOT {lunch} AND (({tod} + v * 37) % 2100) < 1500)"
    speed = f"CASE WHEN {moving} THEN 30 + 20 * sin(({tod} + v) / 300.0) ELSE 0 END"
    gain = (f"CASE WHEN {charger} AND {tod} >= 45900 THEN 25.0 "
            f"WHEN {lunch} THEN 25.0 * ({tod} - 43200) / 2700.0 ELSE 0 END")  # fmt: skip
    soc = f"greatest(1.0, 95.0 - (50 + v % 40) * {k_expr} / n_k + {gain})"
    power = f"CASE WHEN {lunch} THEN 22000.0 WHEN {moving} THEN -400.0 * ({speed}) ELSE -300.0 END"
    return f"""[{speed}, 52.40 + (v % 100) / 500.0 + {k_expr} * 1e-5,
        13.20 + (v // 100) / 500.0 + {k_expr} * 1e-5, {soc},
        10000000 + v * 1000 + floor({k_expr} * period * 8.0),
        {power}, CASE WHEN {lunch} THEN 1.0 ELSE 0.0 END, 8 + 4 * sin({tod} / 7000.0),
        ({k_expr} * 7 + v) % 360, 0.75 * ({soc})]"""


def van_day_copy_sql(day: str, first: int, last: int, n_k: int, path: Path) -> str:
    """COPY of the samples of vans ``first`` to ``last - 1`` on ``day`` (``n_k`` of each signal,
    06:00 to 18:00 UTC) to one Parquet file, sorted as the store writes: the van day this bench
    and ``lake.py`` generate."""
    return f"""
        COPY (
            SELECT printf('van-%05d', v) AS vehicle_id,
                TIMESTAMPTZ '{day} 00:00:00+00' + to_microseconds(
                    CAST(({START_S} + k * period) * 1e6 AS BIGINT)) AS ts,
                unnest({_NAMES}) AS name, unnest({_values_sql("k")}) AS value,
                NULL::VARCHAR AS value_text,
                TIMESTAMPTZ '{day} 18:00:00+00' AS ingested_at
            FROM (SELECT v, k, {SPAN_S / n_k} AS period, {n_k} AS n_k
                  FROM range({first}, {last}) r(v), range({n_k}) s(k))
            ORDER BY vehicle_id, ts
        ) TO '{path}' (FORMAT parquet, COMPRESSION zstd)
    """


def generate(work: Path, rows: int, vans: int, console: Console) -> tuple[int, float]:
    """Write the signals and the last-state file; returns (rows written, bytes on disk)."""
    n_k = max(2, rows // (vans * len(SIGNALS)))
    period = SPAN_S / n_k
    out = work / "signals" / f"date={DAY}"
    out.mkdir(parents=True)
    con = connect()
    chunk = max(1, 5_000_000 // (n_k * len(SIGNALS)))
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task(f"generating {vans * n_k * len(SIGNALS):,} rows", total=vans)
        for first in range(0, vans, chunk):
            last = min(vans, first + chunk)
            con.execute(van_day_copy_sql(DAY, first, last, n_k, out / f"part-{first:05d}.parquet"))
            progress.update(task, completed=last)
    state = work / "state"
    state.mkdir()
    con.execute(f"""
        COPY (
            SELECT printf('van-%05d', v) AS vehicle_id, unnest({_NAMES}) AS name,
                TIMESTAMPTZ '{DAY} 00:00:00+00' + to_microseconds(
                    CAST(({START_S} + (n_k - 1) * period) * 1e6 AS BIGINT)) AS ts,
                unnest({_values_sql("(n_k - 1)")}) AS value, NULL::VARCHAR AS value_text,
                TIMESTAMPTZ '{DAY} 18:00:00+00' AS ingested_at
            FROM (SELECT v, {period} AS period, {n_k} AS n_k FROM range({vans}) r(v))
        ) TO '{state / "last_state.parquet"}' (FORMAT parquet)
    """)
    total = con.execute(f"SELECT count(*) FROM read_parquet('{out}/*.parquet')").fetchone()
    size = sum(p.stat().st_size for p in work.rglob("*.parquet"))
    return int(total[0]) if total else 0, float(size)


def _raw(work: Path) -> str:
    return f"read_parquet('{work}/signals/date=*/*.parquet')"


Query = str | Callable[[Connection], list[Any]]


def queries(work: Path) -> list[tuple[str, Query, str]]:
    """(name, voltvan SQL over the views, hand SQL over the Parquet files)."""
    raw = _raw(work)
    state = f"read_parquet('{work}/state/last_state*.parquet')"
    ten_min = (f"ts > (SELECT max(ts) FROM {{src}} WHERE name = '{SPEED}') "
               "- INTERVAL 10 MINUTE")  # fmt: skip
    chg = ChargingParams()
    return [
        (
            "last location of every van (signals view)",
            f"""SELECT vehicle_id, arg_max(value, ts) FILTER (WHERE name = '{LATITUDE}') AS lat,
                arg_max(value, ts) FILTER (WHERE name = '{LONGITUDE}') AS lon
                FROM signals WHERE name IN ('{LATITUDE}', '{LONGITUDE}') GROUP BY vehicle_id""",
            f"""SELECT vehicle_id, arg_max(value, ts) FILTER (WHERE name = '{LATITUDE}') AS lat,
                arg_max(value, ts) FILTER (WHERE name = '{LONGITUDE}') AS lon
                FROM {raw} WHERE name IN ('{LATITUDE}', '{LONGITUDE}') GROUP BY vehicle_id""",
        ),
        (
            "  same via signals_all view",
            f"""SELECT vehicle_id, arg_max(value, ts) FILTER (WHERE name = '{LATITUDE}') AS lat,
                arg_max(value, ts) FILTER (WHERE name = '{LONGITUDE}') AS lon
                FROM signals_all WHERE name IN ('{LATITUDE}', '{LONGITUDE}')
                GROUP BY vehicle_id""",
            f"""SELECT vehicle_id, arg_max(value, ts) FILTER (WHERE name = '{LATITUDE}') AS lat,
                arg_max(value, ts) FILTER (WHERE name = '{LONGITUDE}') AS lon
                FROM {raw} WHERE name IN ('{LATITUDE}', '{LONGITUDE}') GROUP BY vehicle_id""",
        ),
        (
            "vans below 20 % SoC (last state)",
            f"SELECT vehicle_id, value FROM last_state WHERE name = '{SOC}' AND value < 20",
            f"SELECT vehicle_id, value FROM {state} WHERE name = '{SOC}' AND value < 20",
        ),
        (
            "stationary vans, last 10 min (signals view)",
            f"""SELECT vehicle_id FROM signals WHERE name = '{SPEED}'
                AND {ten_min.format(src="signals")}
                GROUP BY vehicle_id HAVING max(value) < 1""",
            f"""SELECT vehicle_id FROM {raw} WHERE name = '{SPEED}'
                AND {ten_min.format(src=raw)}
                GROUP BY vehicle_id HAVING max(value) < 1""",
        ),
        (
            "  same via signals_all view",
            f"""SELECT vehicle_id FROM signals_all WHERE name = '{SPEED}'
                AND {ten_min.format(src="signals_all")}
                GROUP BY vehicle_id HAVING max(value) < 1""",
            f"""SELECT vehicle_id FROM {raw} WHERE name = '{SPEED}'
                AND {ten_min.format(src=raw)}
                GROUP BY vehicle_id HAVING max(value) < 1""",
        ),
        (
            "daily driving time per van",
            driving_time_sql(),
            f"""SELECT vehicle_id, CAST(ts AS DATE) AS day,
                sum(CASE WHEN v > 1 AND dt <= 600 THEN dt ELSE 0 END) AS driving_s
                FROM (SELECT vehicle_id, ts, value / 3.6 AS v,
                        epoch(lead(ts) OVER (PARTITION BY vehicle_id ORDER BY ts)) - epoch(ts)
                        AS dt FROM {raw} WHERE name = '{SPEED}') GROUP BY ALL""",
        ),
        (
            "energy per km per van per day",
            daily_energy_sql(),
            f"""WITH d AS (SELECT vehicle_id, CAST(ts AS DATE) AS day, name,
                    value - lag(value) OVER (PARTITION BY vehicle_id, name ORDER BY ts) AS dv
                    FROM {raw} WHERE name IN ('{ODOMETER}', '{ENERGY_KWH}', '{SOC}'))
                SELECT vehicle_id, day, sum(dv) FILTER (WHERE name = '{ODOMETER}') AS m,
                    -1000 * sum(dv) FILTER (WHERE name = '{ENERGY_KWH}' AND dv < 0) AS wh,
                    -sum(dv) FILTER (WHERE name = '{SOC}' AND dv < 0) AS soc_drop_pct,
                    -1e6 * sum(dv) FILTER (WHERE name = '{ENERGY_KWH}' AND dv < 0)
                    / nullif(sum(dv) FILTER (WHERE name = '{ODOMETER}'), 0) AS wh_per_km
                FROM d GROUP BY ALL""",
        ),
        (
            "charging sessions per day",
            lambda con: con.execute(
                f"""SELECT CAST(start_ts AS DATE) AS day, count(*) AS sessions,
                    avg(end_soc_pct - start_soc_pct) AS soc_gain, avg(power_wh) AS wh,
                    avg(kwh_wh) AS kwh_wh, max(peak_power_w) AS peak_w
                FROM ({sessions_sql(chg, flag_only=all_vans_send_flag(con))}) GROUP BY ALL"""
            ).fetchall(),
            f"""WITH c AS (SELECT vehicle_id, ts, value > 0.5 AS on_,
                    lag(value > 0.5) OVER (PARTITION BY vehicle_id ORDER BY ts) AS prev,
                    lead(ts) OVER (PARTITION BY vehicle_id ORDER BY ts) AS next_ts
                    FROM {raw} WHERE name = '{IS_CHARGING}'),
                g AS (SELECT *, sum(CASE WHEN on_ IS DISTINCT FROM prev THEN 1 ELSE 0 END)
                    OVER (PARTITION BY vehicle_id ORDER BY ts) AS run FROM c),
                s AS (SELECT vehicle_id, min(ts) AS t0, max(coalesce(next_ts, ts)) AS t1
                    FROM g WHERE on_ GROUP BY vehicle_id, run),
                d AS (SELECT s.vehicle_id, s.t0, r.ts, r.name, r.value,
                    epoch(lead(r.ts) OVER (PARTITION BY s.vehicle_id, s.t0, r.name
                        ORDER BY r.ts)) - epoch(r.ts) AS dt
                    FROM s JOIN {raw} r ON r.vehicle_id = s.vehicle_id AND r.ts >= s.t0
                    AND r.ts <= s.t1 AND r.name IN ('{SOC}', '{BATTERY_POWER}', '{ENERGY_KWH}')),
                e AS (SELECT vehicle_id, t0,
                    arg_max(value, ts) FILTER (WHERE name = '{SOC}')
                      - arg_min(value, ts) FILTER (WHERE name = '{SOC}') AS gain,
                    sum(greatest(value, 0) * coalesce(dt, 0))
                      FILTER (WHERE name = '{BATTERY_POWER}') / 3600 AS wh,
                    1000 * (arg_max(value, ts) FILTER (WHERE name = '{ENERGY_KWH}')
                      - arg_min(value, ts) FILTER (WHERE name = '{ENERGY_KWH}')) AS kwh_wh,
                    max(value) FILTER (WHERE name = '{BATTERY_POWER}') AS peak_w
                    FROM d GROUP BY ALL)
                SELECT CAST(t0 AS DATE) AS day, count(*) AS sessions, avg(gain), avg(wh),
                    avg(kwh_wh), max(peak_w)
                FROM e GROUP BY ALL""",
        ),
    ]


def _same(a: list[Any], b: list[Any]) -> bool:
    """Same rows, in any order; floats equal to 1e-9 relative (parallel sums differ in order)."""
    if len(a) != len(b):
        return False

    def key(r: Any) -> str:
        return repr(tuple(v for v in r if not isinstance(v, float)))

    for x, y in zip(sorted(a, key=key), sorted(b, key=key), strict=True):
        if len(x) != len(y):
            return False
        for u, v in zip(x, y, strict=True):
            if isinstance(u, float) and isinstance(v, float):
                if not math.isclose(u, v, rel_tol=1e-9, abs_tol=1e-6):
                    return False
            elif u != v:
                return False
    return True


def _run_query(con: Connection, query: Query) -> list[Any]:
    return con.execute(query).fetchall() if isinstance(query, str) else query(con)


def _time(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def _time_pair(
    ours: Callable[[], Any], hand: Callable[[], Any], repeat: int
) -> tuple[tuple[float, Any], tuple[float, Any]]:
    """Both queries' median seconds and result, run in turns (ours first, then hand first).

    On a shared machine the load drifts over a query's repeats; in turns both sides see the
    same drift, which otherwise moved the ratio of two identical plans between 0.7x and 1.8x.
    """
    runs = {"ours": ours, "hand": hand}
    times: dict[str, list[float]] = {"ours": [], "hand": []}
    results: dict[str, Any] = {}
    for k in range(repeat):
        for side in ("ours", "hand") if k % 2 == 0 else ("hand", "ours"):
            t0 = time.perf_counter()
            results[side] = runs[side]()
            times[side].append(time.perf_counter() - t0)
    return (
        (statistics.median(times["ours"]), results["ours"]),
        (statistics.median(times["hand"]), results["hand"]),
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rows", type=int, default=100_000_000, help="signal rows to generate")
    ap.add_argument("--vans", type=int, default=10_000, help="number of vans")
    ap.add_argument(
        "--work", type=Path, default=None,
        help="where to generate (default: tmp); a folder kept by --keep is reused as is",
    )  # fmt: skip
    ap.add_argument("--repeat", type=int, default=3, help="runs per query (median is shown)")
    ap.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: all)")
    ap.add_argument("--keep", action="store_true", help="keep the generated data")
    ap.add_argument("--only", default="", help="run only queries whose name contains this")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results")
    args = ap.parse_args(argv)
    console = Console()
    work = args.work or Path(tempfile.mkdtemp(prefix="voltvan-bench-queries-"))
    reuse = args.work is not None and (work / "signals").is_dir()
    if args.work is not None and work.exists() and any(work.iterdir()) and not reuse:
        console.print(f"[red]{work} is not empty; give an empty or new --work[/]")
        return 2
    try:
        t0 = time.perf_counter()
        if reuse:  # data of an earlier --keep run
            con = connect()
            n = con.execute(f"SELECT count(*) FROM {_raw(work)}").fetchall()[0][0]
            rows, size = int(n), float(sum(p.stat().st_size for p in work.rglob("*.parquet")))
        else:
            rows, size = generate(work, args.rows, args.vans, console)
        gen_s = time.perf_counter() - t0
        console.print(f"generated {rows:,} rows for {args.vans:,} vans in {gen_s:.0f} s: "
                      f"{size / 1e9:.2f} GB of Parquet (zstd) in {work}")  # fmt: skip
        return _run(work, rows, size, args, console)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def _run(work: Path, rows: int, size: float, args: argparse.Namespace, console: Console) -> int:
    vv = open_query(work, threads=args.threads)
    limit = connect(threads=args.threads)
    table = Table(title=f"Telemetry queries on {rows:,} signal rows ({args.vans:,} vans)")
    for col in ("query", "voltvan s", "limit s", "ratio", "result rows", "same result"):
        table.add_column(col, justify="left" if col == "query" else "right")
    out: list[dict[str, object]] = []
    for name, ours, hand in queries(work):
        if args.only not in name:
            continue
        (t_ours, r_ours), (t_hand, r_hand) = _time_pair(
            functools.partial(_run_query, vv, ours),
            functools.partial(_run_query, limit, hand),
            args.repeat,
        )
        same = _same(r_ours, r_hand)
        ratio = t_ours / t_hand if t_hand > 0 else math.inf
        table.add_row(name, f"{t_ours:.3f}", f"{t_hand:.3f}", f"{ratio:.2f}x",
                      f"{len(r_ours):,}", "yes" if same else "NO")  # fmt: skip
        out.append({"query": name, "voltvan_s": t_ours, "limit_s": t_hand, "ratio": ratio,
                    "rows": len(r_ours), "same_result": same})  # fmt: skip
    t_state, state = _time(
        lambda: fetch_table(vv, "SELECT vehicle_id, name, ts, value FROM last_state"),
        max(5, args.repeat),
    )
    vans = len(set(state.column("vehicle_id").to_pylist()))
    table.add_row(f"last known state ({vans:,} vans)", f"{t_state * 1000:.1f} ms", "", "",
                  f"{state.num_rows:,}", "")  # fmt: skip
    out.append({"query": "last known state", "voltvan_s": t_state, "limit_s": "",
                "ratio": "", "rows": state.num_rows, "same_result": ""})  # fmt: skip
    console.print(table)
    console.print(f"data: {size / 1e9:.2f} GB Parquet; last state target < 50 ms: "
                  f"{'met' if t_state < 0.05 else 'MISSED'}")  # fmt: skip
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "queries.csv"
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(out[0]))
        w.writeheader()
        w.writerows(out)
    console.print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
