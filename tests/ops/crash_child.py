"""A device's upload and event in a process that dies (os._exit) at a chosen point.

Run by tests/ops/test_crash.py: ``python -m tests.ops.crash_child DB DATA SECRET POINT EVENT_JSON``.
POINT ``after_proof_file``: the photo is on disk, its upload not yet recorded or answered.
POINT ``before_commit``: the event row is written in the open transaction, not committed.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from tests.ops.days import PNG
from voltvan.ops import EventIn, ProofFiles, open_ops
from voltvan.ops import _events as events_module

CRASH = 17


def _die_after(fn: Any) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        fn(*args, **kwargs)
        os._exit(CRASH)

    return wrapper


def main() -> None:
    db, data, secret, point, event_json = sys.argv[1:6]
    store = open_ops(db, Path(data))
    user = store.authenticate(secret)
    assert user is not None
    if point == "after_proof_file":
        ProofFiles.put = _die_after(ProofFiles.put)  # type: ignore[method-assign]
    elif point == "before_commit":
        events_module._decide = _die_after(events_module._decide)
    store.put_proof(user, PNG)
    store.record(user, "2026-03-02", "V01", EventIn.model_validate(json.loads(event_json)))
    os._exit(0)  # not reached when the crash point is hit


if __name__ == "__main__":
    main()
