"""The MQTT 5 wire format: encoding the packets voltvan sends and cutting up the ones it receives.

Kept apart from the connection handling so the subscriber, the digital twin's publisher and the
retiring ingest member share one codec, and so the hot loop of ingest (:func:`split_packets`)
is tested on bytes alone. No I/O here: a malformed packet is a :class:`ProtocolError` for the
caller to act on.
"""

from __future__ import annotations

import ssl
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

CONNECT, CONNACK, PUBLISH, PUBACK = 1, 2, 3, 4
SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK = 8, 9, 10, 11
PINGREQ, PINGRESP, DISCONNECT = 12, 13, 14
_MAX_REMAINING = 268_435_455  # the largest length MQTT's four-byte varint can say
_PACKET_ID = 1  # of the one SUBSCRIBE or UNSUBSCRIBE a connection sends

# Reason codes the broker may send, in words for the log (MQTT 5.0 section 2.4).
_REASONS = {
    0x80: "unspecified error",
    0x81: "malformed packet",
    0x82: "protocol error",
    0x84: "unsupported protocol version",
    0x85: "client identifier not valid",
    0x86: "bad user name or password",
    0x87: "not authorized",
    0x88: "server unavailable",
    0x89: "server busy",
    0x8A: "banned",
    0x8B: "server shutting down",
    0x8E: "session taken over",
    0x8F: "topic filter invalid",
    0x97: "quota exceeded",
    0x9E: "shared subscriptions not supported",
}


class ProtocolError(Exception):
    """The server sent something this client cannot accept; the connection is dropped."""


class Delivery(NamedTuple):
    """One PUBLISH: packet id (0 at QoS 0), QoS, topic and payload."""

    mid: int
    qos: int
    topic: str
    payload: bytes


@dataclass(frozen=True, slots=True)
class Options:
    """What the client sends in CONNECT and SUBSCRIBE."""

    host: str
    port: int
    client_id: str
    topic_filter: str
    qos: int = 1
    username: str | None = None
    password: str | None = None
    clean_start: bool = False
    session_expiry_s: int = 0
    receive_maximum: int = 65_535
    keepalive_s: int = 30
    maximum_packet_bytes: int = (1 << 20) + 64 * 1024  # a 1 MiB message, its topic, properties
    reconnect_min_s: float = 1.0
    reconnect_max_s: float = 10.0
    connect_timeout_s: float = 10.0
    tls: ssl.SSLContext | None = None  # None: plain TCP


def reason_text(code: int) -> str:
    return _REASONS.get(code, f"reason code 0x{code:02x}")


# -- encoding -------------------------------------------------------------------------------------


