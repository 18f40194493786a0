"""Opening an MQTT 5 connection: TCP or TLS, CONNECT, and the broker's CONNACK read and judged.

Its own module because two clients open connections the same way: the ingest subscriber (which
then keeps its connection alive) and the retiring ingest member (which drains one session and
leaves). An old broker is told apart from a refusal here, since only the first is hopeless.
"""

from __future__ import annotations

import socket
from typing import NamedTuple

from voltvan.telemetry.ingest._mqtt_connack import connack_properties
from voltvan.telemetry.ingest._mqtt_packets import (
    CONNACK,
    Options,
    ProtocolError,
    connect_packet,
    first_packet,
    reason_text,
)

_V311_BAD_PROTOCOL = 0x01  # a 3.1.1 CONNACK return code: unacceptable protocol version
_V5_UNSUPPORTED_PROTOCOL = 0x84
_SERVER_KEEP_ALIVE = 0x13
READ_BYTES = 1 << 18


class UnsupportedBroker(ProtocolError):
    """The broker cannot speak MQTT 5: reconnecting cannot help, so the client stops."""


class Handshake(NamedTuple):
    """An open connection after CONNACK: what the broker sent after it, and what it said."""

    sock: socket.socket
    rest: bytearray  # bytes after the CONNACK: a resumed session's messages may follow at once
    session_present: bool
    server_keepalive_s: int | None


def handshake(o: Options) -> Handshake:
    """Connect, send CONNECT and read the CONNACK (the socket then has a 1 s read timeout).

    Raises OSError when the broker cannot be reached, :class:`UnsupportedBroker` when it does not
    speak MQTT 5 and :class:`ProtocolError` when it refuses the connection (the reason in words).
    """
    sock = socket.create_connection((o.host, o.port), timeout=o.connect_timeout_s)
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if o.tls is not None:
            sock = o.tls.wrap_socket(sock, server_hostname=o.host)
        sock.sendall(connect_packet(o))
        buf = bytearray()
        while (got := first_packet(buf)) is None:
            chunk = sock.recv(READ_BYTES)
            if not chunk:
                raise ProtocolError("the broker closed the connection before CONNACK")
            buf += chunk
        first, body, size = got
        if first >> 4 != CONNACK or len(body) < 2:
            raise ProtocolError("the broker's first packet is not a CONNACK")
        if len(body) == 2 and body[1] == _V311_BAD_PROTOCOL:
            raise UnsupportedBroker(
                "the broker answered as MQTT 3.1.1 (unacceptable protocol version): voltvan "
                "ingest needs MQTT 5 (Mosquitto 1.6 or later, EMQX, HiveMQ, VerneMQ, "
                "AWS IoT Core)"
            )
        if body[1] == _V5_UNSUPPORTED_PROTOCOL:
            raise UnsupportedBroker(f"the broker refused MQTT 5: {reason_text(body[1])}")
        if body[1] >= 0x80:
            raise ProtocolError(f"the broker refused the connection: {reason_text(body[1])}")
        keepalive_s = connack_properties(body).get(_SERVER_KEEP_ALIVE)
        sock.settimeout(1.0)
    except BaseException:
        sock.close()
        raise
    return Handshake(sock, buf[size:], bool(body[0] & 1), keepalive_s)
