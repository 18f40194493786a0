"""``voltvan ingest --workers N``: N worker processes in one MQTT v5 shared subscription.

One worker is held to about one CPU by Python's GIL; the broker splits a shared subscription's
stream over its members, so N processes use N cores with no coordination between them (each has
its own persistent session, client id and writer id). This supervisor starts them, restarts one
that dies (its session keeps what it had not acknowledged, so nothing is lost), and passes a
stop on to all of them. It does not retire members when started with a smaller N: it keeps no
record of earlier runs and MQTT cannot list sessions, so the operator retires the client ids
that are gone (``voltvan ingest --retire``, :mod:`voltvan.cli._ingest_retire`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field

from voltvan.cli._app import console_err

_RESTART_MIN_S = 1.0
_RESTART_MAX_S = 30.0
_STABLE_S = 30.0  # a worker that ran this long restarts at once if it dies


@dataclass
class _Member:
    index: int
    argv: list[str]
    proc: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    delay_s: float = _RESTART_MIN_S
    restart_at: float = 0.0
    restarts: int = field(default=0)


def run_pool(members_argv: list[list[str]], password: str | None) -> int:
    """Run one ``voltvan ingest`` process per argv until SIGTERM/SIGINT; the exit code.

    The broker password goes to the children in their environment, never on a command line.
    A child that exits with the bad-input code (2) stops the pool: restarting cannot fix it.
    """
    env = dict(os.environ)
    if password is not None:
        env["VOLTVAN_MQTT_PASSWORD"] = password
    members = [_Member(i, argv) for i, argv in enumerate(members_argv)]
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True
        for m in members:
            if m.proc is not None and m.proc.poll() is None:
                m.proc.send_signal(signal.SIGTERM)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        for m in members:
            _start(m, env)
        status = 0
        while True:
            alive = False
            for m in members:
                if m.proc is None:
                    if not stopping and time.monotonic() >= m.restart_at:
                        _start(m, env)
                        alive = True
                    continue
                code = m.proc.poll()
                if code is None:
                    alive = True
                    continue
                m.proc = None
                if stopping:
                    status = max(status, code)
                    continue
                if code == 2:
                    console_err.print(f"worker {m.index + 1} refused its input; stopping all")
                    status = 2
                    stop()
                    continue
                ran_s = time.monotonic() - m.started_at
                m.delay_s = (
                    _RESTART_MIN_S if ran_s >= _STABLE_S else min(2 * m.delay_s, _RESTART_MAX_S)
                )
                m.restart_at = time.monotonic() + m.delay_s
                console_err.print(
                    f"worker {m.index + 1} exited with code {code} after {ran_s:.0f} s; "
                    f"restarting it in {m.delay_s:.0f} s (its session kept what it had not "
                    "acknowledged)",
                    highlight=False,
                )
                alive = True
            if stopping and not alive:
                return status
            time.sleep(0.1)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _start(m: _Member, env: dict[str, str]) -> None:
    cmd = [sys.executable, "-c", "from voltvan.cli import main; main()", *m.argv]
    m.proc = subprocess.Popen(cmd, env=env)
    m.started_at = time.monotonic()
    if m.restarts:
        console_err.print(f"worker {m.index + 1} restarted (pid {m.proc.pid})", highlight=False)
    m.restarts += 1
