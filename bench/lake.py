"""The derived tables and fleet queries on DuckDB and on Spark (local[2]) over one lake.

    python bench/lake.py [--rows 10M] [--rows 100M ...] [--engine duckdb|spark|both]
                         [--vans N] [--days 3] [--work DIR] [--keep]

Generates a fleet of ``--rows`` signal rows (``10M``, ``100M``, ``1B`` or a number) over several
days in the storage layout v1, streamed to Parquet in chunks of vans (DuckDB, bounded memory;
deleted at the end unless ``--keep``), then, each engine in its own process so that its peak
memory is its own:

* **derive** — trips, stops, charging sessions, daily energy of all days, written to the lake;
* **fleet queries** — driving time and distance/energy per van and day straight from the raw
  signals (``driving_time_sql``, ``daily_energy_sql``: the same SQL text on both engines).

Prints seconds, signal rows per second (in all and per core), peak memory (resident memory of
the engine's process and all its children: Spark's JVM and Python workers), the load average
around each run (the machine may be shared) and the ratio Spark/DuckDB; the crossover is the
size where that ratio falls under 1. ``--engine`` runs one engine alone, for sizes where both do
not fit the time at hand. Appends to ``bench/results/lake.csv``.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import re
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
#: Rows per generated Parquet file (one COPY, sorted in memory: this bounds generation's memory).
CHUNK_ROWS = 5_000_000
#: Lake bytes per signal row (zstd Parquet of this generator, measured), for the space check.
BYTES_PER_ROW = 4.0
SUFFIX = {"K": 10**3, "M": 10**6, "B": 10**9, "G": 10**9}


def row_count(text: str) -> int:
    """``10M``, ``100M``, ``1B``, ``2500000`` or ``2_500_000`` as a number of rows."""
    m = re.fullmatch(r"\s*([0-9][0-9_]*)\s*([KkMmBbGg]?)\s*", text)
    if m is None or int(m.group(1)) <= 0:
        raise argparse.ArgumentTypeError(f"--rows {text!r}: want a count such as 10M, 1B, 250000")
    return int(m.group(1)) * SUFFIX.get(m.group(2).upper(), 1)


def generate(work: Path, rows: int, vans: int, days: int) -> int:
    """Write ``days`` fleet days (the queries bench's van day, repeated) and the last state,
    one Parquet file per chunk of vans and day, with a progress bar."""
    sys.path.insert(0, str(REPO / "bench"))
    from rich.progress import MofNCompleteColumn, Progress, TimeRemainingColumn

    from queries_fleet_day import SIGNALS, van_day_copy_sql
    from voltvan.telemetry.store._duck import connect

    n_k = max(2, rows // (vans * days * len(SIGNALS)))
    chunk = max(1, CHUNK_ROWS // (n_k * len(SIGNALS)))
    con = connect()
    con.execute("SET memory_limit = '2GB'")  # spills rather than taking the machine
    per_van_day = n_k * len(SIGNALS)
    columns = (*Progress.get_default_columns()[:-1], MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns) as bar:
        task = bar.add_task("generating rows", total=per_van_day * vans * days)
        for d in range(days):
            day = con.execute(f"SELECT (DATE '{DAY0}' + {d})::VARCHAR").fetchall()[0][0]
            out = work / "signals" / f"date={day}"
            out.mkdir(parents=True)
            for first in range(0, vans, chunk):
                last = min(vans, first + chunk)
                path = out / f"part-{first:05d}.parquet"
                con.execute(van_day_copy_sql(day, first, last, n_k, path))
                bar.advance(task, per_van_day * (last - first))
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


def cores(engine: str, master: str) -> int:
    """Cores the engine may use: DuckDB's threads (all of the machine's), Spark's local[N]."""
    if engine == "duckdb":
        return os.cpu_count() or 1
    m = re.fullmatch(r"local\[(\d+|\*)(,\d+)?\]", master)
    if m is None:
        return 0  # a cluster: its cores are not this machine's
    return (os.cpu_count() or 1) if m.group(1) == "*" else int(m.group(1))


def run_engine(
    engine: str, work: Path, battery_wh: float, master: str, conf: dict[str, str]
) -> dict[str, Any]:
    """Time derive and the fleet queries on one engine (called in a child process)."""
    from voltvan.telemetry.analytics import daily_energy_sql, driving_time_sql

    mem = PeakMemory()
    out: dict[str, Any] = {"engine": engine, "load_before": os.getloadavg()[0]}
    caps = dict.fromkeys((f"van-{v:05d}" for v in range(100_000)), battery_wh)
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
        spark = spark_session(master, conf)
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
    out["load_after"] = os.getloadavg()[0]
    return out


