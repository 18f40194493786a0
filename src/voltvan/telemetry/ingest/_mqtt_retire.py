"""Retire one ingest worker's client id: leave the shared subscription without losing a message.

A member of a shared subscription that goes away keeps its persistent session, and Mosquitto
keeps routing a share of the stream into it; those messages are lost when the session expires.
Retiring ends that cleanly, on one connection with the retired client id (clean start off, so
the session and its messages are resumed):

1. UNSUBSCRIBE the ingest filters: the broker adds nothing new to the session (MQTT 5 §3.10.4;
   Mosquitto still delivers what the session already holds, tested).
2. Drain: store every message the session hands over and acknowledge it only after the write,
   as the worker does. MQTT has no "queue empty" signal, so the drain ends when nothing is
   unacknowledged and no message has come for a quiet period, bounded by a total timeout.
3. DISCONNECT with a session expiry of 0: the broker forgets the session. It handles our packets
   in order, so any message it still sent before the DISCONNECT (it sends queued messages as
   PUBACKs free the window) is read up to the end of the connection and stored too.

A failure before step 3 keeps the session (less what was stored and acknowledged): retiring
again is always safe, and the store drops rows it already holds.
"""

from __future__ import annotations

import contextlib
import select
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass

from voltvan.errors import VoltvanError
from voltvan.telemetry.ingest._batch import Batch, Context, now_us
from voltvan.telemetry.ingest._mqtt_handshake import handshake
from voltvan.telemetry.ingest._mqtt_packets import (
    DISCONNECT,
    PINGREQ_PACKET,
    PINGRESP,
    PUBACK,
    UNSUBACK,
    Delivery,
    Options,
    ProtocolError,
    disconnect_packet,
    puback_packets,
    reason_text,
    split_packets,
    unsubscribe_packet,
)
from voltvan.telemetry.ingest._mqtt_params import MqttParams, tls_context
from voltvan.telemetry.ingest._parse import parse_message
from voltvan.telemetry.ingest._sink import Sink
from voltvan.telemetry.ingest._topics import TOPIC_FILTER

_NO_SUBSCRIPTION = 0x11  # UNSUBACK: the session held no such subscription
_PAUSE_S = 0.05  # the stream paused: write what is pending and acknowledge it
_READ_BYTES = 1 << 18


class RetireError(VoltvanError):
    """The broker could not be reached, refused us, or the drain did not finish; the session
    (and whatever it still holds) is kept, so retiring again is safe."""

    status = 502


@dataclass
class RetireResult:
    """What retiring one client id did."""

    client_id: str
    session_present: bool  # False: the broker held no session for it (nothing to drain)
    messages: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    drain_s: float = 0.0


def ingest_filters(shared_group: str | None) -> list[str]:
    """The filters a worker may hold: its group's shared one and the plain one."""
    out = [f"$share/{shared_group}/{TOPIC_FILTER}"] if shared_group else []
    return [*out, TOPIC_FILTER]


def retire_client(
    store: Sink,
    params: MqttParams,
    *,
    fleet: frozenset[str] | None = None,
    quiet_s: float = 2.0,
    timeout_s: float = 600.0,
    on_progress: Callable[[RetireResult], None] | None = None,
) -> RetireResult:
    """Unsubscribe ``params.client_id`` from the ingest filters, drain its session into
    ``store`` and end the session. Raises :class:`RetireError` (session kept) on failure."""
    p = params
    options = Options(
        host=p.host,
        port=p.port,
        client_id=p.client_id,
        topic_filter=p.subscription,
        username=p.username,
        password=p.password,
        clean_start=False,
        session_expiry_s=p.session_expiry_s,  # a crash while draining keeps the session
        receive_maximum=p.receive_maximum,
        keepalive_s=p.keepalive_s,
        tls=tls_context(p),
    )
    where = f"{p.host}:{p.port}"
    try:
        sock, buf, session_present, server_keepalive_s = handshake(options)
    except OSError as exc:
        raise RetireError(f"cannot connect to the broker at {where}: {exc}") from None
    except ProtocolError as exc:
        raise RetireError(
            f"cannot connect to the broker at {where} as client id {p.client_id!r}: {exc} "
            "(check --username and the password)"
        ) from None
    drain = _Drain(store, sock, buf, p, fleet, on_progress)
    drain.result = RetireResult(p.client_id, session_present)
    keepalive_s = p.keepalive_s if server_keepalive_s is None else server_keepalive_s
    try:
        sock.sendall(unsubscribe_packet(drain.filters))
        # a session the broker did not have is new and empty: no message can come into it
        drain.run(quiet_s if session_present else 0.0, timeout_s, keepalive_s)
        sock.sendall(disconnect_packet(session_expiry_s=0))
        drain.read_to_end()
    except (OSError, ProtocolError) as exc:
        raise RetireError(
            f"lost the connection to {where} while draining {p.client_id!r} ({exc}); "
            f"{drain.result.messages:,} messages were stored, the rest stay in its session: "
            "retire it again"
        ) from None
    finally:
        sock.close()
    return drain.result


