"""The MQTT ingest worker: at-least-once from the broker, exactly-once into the store.

The network thread (``_mqtt_client.Subscriber``) only queues what arrives, a list per socket
read. The worker thread parses into batches; a writer thread writes each batch through the store
and only then acknowledges (PUBACK) the messages of that batch, so the broker redelivers anything
that was not durably written when the worker dies; the store drops the redelivered rows it already
holds. The session is persistent (fixed client id, clean start off, a session expiry) so messages
published while the worker is down wait in the broker.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from voltvan.errors import InvalidInput
from voltvan.telemetry.ingest._batch import Batch, Context, now_us
from voltvan.telemetry.ingest._mqtt_client import Subscriber
from voltvan.telemetry.ingest._mqtt_handshake import UnsupportedBroker
from voltvan.telemetry.ingest._mqtt_packets import Delivery, Options
from voltvan.telemetry.ingest._mqtt_params import MqttParams, tls_context
from voltvan.telemetry.ingest._parse import parse_message
from voltvan.telemetry.ingest._sink import Sink

log = logging.getLogger("voltvan.ingest")


@dataclass
class IngestStats:
    """Running totals of one worker (what ``voltvan ingest`` prints)."""

    messages: int = 0
    stored: int = 0
    duplicates: int = 0
    flushes: int = 0
    connects: int = 0
    parse_s: float = 0.0
    write_s: float = 0.0
    rejected: Counter[str] = field(default_factory=Counter)


class IngestWorker:
    """Subscribe, batch, write, acknowledge; call :meth:`run` (blocks until :meth:`stop`).

    Three threads: the network thread reads the socket and parses each read straight into the
    current batch (one thread holding the GIL for Python work, instead of two handing messages
    over a queue); the writer thread writes full batches and then acknowledges them; the thread
    in :meth:`run` flushes batches that are old enough, or complete because the stream paused.
    """

    def __init__(
        self,
        store: Sink,
        params: MqttParams,
        *,
        fleet: frozenset[str] | None = None,
        on_flush: Callable[[IngestStats], None] | None = None,
    ) -> None:
        self.store = store
        self.params = params
        self.fleet = fleet
        self.stats = IngestStats()
        self._on_flush = on_flush
        self._stopping = False  # a plain flag, not an Event: see stop()
        self._writer_gone = threading.Event()
        self._writes: queue.Queue[tuple[Batch, list[_Pending]] | None] = queue.Queue(maxsize=1)
        self._failure: BaseException | None = None
        self._lock = threading.Lock()  # guards the open batch below
        self._batch = Batch()
        self._pending: list[_Pending] = []
        self._num_pending = 0
        self._first_at = 0.0
        self._last_at = 0.0
        p = params
        self._client = Subscriber(
            Options(
                host=p.host,
                port=p.port,
                client_id=p.client_id,
                topic_filter=p.subscription,
                qos=1,
                username=p.username,
                password=p.password,
                clean_start=False,
                session_expiry_s=p.session_expiry_s,
                receive_maximum=p.receive_maximum,
                keepalive_s=p.keepalive_s,
                tls=tls_context(p),
            ),
            self._on_messages,
            on_connect=self._on_connect,
            on_fatal=self._on_fatal,
        )

    # -- the network thread --------------------------------------------------------------------

    def _on_connect(self, _session_present: bool) -> None:
        self.stats.connects += 1

    def _on_fatal(self, exc: UnsupportedBroker) -> None:
        """A broker that cannot speak MQTT 5 ends the worker with a plain error (exit 2)."""
        self._failure = InvalidInput(str(exc), field="--mqtt")

    def _on_messages(self, generation: int, deliveries: list[Delivery]) -> None:
        p = self.params
        received_us = now_us()
        fleet = self.fleet
        mids: list[int] = []
        with self._lock:
            started = time.perf_counter()
            batch = self._batch
            for d in deliveries:
                parse_message(batch, Context("mqtt", received_us, fleet, d.topic), d.payload)
                if d.qos:
                    mids.append(d.mid)
            now = time.monotonic()
            self.stats.parse_s += time.perf_counter() - started
            if not self._pending:
                self._first_at = now
            self._last_at = now
            self._pending.append(_Pending(generation, len(deliveries), mids))
            self._num_pending += len(deliveries)
            full = batch.num_rows >= p.flush_rows or self._num_pending >= max(
                1, p.receive_maximum // 2
            )
            job = self._take() if full else None
        if job is not None:
            self._put_write(job)  # blocks while the writer is busy: back-pressure to the broker

    def _take(self) -> tuple[Batch, list[_Pending]]:
        """Close the open batch (call with the lock held)."""
        job = (self._batch, self._pending)
        self._batch = Batch()
        self._pending = []
        self._num_pending = 0
        return job

    # -- the thread that calls run() -----------------------------------------------------------

    def stop(self) -> None:
        """Ask :meth:`run` to write what it holds, acknowledge it and return.

        Safe in a signal handler: it only sets a flag. A handler runs on the main thread between
        two bytecodes, possibly while that thread holds a lock inside ``Event.wait``; an
        ``Event.set()`` there waits for that lock forever (seen as a worker that ignored SIGTERM).
        """
        self._stopping = True

    def run(self) -> IngestStats:
        """Connect (retrying while the broker is down) and ingest until :meth:`stop`."""
        writer = threading.Thread(target=self._write_batches, name="voltvan-ingest-writer")
        writer.start()
        self._client.start()
        try:
            self._loop()
        finally:
            while writer.is_alive():  # hand over the end marker unless the writer died
                with contextlib.suppress(queue.Full):
                    self._writes.put(None, timeout=0.1)
            writer.join()
            self._client.stop()
            log.info("disconnected from the broker")
        if self._failure is not None:
            raise self._failure
        return self.stats

    def _loop(self) -> None:
        """Flush on age (``flush_interval_s``) or when the stream pauses with a sizeable batch
        (it is not going to fill up soon, and its messages wait for their PUBACK)."""
        p = self.params
        idle_rows = max(1, p.flush_rows // 10)
        while self._failure is None:
            time.sleep(_TICK_S)
            stopping = self._stopping
            now = time.monotonic()
            with self._lock:
                due = bool(self._pending) and (
                    stopping
                    or now - self._first_at >= p.flush_interval_s
                    or (self._batch.num_rows >= idle_rows and now - self._last_at >= _PAUSE_S)
                )
                job = self._take() if due else None
            if job is not None:
                self._put_write(job)
            if stopping:
                # What arrives from now on is not acknowledged: the broker keeps it in the
                # session for the next start.
                return

    # -- the writer thread ---------------------------------------------------------------------

    def _write_batches(self) -> None:
        """Parquet, DuckDB and fsync release the GIL, so parsing the next batch overlaps with
        writing this one."""
        try:
            while (job := self._writes.get()) is not None:
                try:
                    self._flush(*job)
                except BaseException as exc:  # nothing of this batch is acknowledged
                    log.error("write failed, stopping without acknowledging: %s", exc)
                    self._failure = exc  # run()'s loop ends on it
                    return
        finally:
            self._writer_gone.set()

    def _put_write(self, job: tuple[Batch, list[_Pending]]) -> None:
        while self._failure is None and not self._writer_gone.is_set():
            with contextlib.suppress(queue.Full):
                self._writes.put(job, timeout=0.1)
                return

    def _flush(self, batch: Batch, pending: list[_Pending]) -> None:
        started = time.perf_counter()
        result = self.store.write(batch)  # durable when it returns
        self.stats.write_s += time.perf_counter() - started
        for generation, mids in _by_generation(pending):
            self._client.ack(generation, mids)  # an older connection's: the broker resends
        s = self.stats
        s.messages += sum(item.messages for item in pending)
        s.stored += result.stored
        s.duplicates += result.duplicates
        s.rejected.update(batch.reject_counts())
        s.flushes += 1
        if self._on_flush is not None:
            self._on_flush(s)


_TICK_S = 0.02  # how often batches are checked for age and pauses
_PAUSE_S = 0.05  # a stream silent this long has paused


class _Pending(NamedTuple):
    """What a batch owes the broker for one socket read: how many messages and which PUBACKs."""

    generation: int
    messages: int
    mids: list[int]


def _by_generation(pending: list[_Pending]) -> list[tuple[int, list[int]]]:
    out: dict[int, list[int]] = {}
    for item in pending:
        out.setdefault(item.generation, []).extend(item.mids)
    return list(out.items())
