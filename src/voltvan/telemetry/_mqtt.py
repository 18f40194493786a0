"""The MQTT ingest worker: at-least-once from the broker, exactly-once into the store.

paho-mqtt's network thread only queues what arrives. The worker thread parses into batches;
a writer thread writes each batch through the store and only then acknowledges (PUBACK) the
messages of that batch, so the broker redelivers anything that was not durably written when
the worker dies; the store drops the redelivered rows it already holds. The session is
persistent (fixed client id, clean start off, a session expiry) so messages published while the
worker is down wait in the broker.
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
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from voltvan.errors import InvalidInput
from voltvan.telemetry._messages import TOPIC_FILTER, Batch, Context, now_us, parse_message
from voltvan.telemetry._store import Store

log = logging.getLogger("voltvan.ingest")


@dataclass(frozen=True, slots=True)
class MqttParams:
    """How the worker connects and how large its batches get."""

    host: str = "127.0.0.1"
    port: int = 1883
    username: str | None = None
    password: str | None = None
    client_id: str = "voltvan-ingest"
    shared_group: str | None = None
    receive_maximum: int = 4000
    flush_rows: int = 100_000
    flush_interval_s: float = 1.0
    session_expiry_s: int = 7 * 86_400
    keepalive_s: int = 30

    @property
    def subscription(self) -> str:
        """The topic filter; ``$share/<group>/...`` lets several workers split the stream."""
        if self.shared_group:
            return f"$share/{self.shared_group}/{TOPIC_FILTER}"
        return TOPIC_FILTER


def parse_mqtt_url(url: str) -> tuple[str, int]:
    """``mqtt://HOST:PORT`` as (host, port); the port defaults to 1883."""
    parts = urlsplit(url)
    if parts.scheme != "mqtt" or not parts.hostname:
        raise InvalidInput(f"{url!r} is not an mqtt://HOST:PORT address", field="--mqtt")
    try:
        port = parts.port or 1883
    except ValueError:
        raise InvalidInput(f"{url!r} has a bad port", field="--mqtt") from None
    return parts.hostname, port


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


class _Arrival(NamedTuple):
    """One received message (a tuple: made once per message on paho's thread)."""

    generation: int
    mid: int
    qos: int
    topic: str
    payload: bytes
    received_us: int


