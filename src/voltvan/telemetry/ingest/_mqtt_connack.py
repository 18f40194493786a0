"""Reading a CONNACK's properties: the broker's limits and keep-alive, as numbers.

Apart from the packet codec because only the two clients that open connections (the ingest
handshake and the digital twin's publisher) read them, and because stepping over every property
MQTT 5 defines, to reach the few voltvan uses, is a table of its own.
"""

from __future__ import annotations

import struct

from voltvan.telemetry.ingest._mqtt_packets import ProtocolError, _read_varint

# MQTT 5 §2.2.2.2: how each property's value is encoded, to step over the ones we do not use.
_BYTE_PROPS = frozenset({0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2A})
_U16_PROPS = frozenset({0x13, 0x21, 0x22, 0x23})
_U32_PROPS = frozenset({0x02, 0x11, 0x18, 0x27})
_LENGTH_PROPS = frozenset({0x03, 0x08, 0x09, 0x12, 0x15, 0x16, 0x1A, 0x1C, 0x1F})


def connack_properties(body: bytes) -> dict[int, int]:
    """The integer properties of a CONNACK (id -> value); strings and pairs are skipped."""
    got = _read_varint(body, 2, len(body))
    if got is None:
        raise ProtocolError("a CONNACK ends inside its property length")
    length, at = got
    end = at + length
    if end > len(body):
        raise ProtocolError("a CONNACK's properties run past its end")
    out: dict[int, int] = {}
    while at < end:
        pid = body[at]
        at += 1
        if pid in _BYTE_PROPS:
            width = 1
        elif pid in _U16_PROPS:
            width = 2
        elif pid in _U32_PROPS:
            width = 4
        elif pid == 0x0B:  # subscription identifier: a variable byte integer
            got = _read_varint(body, at, end)
            if got is None:
                raise ProtocolError("a CONNACK property ends early")
            out[pid], at = got
            continue
        elif pid in _LENGTH_PROPS or pid == 0x26:
            for _ in range(2 if pid == 0x26 else 1):  # a user property is a string pair
                if at + 2 > end:
                    raise ProtocolError("a CONNACK property ends early")
                at += 2 + struct.unpack_from("!H", body, at)[0]
            continue
        else:
            raise ProtocolError(f"unknown CONNACK property 0x{pid:02x}")
        if at + width > end:
            raise ProtocolError("a CONNACK property ends early")
        out[pid] = int.from_bytes(body[at : at + width], "big")
        at += width
    if at != end:
        raise ProtocolError("a CONNACK property runs past the property length")
    return out
