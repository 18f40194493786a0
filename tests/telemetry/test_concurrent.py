"""Readers work while an ingest writer in another process keeps writing."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

from tests.telemetry.broker import REPO
from voltvan.telemetry import open_query

WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from tests.telemetry.test_store import batch_of
    from voltvan.telemetry import open_store
    with open_store(Path(sys.argv[1])) as store:
        print("open", flush=True)
        for k in range(int(sys.argv[2])):
            store.write(batch_of(k * 5, 5, vehicle="V%d" % (k % 4)))
            time.sleep(0.01)
    print("done", flush=True)
    """
)


def test_queries_run_while_another_process_writes(tmp_path: Path) -> None:
    """Counts seen by a reader only grow, never error, and end at the full total."""
    batches = 40
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path), str(batches)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "open"
    seen: list[int] = []
    while proc.poll() is None:
        con = open_query(tmp_path)
        row = con.execute("SELECT count(*) FROM signals").fetchone()
        state = con.execute("SELECT count(*) FROM last_state").fetchone()
        assert row is not None and state is not None
        seen.append(int(row[0]))
        con.close()
        time.sleep(0.005)
    assert proc.wait() == 0
    final = open_query(tmp_path).execute("SELECT count(*) FROM signals").fetchone()
    assert final == (batches * 5 * 4,)
    assert seen == sorted(seen) and len(seen) > 3
    assert seen[0] < batches * 20  # the reader really ran during the writes