class _Drain:
    """One thread: read, parse into a batch, write, acknowledge."""

    result: RetireResult

    def __init__(
        self,
        store: Sink,
        sock: socket.socket,
        buf: bytearray,
        params: MqttParams,
        fleet: frozenset[str] | None,
        on_progress: Callable[[RetireResult], None] | None,
    ) -> None:
        self.store = store
        self.sock = sock
        self.buf = buf
        self.params = params
        self.fleet = fleet
        self.on_progress = on_progress
        self.batch = Batch()
        self.mids: list[int] = []
        self.pending = 0
        self.filters = ingest_filters(params.shared_group)
        self.unsubscribed = False
        self.topics: dict[bytes, str] = {}

    def run(self, quiet_s: float, timeout_s: float, keepalive_s: int) -> None:
        started = last_heard = last_sent = time.monotonic()
        flush_at = max(1, self.params.receive_maximum // 2)
        while True:
            if self._take_packets():
                last_heard = time.monotonic()
            now = time.monotonic()
            if self.pending and (
                now - last_heard >= _PAUSE_S
                or self.pending >= flush_at
                or self.batch.num_rows >= self.params.flush_rows
            ):
                self._flush(ack=True)
                last_heard = last_sent = time.monotonic()  # the PUBACKs free the window
                continue
            if self.unsubscribed and not self.pending and now - last_heard >= quiet_s:
                self.result.drain_s = now - started
                return
            if now - started >= timeout_s:
                self._flush(ack=True)
                self.sock.sendall(disconnect_packet())  # the session and what it holds stay
                raise RetireError(
                    f"still draining {self.params.client_id!r} after {timeout_s:g} s "
                    f"({self.result.messages:,} messages stored); its session is kept: retire "
                    "it again (if messages keep coming, vans are publishing into a subscription "
                    "it holds in another group: give its --shared-group)"
                )
            if keepalive_s and now - last_sent >= keepalive_s / 2:
                self.sock.sendall(PINGREQ_PACKET)
                last_sent = now
            wait_s = _PAUSE_S if self.pending else min(quiet_s, 1.0)
            # an SSL socket may hold decrypted bytes that select cannot see
            tls = isinstance(self.sock, ssl.SSLSocket) and self.sock.pending() > 0
            if (tls or select.select([self.sock], [], [], wait_s)[0]) and not self._recv():
                raise ProtocolError("the broker closed the connection")

    def read_to_end(self, timeout_s: float = 5.0) -> None:
        """After our DISCONNECT: store what the broker sent before it closed the connection
        (nothing to acknowledge: the session is gone, and with it the broker's copy)."""
        end = time.monotonic() + timeout_s
        with contextlib.suppress(OSError):
            while time.monotonic() < end and self._recv():
                self._take_packets()
        self._take_packets()
        self._flush(ack=False)

    def _recv(self) -> bool:
        """Read what the socket has; False at its end."""
        try:
            chunk = self.sock.recv(_READ_BYTES)
        except (TimeoutError, ssl.SSLWantReadError):
            return True
        if not chunk:
            return False
        self.buf += chunk
        return True

    def _take_packets(self) -> bool:
        """Handle the complete packets read so far; True if messages came or we unsubscribed."""
        if not self.buf:
            return False
        deliveries, others, used = split_packets(self.buf, self.topics)
        del self.buf[:used]
        if deliveries:
            self._add(deliveries)
        heard = bool(deliveries)
        for first, body in others:
            kind = first >> 4
            if kind == UNSUBACK:
                self._unsubscribed(list(body[3 + body[2] :]) if len(body) >= 3 else [])
                heard = True
            elif kind == DISCONNECT:
                code = body[0] if body else 0
                raise RetireError(
                    f"the broker disconnected {self.params.client_id!r}: {reason_text(code)} "
                    "(is a worker with this client id still running? stop it first); its "
                    "session is kept"
                )
            elif kind not in (PINGRESP, PUBACK):
                raise ProtocolError(f"unexpected packet type {kind} from the broker")
        return heard

    def _add(self, deliveries: list[Delivery]) -> None:
        received_us = now_us()
        for d in deliveries:
            parse_message(self.batch, Context("mqtt", received_us, self.fleet, d.topic), d.payload)
            if d.qos:
                self.mids.append(d.mid)
        self.pending += len(deliveries)

    def _unsubscribed(self, codes: list[int]) -> None:
        """UNSUBACK: one reason code per filter; "no subscription existed" is fine (Mosquitto
        answers Success either way)."""
        filters = self.filters
        bad = [c for c in codes if c >= 0x80 and c != _NO_SUBSCRIPTION]
        if bad or len(codes) != len(filters):
            self._flush(ack=True)
            self.sock.sendall(disconnect_packet())  # keep the session: nothing is lost
            raise RetireError(
                f"the broker refused to unsubscribe {self.params.client_id!r}: "
                f"{reason_text(bad[0] if bad else 0x82)}; its session is kept"
            )
        self.unsubscribed = True

    def _flush(self, *, ack: bool) -> None:
        """Write the batch (durable when ``write`` returns), then acknowledge its messages."""
        if not self.pending:
            return
        try:
            written = self.store.write(self.batch)
        except OSError as exc:  # nothing of this batch is acknowledged: the session keeps it
            raise RetireError(f"cannot write to the store: {exc}; the session is kept") from None
        if ack and self.mids:
            self.sock.sendall(puback_packets(self.mids))
        r = self.result
        r.messages += self.pending
        r.stored += written.stored
        r.duplicates += written.duplicates
        r.rejected += sum(self.batch.reject_counts().values())
        self.batch = Batch()
        self.mids = []
        self.pending = 0
        if self.on_progress is not None:
            self.on_progress(r)
