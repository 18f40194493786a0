"""The ingest benchmark's subject: ``voltvan ingest`` with N workers, and its exactly-once count.

The worker is run as users run it (the CLI, ``--workers N``), timed until the stored Parquet
files hold every signal, and the stored rows are then counted twice (all, distinct) so that a
fast run that lost or duplicated signals cannot pass.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from ingest_procs import REPO, process_cpu_s, safe_hwm_kb
from ingest_publishers import join_all, publish_all, publishers_cpu_s
from ingest_stream import RECEIVE_MAXIMUM, Stream


def write_fleet(folder: Path, vans: int) -> Path:
    path = folder / "fleet.toml"
    path.write_text(  # a full scenario fleet: the ingest worker reads it with the scenario parser
        'format_version = 1\n[[depots]]\nid = "D1"\nlat = 52.5\nlon = 13.4\n'
        '[[vehicle_types]]\nid = "van"\nbattery_kwh = 64\nmass_kg = 2690\npayload_kg = 1000\n'
        f'volume_m3 = 12.0\n[[vans]]\ntype = "van"\ncount = {vans}\n'
    )
    return path


def run_voltvan(
    port: int, stream: Stream, parts: int, workers: int, folder: Path
) -> dict[str, float]:
    data = folder / f"data-{workers}"
    fleet = write_fleet(folder, stream.vans)
    log = folder / f"worker-{workers}.log"
    # the command users run: `--workers N` starts N processes in one shared subscription
    extra = ["--workers", str(workers), "--client-id", "w"] if workers > 1 else []
    cmd = [
        sys.executable, "-c", "from voltvan.cli import main; main()", "ingest",
        "--mqtt", f"mqtt://127.0.0.1:{port}", "--data", str(data), "--fleet", str(fleet),
        "--receive-maximum", str(RECEIVE_MAXIMUM), *extra,
    ]  # fmt: skip
    with log.open("wb") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=fh, cwd=REPO)
    while log.read_text().count("subscribed to") < workers:
        if proc.poll() is not None:
            raise RuntimeError(log.read_text())
        time.sleep(0.05)
    procs = [(proc, log)]
    pids = _workers(proc.pid, workers)
    cpu0 = sum(process_cpu_s(pid) for pid in pids)  # imports and start-up are not ingest work
    t0, pubs = publish_all(port, stream, parts)
    counted: dict[Path, int] = {}
    total, last_mtime, hwm = 0, t0, 0
    import pyarrow.parquet as pq

    progress_at = time.time()
    while total < stream.total_signals:
        time.sleep(0.1)
        for f in (data / "signals").glob("date=*/*.parquet"):
            if f not in counted:
                counted[f] = pq.read_metadata(f).num_rows
                total += counted[f]
                last_mtime = max(last_mtime, f.stat().st_mtime)
                progress_at = time.time()
        if time.time() - progress_at > 60:
            raise RuntimeError(f"no progress for 60 s at {total} rows; see {procs[0][1]}")
        hwm = max(hwm, sum(safe_hwm_kb(pid) for pid in pids))
        if any(p.poll() is not None for p, _ in procs):
            raise RuntimeError("an ingest worker died: " + procs[0][1].read_text()[-2000:])
    pub_end = join_all(pubs)
    cpu_s = sum(process_cpu_s(pid) for pid in pids) - cpu0
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    text = log.read_text()
    for part in text.split("stopped:")[1:]:
        print("   worker stopped:", part.strip().replace("\n", " ")[:240], flush=True)
    rows, distinct = stored_counts(data)  # after the stop: whatever the workers wrote last
    return {
        "seconds": last_mtime - t0,
        "publish_s": pub_end - t0,
        "hwm_kb": hwm,
        "rows": rows,
        "distinct": distinct,
        "files": len(counted),
        "cpu_s": cpu_s,
        "pub_cpu_s": publishers_cpu_s(pubs),
    }


def stored_counts(data: Path) -> tuple[int, int]:
    """All stored signal rows (duplicates included) and the distinct (vehicle_id, ts, name)."""
    import duckdb

    glob = str(data / "signals" / "date=*" / "*.parquet")
    row = (
        duckdb.connect()
        .execute(
            "SELECT count(*), count(DISTINCT (vehicle_id, ts, name)) FROM read_parquet(?)", [glob]
        )
        .fetchone()
    )
    assert row is not None
    return int(row[0]), int(row[1])


def _workers(pid: int, n: int) -> list[int]:
    """The ingest processes: the one started, or its ``n`` children under ``--workers n``."""
    if n == 1:
        return [pid]
    import psutil

    kids = [c.pid for c in psutil.Process(pid).children()]
    if len(kids) != n:
        raise RuntimeError(f"expected {n} worker processes, found {len(kids)}")
    return kids
