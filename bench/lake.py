"""The derived tables and fleet queries on DuckDB and on Spark (local[2]) over one lake.

    python bench/lake.py [--rows 10000000] [--rows 100000000 ...] [--vans N] [--work DIR]

Generates a fleet of ``--rows`` signal rows over several days in the storage layout v1 (never
kept unless ``--keep``), then, each engine in its own process so that peak memory is its own:

* **derive** — trips, stops, charging sessions, daily energy of all days, written to the lake;
* **fleet queries** — driving time and distance/energy per van and day straight from the raw
  signals (``driving_time_sql``, ``daily_energy_sql``: the same SQL text on both engines).

Prints seconds, signal rows per second, peak memory (the process and its children: Spark's JVM
and Python workers) and the ratio Spark/DuckDB per row count; the crossover is the size where
that ratio falls under 1. Writes ``bench/results/lake.csv``.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DAY0 = "2026-03-02"
START_S, SPAN_S = 6 * 3600, 12 * 3600


def generate(work: Path, rows: int, vans: int, days: int) -> int:
    """Write ``days`` fleet days (the queries bench's van day, repeated) and the last state."""
    sys.path.insert(0, str(REPO / "bench"))
    from queries import SIGNALS, _values_sql
    from voltvan.telemetry.store._duck import connect

    n_k = max(2, rows // (vans * days * len(SIGNALS)))
    period = SPAN_S / n_k
    names = "[" + ", ".join(f"'{n}'" for n in SIGNALS) + "]"
    chunk = max(1, 5_000_000 // (n_k * len(SIGNALS)))
    con = connect()
    for d in range(days):
        day = con.execute(f"SELECT (DATE '{DAY0}' + {d})::VARCHAR").fetchall()[0][0]
        out = work / "signals" / f"date={day}"
        out.mkdir(parents=True)
        for first in range(0, vans, chunk):
            last = min(vans, first + chunk)
            con.execute(f"""
                COPY (
                    SELECT printf('van-%05d', v) AS vehicle_id,
                        TIMESTAMPTZ '{day} 00:00:00+00' + to_microseconds(
                            CAST(({START_S} + k * period) * 1e6 AS BIGINT)) AS ts,
                        unnest({names}) AS name, unnest({_values_sql("k")}) AS value,
                        NULL::VARCHAR AS value_text,
                        TIMESTAMPTZ '{day} 18:00:00+00' AS ingested_at
                    FROM (SELECT v, k, {period} AS period, {n_k} AS n_k
                          FROM range({first}, {last}) r(v), range({n_k}) s(k))
                    ORDER BY vehicle_id, ts
                ) TO '{out / f"part-{first:05d}.parquet"}' (FORMAT parquet, COMPRESSION zstd)
            """)
    state = work / "state"
    state.mkdir()
    con.execute(f"""
        COPY (SELECT vehicle_id, name, max(ts) AS ts, arg_max(value, ts) AS value,
                NULL::VARCHAR AS value_text, max(ingested_at) AS ingested_at
              FROM read_parquet('{work}/signals/date=*/*.parquet') GROUP BY ALL)
        TO '{state / "last_state.parquet"}' (FORMAT parquet)
    """)
    got = con.execute(f"SELECT count(*) FROM read_parquet('{work}/signals/*/*.parquet')")
    return int(got.fetchall()[0][0])


class PeakMemory:
    """Largest resident memory of this process and all its children, sampled every 0.2 s."""

    def __init__(self) -> None:
        import psutil

        self._me = psutil.Process()
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            total = 0
            for p in [self._me, *self._me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    total += p.memory_info().rss
            self.peak = max(self.peak, total)
            self._stop.wait(0.2)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def run_engine(engine: str, work: Path, battery_wh: float) -> dict[str, Any]:
    """Time derive and the fleet queries on one engine (called in a child process)."""
    from voltvan.telemetry.analytics import daily_energy_sql, driving_time_sql

    mem = PeakMemory()
    out: dict[str, Any] = {"engine": engine}
    vans = [f"van-{v:05d}" for v in range(100_000)]
    caps = dict.fromkeys(vans, battery_wh)
    if engine == "duckdb":
        from voltvan.telemetry import derive, open_query

        t = time.perf_counter()
        summary = derive(work, battery_wh=caps)
        out["derive_s"] = time.perf_counter() - t
        con = open_query(work)
        t = time.perf_counter()
        for sql in (driving_time_sql(), daily_energy_sql()):
            con.execute(f"SELECT count(*) FROM ({sql})").fetchall()
        out["queries_s"] = time.perf_counter() - t
        out["start_s"] = 0.0
    else:
        from voltvan.telemetry.spark import derive_spark, spark_session
        from voltvan.telemetry.spark._dialect import to_spark
        from voltvan.telemetry.spark._lake import register_signals

        t = time.perf_counter()
        spark = spark_session("local[2]", {"spark.driver.memory": "6g"})
        out["start_s"] = time.perf_counter() - t
        t = time.perf_counter()
        summary = derive_spark(work, battery_wh=caps, spark=spark)  # type: ignore[assignment]
        out["derive_s"] = time.perf_counter() - t
        spark.catalog.clearCache()
        t = time.perf_counter()
        register_signals(spark, str(work))
        for sql in (driving_time_sql(), daily_energy_sql()):
            spark.sql(f"SELECT count(*) FROM ({to_spark(sql)})").collect()
        out["queries_s"] = time.perf_counter() - t
        spark.stop()
    out["rows"] = dict(summary.rows)
    out["peak_mb"] = mem.stop() / 1e6
    return out


def _child(engine: str, work: Path, battery_wh: float) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--engine", engine, "--work", str(work),
           "--battery-wh", str(battery_wh)]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{engine} failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, action="append", help="signal rows (repeatable)")
    ap.add_argument("--days", type=int, default=3)
    ap.add_argument("--vans", type=int, help="default: one per 10,000 rows, at most 10,000")
    ap.add_argument("--work", type=Path, help="where to generate (default: a temp folder)")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--engine", choices=["duckdb", "spark"], help=argparse.SUPPRESS)
    ap.add_argument("--battery-wh", type=float, default=75_000.0, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.engine:  # the child process of one engine
        print(json.dumps(run_engine(args.engine, args.work, args.battery_wh)))
        return 0
    results = []
    for rows in args.rows or [10_000_000]:
        vans = args.vans or max(10, min(10_000, rows // 10_000))
        base = args.work or Path(tempfile.mkdtemp(prefix="voltvan-lake-"))
        work = base / f"rows-{rows}"
        if not work.exists():
            t = time.perf_counter()
            n = generate(work, rows, vans, args.days)
            print(f"generated {n:,} rows ({vans:,} vans, {args.days} days) "
                  f"in {time.perf_counter() - t:.0f} s", flush=True)  # fmt: skip
        else:
            n = rows
        try:
            by_engine = {e: _child(e, work, args.battery_wh) for e in ("duckdb", "spark")}
        finally:
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
        if by_engine["duckdb"]["rows"] != by_engine["spark"]["rows"]:
            print(f"  row counts differ: {by_engine}", flush=True)
        for e, r in by_engine.items():
            results.append({"signal_rows": n, "vans": vans, **{k: v for k, v in r.items()
                            if k != "rows"}, "derived_rows": sum(r["rows"].values())})  # fmt: skip
            derive_rate, query_rate = n / r["derive_s"], n / r["queries_s"]
            print(f"  {e:6s} derive {r['derive_s']:8.1f} s ({derive_rate:>11,.0f} rows/s)"
                  f"  queries {r['queries_s']:7.1f} s ({query_rate:>11,.0f} rows/s)"
                  f"  start {r['start_s']:5.1f} s  peak {r['peak_mb']:7,.0f} MB")  # fmt: skip
        d, s = by_engine["duckdb"], by_engine["spark"]
        print(f"  spark/duckdb: derive {s['derive_s'] / d['derive_s']:.2f}x, "
              f"queries {s['queries_s'] / d['queries_s']:.2f}x, "
              f"peak memory {s['peak_mb'] / d['peak_mb']:.2f}x", flush=True)  # fmt: skip
    out = REPO / "bench" / "results" / "lake.csv"
    out.parent.mkdir(exist_ok=True)
    with out.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(results[0]))
        w.writeheader()
        w.writerows(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
