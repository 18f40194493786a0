"""The lean MQTT 5 subscriber: packet framing at every cut, and its contract with Mosquitto."""

from __future__ import annotations

import struct
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.telemetry.broker import publish, running_broker, wait_for
from voltvan.telemetry.ingest._mqtt_client import Subscriber
from voltvan.telemetry.ingest._mqtt_packets import (
    Delivery,
    Options,
    ProtocolError,
    _varint,
    puback_packets,
    split_packets,
)

TOPIC = "voltvan/v1/vehicles/+/signals"


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        n, digit = divmod(n, 128)
        out.append(digit | (0x80 if n else 0))
        if not n:
            return bytes(out)


def publish_packet(d: Delivery, props: bytes = b"", *, dup: bool = False) -> bytes:
    """A PUBLISH as a broker sends it (written here independently of the client's code)."""
    topic = d.topic.encode()
    body = struct.pack("!H", len(topic)) + topic
    if d.qos:
        body += struct.pack("!H", d.mid)
    body += varint(len(props)) + props + d.payload
    first = 0x30 | (d.qos << 1) | (0x08 if dup else 0)
    return bytes([first]) + varint(len(body)) + body


_deliveries = st.lists(
    st.builds(
        lambda qos, mid, topic, payload: Delivery(mid if qos else 0, qos, topic, payload),
        st.sampled_from([0, 1]),
        st.integers(1, 65_535),
        st.text(min_size=1, max_size=40),
        # sizes around the varint steps: 127/128 and 16383/16384 bytes of remaining length
        st.one_of(st.binary(max_size=200), st.integers(16_300, 16_500).map(lambda n: b"x" * n)),
    ),
    min_size=1,
    max_size=6,
)
# Properties a broker may put on a PUBLISH: payload format, message expiry, content type.
_props = st.sampled_from([b"", b"\x01\x01", b"\x02\x00\x00\x00\x3c", b"\x03\x00\x04json" * 40])


@settings(max_examples=200, deadline=None, derandomize=True)
@given(_deliveries, _props, st.lists(st.integers(1, 64), max_size=8))
def test_split_finds_every_packet_however_the_stream_is_cut(
    deliveries: list[Delivery], props: bytes, cuts: list[int]
) -> None:
    """Fed in arbitrary pieces, the stream gives exactly the PUBLISHes and control packets sent."""
    pingresp = b"\xd0\x00"
    stream = b"".join(publish_packet(d, props) for d in deliveries) + pingresp
    got: list[Delivery] = []
    others: list[tuple[int, bytes]] = []
    buf = bytearray()
    at = 0
    sizes = cuts or [len(stream)]
    i = 0
    topics: dict[bytes, str] = {}
    while at < len(stream):
        size = sizes[i % len(sizes)] * 97  # pieces from 97 bytes up, cutting headers too
        buf += stream[at : at + size]
        at += size
        i += 1
        d, o, used = split_packets(buf, topics)
        del buf[:used]
        got += d
        others += o
    assert got == deliveries
    assert others == [(0xD0, b"")]
    assert not buf


def test_a_packet_cut_inside_its_length_waits_for_the_rest() -> None:
    """A remaining length split over two reads is not misread."""
    packet = publish_packet(Delivery(7, 1, "t", b"y" * 300))
    for cut in range(len(packet)):
        buf = bytearray(packet[:cut])
        assert split_packets(buf, {}) == ([], [], 0)
        buf += packet[cut:]
        assert split_packets(buf, {})[0] == [Delivery(7, 1, "t", b"y" * 300)]


@pytest.mark.parametrize(
    ("packet", "why"),
    [
        (b"\x34\x06\x00\x01t\x00\x01\x00", "QoS 2"),
        (b"\x30\x05\x00\x02\xff\xfe\x00", "UTF-8"),
        (b"\x30\xff\xff\xff\xff\x01", "four bytes"),
        (b"\x32\x05\x00\x01t\x00\x01", "shorter"),
    ],
)
def test_malformed_packets_are_protocol_errors(packet: bytes, why: str) -> None:
    """What a broker must never send drops the connection with a reason, never a wrong row."""
    with pytest.raises(ProtocolError, match=why):
        split_packets(bytearray(packet), {})


