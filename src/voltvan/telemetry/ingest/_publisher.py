"""A small MQTT 5 publisher at QoS 1: what a simulated van (the digital twin) sends telemetry with.

It shares the packet encoding of the lean subscriber
(:mod:`voltvan.telemetry.ingest._mqtt_packets`).
At most ``window`` PUBLISHes (and no more than the broker's Receive Maximum) await their
PUBACK at a time, so a broker that falls behind slows the sender instead of dropping messages.
No reconnecting: a simulated van that loses its broker stops with an error.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import struct
from collections.abc import Iterable
from types import TracebackType

from voltvan.errors import VoltvanError
from voltvan.telemetry.ingest._mqtt_connack import connack_properties
from voltvan.telemetry.ingest._mqtt_packets import (
    CONNACK,
    PUBACK,
    Options,
    connect_packet,
    disconnect_packet,
    first_packet,
    publish_packet,
    reason_text,
)

_RECEIVE_MAXIMUM = 0x21  # CONNACK property: most QoS 1 messages the broker takes unacknowledged


class PublishError(VoltvanError):
    """The broker refused the connection or a message, or went away."""

    status = 502


class Publisher:
    """Connect once, publish many (QoS 1, acknowledged in windows), disconnect."""

    def __init__(
        self,
        host: str,
        port: int,
        client_id: str,
        *,
        username: str | None = None,
        password: str | None = None,
        tls: ssl.SSLContext | None = None,
        window: int = 200,
        timeout_s: float = 30.0,
    ) -> None:
        self._options = Options(
            host,
            port,
            client_id,
            topic_filter="",
            username=username,
            password=password,
            clean_start=True,
            keepalive_s=0,
            tls=tls,
        )
        self._window = max(1, min(window, 65_535))
        self._timeout_s = timeout_s
        self._sock: socket.socket | None = None
        self._buf = bytearray()
        self._next_mid = 1
        self.sent = 0

    def __enter__(self) -> Publisher:
        self.connect()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def connect(self) -> None:
        o = self._options
        try:
            sock = socket.create_connection((o.host, o.port), timeout=self._timeout_s)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no Nagle wait per window
            if o.tls is not None:
                sock = o.tls.wrap_socket(sock, server_hostname=o.host)
            self._sock = sock
            sock.sendall(connect_packet(o))
            first, body = self._read_packet()
        except OSError as exc:
            self.close()
            raise PublishError(f"cannot reach the broker at {o.host}:{o.port}: {exc}") from exc
        if first >> 4 != CONNACK or len(body) < 2 or body[1] >= 0x80:
            code = body[1] if len(body) >= 2 else 0xFF
            self.close()
            raise PublishError(f"the broker refused the connection: {reason_text(code)}")
        self._window = min(self._window, connack_properties(body).get(_RECEIVE_MAXIMUM, 65_535))

    def publish_many(self, messages: Iterable[tuple[str, bytes]]) -> None:
        """Send ``(topic, payload)`` messages in order; returns when the broker has them all.

        At most ``window`` messages (and never more than the broker's Receive Maximum) wait for
        their PUBACK at any time: a new one goes out as an old one is acknowledged.
        """
        pending: set[int] = set()
        sock = self._connected()
        try:
            for topic, payload in messages:
                while len(pending) >= self._window:
                    self._await_ack(pending)
                mid = self._next_mid
                self._next_mid = self._next_mid % 65_535 + 1
                sock.sendall(publish_packet(topic, mid, payload))
                pending.add(mid)
            while pending:
                self._await_ack(pending)
        except OSError as exc:
            raise PublishError(f"lost the broker: {exc}") from exc

    def _await_ack(self, pending: set[int]) -> None:
        first, body = self._read_packet()
        if first >> 4 != PUBACK or len(body) < 2:
            return
        mid = struct.unpack("!H", body[:2])[0]
        if len(body) >= 3 and body[2] >= 0x80:
            raise PublishError(f"the broker refused a message: {reason_text(body[2])}")
        if mid in pending:
            pending.discard(mid)
            self.sent += 1

    def _connected(self) -> socket.socket:
        if self._sock is None:
            raise PublishError("not connected to the broker")
        return self._sock

    def _read_packet(self) -> tuple[int, bytes]:
        sock = self._connected()
        while (got := first_packet(self._buf)) is None:
            chunk = sock.recv(1 << 16)
            if not chunk:
                raise OSError("the broker closed the connection")
            self._buf += chunk
        first, body, size = got
        del self._buf[:size]
        return first, body

    def close(self) -> None:
        if self._sock is None:
            return
        with contextlib.suppress(OSError):
            self._sock.sendall(disconnect_packet())
        self._sock.close()
        self._sock = None
