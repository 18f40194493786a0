"""A crash between writing a proof and committing its event never leaves an acknowledged event
without its file: the file is there, or the event was not acknowledged (and the device resends)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.ops.crash_child import CRASH
from tests.ops.days import DAY, PNG, event
from voltvan.errors import InvalidInput
from voltvan.ops import OpsStore, open_ops
from voltvan.ops._proofs import proof_id_of
from voltvan.ops._schema import events, proofs

REPO = Path(__file__).resolve().parents[2]


def crash(db_url: str, data: Path, secret: str, point: str, event_json: str) -> None:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO / "src"), str(REPO)]))
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.ops.crash_child",
            db_url,
            str(data),
            secret,
            point,
            event_json,
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == CRASH, run.stderr


def assert_every_event_has_its_files(store: OpsStore) -> None:
    with store.engine.connect() as conn:
        named = conn.execute(select(events.c.photo, events.c.signature)).all()
        recorded = conn.execute(select(proofs.c.proof_id)).scalars().all()
    for proof in [p for row in named for p in row if p] + list(recorded):
        assert store.files.exists(proof), proof


@pytest.mark.parametrize("point", ["after_proof_file", "before_commit"])
def test_a_crash_loses_no_acknowledged_event_and_the_resend_is_stored_once(
    db_url: str, day_store: OpsStore, tmp_path: Path, point: str
) -> None:
    secret = day_store.add_user("d1", "driver", "V01")
    proof = proof_id_of(PNG)
    ev = event("S1", photo=proof)
    data = tmp_path / "data"
    crash(db_url, data, secret, point, ev.model_dump_json())

    after = open_ops(db_url, data)
    try:
        assert after.files.exists(proof)  # written and fsynced before anything was answered
        assert after.events(DAY) == []  # never acknowledged, so not stored
        assert_every_event_has_its_files(after)
        user = after.authenticate(secret)
        assert user is not None
        if point == "after_proof_file":  # the upload was never answered, nor recorded
            with pytest.raises(InvalidInput, match="upload the photo first"):
                after.record(user, DAY, "V01", ev)
        # the device, never having had an answer, sends its upload and its event again
        assert after.put_proof(user, PNG)["proof"] == proof
        assert after.record(user, DAY, "V01", ev).status_code == 200
        assert after.record(user, DAY, "V01", ev).status_code == 200
        assert [e["event_id"] for e in after.events(DAY)] == [str(ev.event_id)]
        assert_every_event_has_its_files(after)
    finally:
        after.close()