def _child(engine: str, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", engine, "--work", str(work),
           "--battery-wh", str(args.battery_wh), "--spark-master", args.spark_master,
           *(f"--spark-conf={kv}" for kv in args.spark_conf)]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{engine} failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def check_space(base: Path, rows: int) -> None:
    """Refuse to start a lake that would not fit (with room for Spark's shuffle files)."""
    need = rows * BYTES_PER_ROW * 3
    free = shutil.disk_usage(base).free
    if need > free:
        raise SystemExit(
            f"--rows {rows:,}: the lake needs about {rows * BYTES_PER_ROW / 1e9:.1f} GB and "
            f"the engines' spill files about twice that, {free / 1e9:.1f} GB free under {base}"
        )


def report(n: int, cores_by: dict[str, int], by_engine: dict[str, dict[str, Any]]) -> None:
    for e, r in by_engine.items():
        rate, c = n / r["derive_s"], cores_by[e] or 1
        print(f"  {e:6s} derive {r['derive_s']:8.1f} s ({rate:>11,.0f} rows/s, "
              f"{rate / c:>9,.0f} per core)  queries {r['queries_s']:7.1f} s "
              f"({n / r['queries_s']:>11,.0f} rows/s)  start {r['start_s']:5.1f} s  "
              f"peak {r['peak_mb']:7,.0f} MB  "
              f"load {r['load_before']:.1f}->{r['load_after']:.1f}")  # fmt: skip
    if len(by_engine) == 2:
        d, s = by_engine["duckdb"], by_engine["spark"]
        if d["rows"] != s["rows"]:
            print(f"  row counts differ: duckdb {d['rows']}, spark {s['rows']}")
        print(f"  spark/duckdb: derive {s['derive_s'] / d['derive_s']:.2f}x, "
              f"queries {s['queries_s'] / d['queries_s']:.2f}x, "
              f"peak memory {s['peak_mb'] / d['peak_mb']:.2f}x", flush=True)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=row_count, action="append", help="10M, 100M, 1B (repeatable)")
    ap.add_argument("--engine", choices=["duckdb", "spark", "both"], default="both")
    ap.add_argument("--days", type=int, default=3)
    ap.add_argument("--vans", type=int, help="default: one per 10,000 rows, at most 10,000")
    ap.add_argument("--work", type=Path, help="where to generate (default: a temp folder)")
    ap.add_argument("--keep", action="store_true", help="keep the generated lake")
    ap.add_argument("--spark-master", default="local[2]")
    ap.add_argument("--spark-conf", action="append", default=[], metavar="KEY=VALUE")
    ap.add_argument("--child", choices=["duckdb", "spark"], help=argparse.SUPPRESS)
    ap.add_argument("--battery-wh", type=float, default=75_000.0, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    conf = dict(kv.split("=", 1) for kv in args.spark_conf)
    if args.child:  # the process of one engine
        print(json.dumps(run_engine(args.child, args.work, args.battery_wh,
                                    args.spark_master, conf)))  # fmt: skip
        return 0
    engines = ["duckdb", "spark"] if args.engine == "both" else [args.engine]
    cores_by = {e: cores(e, args.spark_master) for e in engines}
    results = []
    for rows in args.rows or [10_000_000]:
        vans = args.vans or max(10, min(10_000, rows // 10_000))
        base = args.work or Path(tempfile.mkdtemp(prefix="voltvan-lake-"))
        base.mkdir(parents=True, exist_ok=True)
        work = base / f"rows-{rows}"
        if not work.exists():
            check_space(base, rows)
            t = time.perf_counter()
            n = generate(work, rows, vans, args.days)
            size = sum(f.stat().st_size for f in work.rglob("*.parquet"))
            print(f"generated {n:,} rows ({vans:,} vans, {args.days} days, {size / 1e6:,.0f} MB)"
                  f" in {time.perf_counter() - t:.0f} s", flush=True)  # fmt: skip
        else:
            n = rows
        try:
            by_engine = {e: _child(e, work, args) for e in engines}
        finally:
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
        report(n, cores_by, by_engine)
        for e, r in by_engine.items():
            rate = n / r["derive_s"]
            results.append({"signal_rows": n, "vans": vans, "days": args.days, "cores": cores_by[e],
                            **{k: v for k, v in r.items() if k != "rows"},
                            "derive_rows_per_s": rate,
                            "derive_rows_per_s_core": rate / (cores_by[e] or 1),
                            "derived_rows": sum(r["rows"].values())})  # fmt: skip
    write_results(REPO / "bench" / "results" / "lake.csv", results)
    return 0


def write_results(out: Path, results: list[dict[str, Any]]) -> None:
    """Append to the CSV (runs of one engine at a time add up); a new header starts it anew."""
    fields = list(results[0])
    out.parent.mkdir(exist_ok=True)
    with contextlib.suppress(FileNotFoundError), out.open() as fh:
        if next(csv.reader(fh), None) != fields:
            out.unlink()
    new = not out.exists()
    with out.open("a", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        if new:
            w.writeheader()
        w.writerows(results)


if __name__ == "__main__":
    sys.exit(main())
