"""Group commit: concurrent HTTP requests share durable writes yet get their own counts."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fastapi.testclient import TestClient

from tests.telemetry.ingest_data import batch_message, stored_rows
from tests.telemetry.test_store import batch_of
from voltvan.telemetry import open_store
from voltvan.web import WebSettings, create_app
from voltvan.web._commit import GroupCommitter


def test_waiting_batches_share_one_write(tmp_path: Path) -> None:
    """Batches submitted while the committer lingers go into one file, each counted alone."""
    committer = GroupCommitter(lambda: open_store(tmp_path), linger_s=0.5)
    futures = [committer.submit(batch_of(0, 2, vehicle=f"V{i}")) for i in range(6)]
    futures.append(committer.submit(batch_of(0, 2, vehicle="V0")))  # a repeat of the first
    results = [f.result(timeout=30) for f in futures]
    committer.close()
    assert [(r.stored, r.duplicates) for r in results] == [(8, 0)] * 6 + [(0, 8)]
    assert len(list((tmp_path / "signals").glob("date=*/*.parquet"))) == 1


def test_a_failing_write_fails_every_waiting_request(tmp_path: Path) -> None:
    """If the store cannot be opened, each request of the group gets the error."""
    (tmp_path / "blocked").write_text("a file where the data directory should be")
    committer = GroupCommitter(lambda: open_store(tmp_path / "blocked"))
    future = committer.submit(batch_of(0, 1))
    assert future.exception(timeout=30) is not None
    committer.close()


def test_concurrent_posts_are_all_stored_once(tmp_path: Path) -> None:
    """Forty parallel POSTs (each van twice): every row stored once, each answer its own."""
    with TestClient(create_app(WebSettings(data_dir=tmp_path))) as client:

        def post(i: int) -> int:
            r = client.post(f"/v1/vehicles/V{i % 20}/signals", content=batch_message(0, 3))
            assert r.status_code == 200, r.text
            return int(r.json()["stored"])

        with ThreadPoolExecutor(max_workers=8) as pool:
            stored = list(pool.map(post, range(40)))
    assert sum(stored) == 20 * 12 and stored_rows(tmp_path) == 20 * 12
    assert sorted(stored) == [0] * 20 + [12] * 20  # the second post of each van is a repeat
