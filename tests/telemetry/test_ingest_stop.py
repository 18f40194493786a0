"""The ingest worker's stop() must be callable from a signal handler."""

from __future__ import annotations

import sys
from types import FrameType
from typing import Any

from voltvan.telemetry import IngestWorker, MqttParams


class _NoStore:
    def write(self, batch: object) -> object:
        raise AssertionError("stop() must not write")


def _locks_taken(call: Any) -> list[str]:
    """The lock operations (acquire, or entering a lock's ``with``) that ``call()`` performs."""
    taken: list[str] = []

    def profile(_frame: FrameType, event: str, arg: object) -> None:
        if event == "c_call" and getattr(arg, "__name__", "") in ("acquire", "__enter__"):
            owner = type(getattr(arg, "__self__", None)).__name__
            taken.append(f"{owner}.{getattr(arg, '__name__', '')}")

    sys.setprofile(profile)
    try:
        call()
    finally:
        sys.setprofile(None)
    return taken


def test_stop_takes_no_lock() -> None:
    """SIGTERM runs the handler on the main thread, maybe while it holds a lock inside a wait;
    a handler that takes that lock again never returns (a worker that ignored SIGTERM in CI)."""
    worker = IngestWorker(_NoStore(), MqttParams(port=1))  # type: ignore[arg-type]
    assert _locks_taken(worker.stop) == []


def test_the_probe_sees_an_event_set() -> None:
    """The check above would see a lock: Event.set() takes its condition's lock."""
    import threading

    assert _locks_taken(threading.Event().set) != []