class IngestWorker:
    """Subscribe, batch, write, acknowledge; call :meth:`run` (blocks until :meth:`stop`)."""

    def __init__(
        self,
        store: Store,
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
        self._inbox: queue.Queue[_Arrival] = queue.Queue()
        self._stop = threading.Event()
        self._writes: queue.Queue[tuple[Batch, list[_Arrival]] | None] = queue.Queue(maxsize=1)
        self._failure: BaseException | None = None
        self._generation = 0
        self._client = self._make_client()

    def _make_client(self) -> Any:
        import paho.mqtt.client as mqtt
        from paho.mqtt.enums import CallbackAPIVersion
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties

        p = self.params
        client = mqtt.Client(
            callback_api_version=CallbackAPIVersion.VERSION2,
            client_id=p.client_id,
            protocol=mqtt.MQTTv5,
            manual_ack=True,
        )
        if p.username is not None:
            client.username_pw_set(p.username, p.password)
        client.reconnect_delay_set(min_delay=1, max_delay=10)
        client.on_connect = self._on_connect
        client.on_message = self._on_message
        client.on_disconnect = self._on_disconnect
        client.on_subscribe = self._on_subscribe
        props = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
        props.SessionExpiryInterval = p.session_expiry_s
        props.ReceiveMaximum = p.receive_maximum
        self._connect_props = props
        return client

    # -- paho's network thread -----------------------------------------------------------------

    def _on_connect(self, client: Any, _u: object, flags: Any, reason: Any, _p: object) -> None:
        if reason.is_failure:
            log.warning("broker refused the connection: %s", reason)
            return
        self._generation += 1
        self.stats.connects += 1
        client.subscribe(self.params.subscription, qos=1)
        log.info("connected (session present: %s)", flags.session_present)

    def _on_subscribe(self, _c: object, _u: object, _mid: int, codes: Any, _p: object) -> None:
        failed = [c for c in codes if c.is_failure]
        if failed:
            log.error("the broker refused the subscription: %s", failed[0])
        else:
            log.info("subscribed to %s", self.params.subscription)

    def _on_disconnect(self, _c: object, _u: object, _f: object, reason: Any, _p: object) -> None:
        if self._stop.is_set():
            log.info("disconnected from the broker")
        else:
            log.warning("disconnected from the broker (%s); reconnecting", reason)

    def _on_message(self, _c: object, _u: object, msg: Any) -> None:
        self._inbox.put(
            _Arrival(self._generation, msg.mid, msg.qos, msg.topic, msg.payload, now_us())
        )

    # -- the worker thread ---------------------------------------------------------------------

    def stop(self) -> None:
        """Ask :meth:`run` to write what it holds, acknowledge it and return."""
        self._stop.set()

    def run(self) -> IngestStats:
        """Connect (retrying while the broker is down) and ingest until :meth:`stop`."""
        p = self.params
        self._client.connect_async(
            p.host,
            p.port,
            keepalive=p.keepalive_s,
            clean_start=False,
            properties=self._connect_props,
        )
        self._client.loop_start()
        writer = threading.Thread(target=self._write_batches, name="voltvan-ingest-writer")
        writer.start()
        try:
            self._loop()
        finally:
            while writer.is_alive():  # hand over the end marker unless the writer died
                with contextlib.suppress(queue.Full):
                    self._writes.put(None, timeout=0.1)
            writer.join()
            self._client.disconnect()
            self._client.loop_stop()
        if self._failure is not None:
            raise self._failure
        return self.stats

    def _write_batches(self) -> None:
        """The writer thread: Parquet, DuckDB and fsync release the GIL, so parsing the next
        batch overlaps with writing this one."""
        while (job := self._writes.get()) is not None:
            try:
                self._flush(*job)
            except BaseException as exc:  # nothing of this batch is acknowledged: redelivered
                log.error("write failed, stopping without acknowledging: %s", exc)
                self._failure = exc
                self._stop.set()
                return

    def _loop(self) -> None:
        p = self.params
        batch = Batch()
        pending: list[_Arrival] = []
        first_at = 0.0
        max_pending = max(1, p.receive_maximum // 2)
        while True:
            if self._failure is not None:
                return
            if self._stop.is_set():
                # Write what is parsed; whatever is still queued is not acknowledged, so the
                # broker keeps it in the session for the next start.
                if pending:
                    self._put_write(batch, pending)
                return
            wait_s = p.flush_interval_s
            if pending:
                wait_s = max(0.0, first_at + p.flush_interval_s - time.monotonic())
            try:
                item: _Arrival | None = self._inbox.get(timeout=min(wait_s, 0.2))
            except queue.Empty:
                item = None
            if item is not None:
                if not pending:
                    first_at = time.monotonic()
                pending.append(item)
                started = time.perf_counter()
                ctx = Context("mqtt", item.received_us, self.fleet, item.topic)
                parse_message(batch, ctx, item.payload)
                self.stats.parse_s += time.perf_counter() - started
            if pending and (
                batch.num_rows >= p.flush_rows
                or len(pending) >= max_pending
                or time.monotonic() - first_at >= p.flush_interval_s
            ):
                self._put_write(batch, pending)
                batch = Batch()
                pending = []

    def _put_write(self, batch: Batch, pending: list[_Arrival]) -> None:
        while self._failure is None:
            with contextlib.suppress(queue.Full):
                self._writes.put((batch, pending), timeout=0.1)
                return

    def _flush(self, batch: Batch, pending: list[_Arrival]) -> None:
        started = time.perf_counter()
        result = self.store.write(batch)  # durable when it returns
        self.stats.write_s += time.perf_counter() - started
        generation = self._generation
        for item in pending:
            if item.qos > 0 and item.generation == generation:
                self._client.ack(item.mid, item.qos)
        s = self.stats
        s.messages += len(pending)
        s.stored += result.stored
        s.duplicates += result.duplicates
        s.rejected.update(batch.reject_counts())
        s.flushes += 1
        if self._on_flush is not None:
            self._on_flush(s)