def test_pubacks_are_short_form() -> None:
    assert puback_packets([1, 258]) == b"\x40\x02\x00\x01\x40\x02\x01\x02"


def test_lengths_past_four_varint_bytes_are_refused() -> None:
    """MQTT can say at most 268,435,455 bytes; a longer packet must not be sent cut short."""
    assert _varint(268_435_455) == varint(268_435_455) == b"\xff\xff\xff\x7f"
    with pytest.raises(ValueError, match="at most 256 MB"):
        _varint(268_435_456)


class Inbox:
    """Collects deliveries; acknowledges them only when told to."""

    def __init__(self) -> None:
        self.items: list[tuple[int, Delivery]] = []
        self.lock = threading.Lock()

    def __call__(self, generation: int, deliveries: list[Delivery]) -> None:
        with self.lock:
            self.items += [(generation, d) for d in deliveries]

    def payloads(self) -> list[bytes]:
        with self.lock:
            return [d.payload for _, d in self.items]


def subscriber(port: int, inbox: Inbox, **extra: object) -> tuple[Subscriber, threading.Event]:
    """A subscriber and an event set once the broker granted its subscription."""
    granted = threading.Event()
    options = Options(
        host="127.0.0.1",
        port=port,
        client_id="lean-test",
        topic_filter=TOPIC,
        session_expiry_s=300,
        receive_maximum=100,
        reconnect_min_s=0.1,
        **extra,  # type: ignore[arg-type]
    )

    def on_subscribe(ok: bool, _why: str) -> None:
        if ok:
            granted.set()

    sub = Subscriber(options, inbox, on_subscribe=on_subscribe)
    return sub, granted


def messages(first: int, count: int) -> list[tuple[str, bytes]]:
    return [(f"voltvan/v1/vehicles/V{i % 3}/signals", b"m%d" % i) for i in range(first, count)]


@pytest.mark.mqtt
def test_unacknowledged_messages_come_again_and_acknowledged_ones_do_not(tmp_path: Path) -> None:
    """The at-least-once contract the worker relies on, against a real Mosquitto session."""
    with running_broker(tmp_path / "broker") as broker:
        inbox = Inbox()
        sub, granted = subscriber(broker.port, inbox)
        sub.start()
        assert granted.wait(60)
        assert sub.generation == 1
        assert set(publish(broker, messages(0, 10))) == {0}
        wait_for(lambda: len(inbox.payloads()) == 10, timeout_s=60, what="10 messages")
        acked = [d.mid for _, d in inbox.items[:6]]
        assert sub.ack(1, acked)
        assert not sub.ack(0, [d.mid for _, d in inbox.items[6:]])  # an old connection's
        sub.stop()

        again = Inbox()
        sub, _ = subscriber(broker.port, again)
        sub.start()
        wait_for(lambda: len(again.payloads()) >= 4, timeout_s=60, what="redelivery")
        sub.stop()
    assert sorted(again.payloads()) == sorted(p for _, p in messages(6, 10))


@pytest.mark.mqtt
def test_wrong_password_is_refused_and_retried_not_fatal(tmp_path: Path) -> None:
    """A refused CONNECT keeps the client retrying (the password may be fixed broker-side)."""
    users = {"ingest": "right"}
    with running_broker(tmp_path / "broker", users) as broker:
        inbox = Inbox()
        bad, _ = subscriber(broker.port, inbox, username="ingest", password="wrong")
        bad.start()
        threading.Event().wait(0.5)
        assert bad.generation == 0
        bad.stop()
        good, granted = subscriber(broker.port, inbox, username="ingest", password="right")
        good.start()
        assert granted.wait(60)
        assert good.generation == 1
        good.stop()
