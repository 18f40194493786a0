"""``voltvan ingest --retire CLIENT_ID``: a worker leaves its shared subscription for good.

Shrinking ``--workers`` (or giving up a host's client id) leaves sessions that the broker keeps
feeding; retiring each of them unsubscribes it, stores what it holds and ends it. The pool
cannot do this by itself: it does not know how many members ran before, and MQTT cannot list
a broker's sessions, so the operator names the client ids.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from pathlib import Path

from voltvan.cli._app import console, console_err
from voltvan.telemetry import MqttParams, RetireResult, open_store, retire_client


def run_retire(
    client_ids: list[str],
    params: MqttParams,
    data: Path,
    fleet: frozenset[str] | None,
    *,
    quiet_s: float,
    timeout_s: float,
    writer_id: Callable[[str], str],
) -> None:
    """Retire each client id in turn; the first failure stops (its session is kept)."""
    last = [time.monotonic()]

    def progress(r: RetireResult) -> None:
        if time.monotonic() - last[0] >= 5.0:
            last[0] = time.monotonic()
            console_err.print(f"{r.client_id}: {r.messages:,} messages drained so far",
                              highlight=False)  # fmt: skip

    for client_id in client_ids:
        console_err.print(
            f"retiring {client_id} at {params.host}:{params.port}: unsubscribe, drain until no "
            f"message came for {quiet_s:g} s (at most {timeout_s:g} s), end its session",
            highlight=False,
        )
        member = dataclasses.replace(params, client_id=client_id)
        # the retired worker's writer id: its lock refuses us while that worker still runs here
        with open_store(data, writer_id=writer_id(client_id)) as store:
            r = retire_client(
                store, member, fleet=fleet, quiet_s=quiet_s, timeout_s=timeout_s,
                on_progress=progress,
            )  # fmt: skip
        if not r.session_present:
            console.print(f"{client_id}: the broker held no session for it; nothing to drain",
                          highlight=False)  # fmt: skip
            continue
        console.print(
            f"retired {client_id}: drained {r.messages:,} messages ({r.stored:,} rows stored, "
            f"{r.duplicates:,} duplicates, {r.rejected:,} rejected) in {r.drain_s:.1f} s"
            "; unsubscribed, session ended",
            highlight=False,
        )