def _varint(n: int) -> bytes:
    if not 0 <= n <= _MAX_REMAINING:
        raise ValueError(f"an MQTT packet cannot say a length of {n:,} bytes (at most 256 MB)")
    out = bytearray()
    while True:
        n, digit = divmod(n, 128)
        out.append(digit | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _string(text: str) -> bytes:
    raw = text.encode()
    if len(raw) > 65_535:
        raise ValueError("an MQTT string holds at most 65535 bytes")
    return struct.pack("!H", len(raw)) + raw


def _packet(first_byte: int, body: bytes) -> bytes:
    return bytes([first_byte]) + _varint(len(body)) + body


def connect_packet(o: Options) -> bytes:
    """CONNECT, protocol level 5, with session expiry, receive maximum and maximum packet size.

    The maximum packet size makes the broker drop a larger message for us instead of handing
    it over (Mosquitto would send up to 256 MB): a message over the 1 MiB limit is refused
    anyway, and buffering it first is what a limit is there to prevent.
    """
    flags = 0x02 if o.clean_start else 0
    payload = _string(o.client_id)
    if o.username is not None:
        flags |= 0x80
        payload += _string(o.username)
    if o.password is not None:
        flags |= 0x40
        payload += _string(o.password)
    props = b"\x11" + struct.pack("!I", o.session_expiry_s)
    props += b"\x21" + struct.pack("!H", o.receive_maximum)
    props += b"\x27" + struct.pack("!I", o.maximum_packet_bytes)
    head = _string("MQTT") + bytes([5, flags]) + struct.pack("!H", o.keepalive_s)
    return _packet(CONNECT << 4, head + _varint(len(props)) + props + payload)


def subscribe_packet(topic_filter: str, qos: int) -> bytes:
    body = struct.pack("!H", _PACKET_ID) + b"\x00" + _string(topic_filter) + bytes([qos])
    return _packet((SUBSCRIBE << 4) | 0x02, body)


def unsubscribe_packet(filters: list[str]) -> bytes:
    body = struct.pack("!H", _PACKET_ID) + b"\x00" + b"".join(_string(f) for f in filters)
    return _packet((UNSUBSCRIBE << 4) | 0x02, body)


def publish_packet(topic: str, mid: int, payload: bytes) -> bytes:
    """PUBLISH at QoS 1, without properties."""
    body = _string(topic) + struct.pack("!H", mid) + b"\x00" + payload
    return _packet((PUBLISH << 4) | 0x02, body)


def puback_packets(mids: Iterable[int]) -> bytes:
    """PUBACKs with reason Success, in the short form (remaining length 2)."""
    return b"".join(struct.pack("!BBH", 0x40, 2, mid) for mid in mids)


PINGREQ_PACKET = bytes([PINGREQ << 4, 0])


def disconnect_packet(*, session_expiry_s: int | None = None) -> bytes:
    """DISCONNECT, reason Normal; with ``session_expiry_s`` it replaces the CONNECT's (0 ends
    the session now)."""
    if session_expiry_s is None:
        return bytes([DISCONNECT << 4, 0])
    props = b"\x11" + struct.pack("!I", session_expiry_s)
    return _packet(DISCONNECT << 4, b"\x00" + bytes([len(props)]) + props)


# -- decoding -------------------------------------------------------------------------------------


def _read_varint(buf: bytes | bytearray, at: int, end: int) -> tuple[int, int] | None:
    """(value, position after it), or None when the buffer ends inside it."""
    value = 0
    shift = 0
    while at < end:
        byte = buf[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7
        if shift > 21:
            raise ProtocolError("a variable byte integer is longer than four bytes")
    return None


def split_packets(
    buf: bytearray, topics: dict[bytes, str]
) -> tuple[list[Delivery], list[tuple[int, bytes]], int]:
    """Cut the complete packets out of ``buf``: the PUBLISHes, the other packets as
    (first byte, body), and how many bytes were consumed. ``topics`` caches decoded topics.

    This is the hot loop of ingest: one pass, slices only, no object per packet but the result.
    """
    deliveries: list[Delivery] = []
    others: list[tuple[int, bytes]] = []
    at = 0
    end = len(buf)
    while at + 2 <= end:
        first = buf[at]
        # The remaining length: one byte for packets under 128 bytes, more for the rest.
        b = buf[at + 1]
        if b < 0x80:
            length, body = b, at + 2
        else:
            got = _read_varint(buf, at + 1, end)
            if got is None:
                break
            length, body = got
        stop = body + length
        if stop > end:
            break
        if first >> 4 == PUBLISH:
            try:
                qos = (first >> 1) & 3
                tlen = (buf[body] << 8) | buf[body + 1]
                raw_topic = bytes(buf[body + 2 : body + 2 + tlen])
                topic = topics.get(raw_topic)
                if topic is None:
                    try:
                        topic = raw_topic.decode()
                    except UnicodeDecodeError:
                        raise ProtocolError("a topic name is not UTF-8") from None
                    if len(topics) < 100_000:
                        topics[raw_topic] = topic
                k = body + 2 + tlen
                if qos:
                    if qos > 1:
                        raise ProtocolError("QoS 2 was delivered although QoS 1 was subscribed")
                    mid = (buf[k] << 8) | buf[k + 1]
                    k += 2
                else:
                    mid = 0
                plen = buf[k]
                if plen < 0x80:
                    k += 1 + plen
                else:
                    got = _read_varint(buf, k, stop)
                    if got is None:
                        raise ProtocolError("a PUBLISH ends inside its property length")
                    k = got[1] + got[0]
                if k > stop:
                    raise ProtocolError("a PUBLISH is shorter than its header")
                deliveries.append(Delivery(mid, qos, topic, bytes(buf[k:stop])))
            except IndexError:  # the buffer ended inside a header that its length covers
                raise ProtocolError("a PUBLISH is shorter than its header") from None
        else:
            others.append((first, bytes(buf[body:stop])))
        at = stop
    return deliveries, others, at


def first_packet(buf: bytearray) -> tuple[int, bytes, int] | None:
    """(first byte, body, size) of the first packet in ``buf``, or None if it is incomplete."""
    if len(buf) < 2:
        return None
    got = _read_varint(buf, 1, len(buf))
    if got is None or got[1] + got[0] > len(buf):
        return None
    length, body = got
    return buf[0], bytes(buf[body : body + length]), body + length
