"""What an MQTT 5 client must honour: packet size, the server's keep-alive, an old broker,
back-off with jitter."""

from __future__ import annotations

import socket
import struct
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.telemetry.broker import REPO, publish, running_broker, wait_for
from tests.telemetry.ingest_data import batch_message, stored_rows, write_fleet
from tests.telemetry.test_mqtt_client import Inbox, subscriber
from voltvan.telemetry import topic_for
from voltvan.telemetry.ingest import _mqtt_client as mqtt
from voltvan.telemetry.ingest._mqtt_client import Subscriber
from voltvan.telemetry.ingest._mqtt_connack import connack_properties
from voltvan.telemetry.ingest._mqtt_handshake import UnsupportedBroker
from voltvan.telemetry.ingest._mqtt_packets import (
    Options,
    ProtocolError,
    connect_packet,
)


def test_connect_announces_the_maximum_packet_size() -> None:
    """Property 0x27 carries the limit, so the broker never hands us a bigger packet."""
    packet = connect_packet(Options("h", 1, "c", "t", maximum_packet_bytes=123_456))
    assert b"\x27" + struct.pack("!I", 123_456) in packet


def connack(props: bytes, reason: int = 0) -> bytes:
    return bytes([0, reason, len(props)]) + props


def test_connack_properties_are_read_and_the_unused_ones_stepped_over() -> None:
    user = b"\x26" + struct.pack("!H", 1) + b"k" + struct.pack("!H", 2) + b"vv"
    text = b"\x12" + struct.pack("!H", 3) + b"abc"  # assigned client identifier
    props = b"\x24\x01" + user + text + b"\x13" + struct.pack("!H", 10) + b"\x27\x00\x01\x00\x00"
    assert connack_properties(connack(props)) == {0x24: 1, 0x13: 10, 0x27: 65_536}
    assert connack_properties(connack(b"")) == {}


@pytest.mark.parametrize(
    "body",
    [
        connack(b"\x13\x00"),  # a two-byte property cut short
        connack(b"\x12\x00\x09ab"),  # a string longer than the properties
        connack(b"\x7f\x00"),  # no such property
        bytes([0, 0, 5, 0x13]),  # a property length past the packet's end
    ],
)
def test_broken_connack_properties_are_protocol_errors(body: bytes) -> None:
    with pytest.raises(ProtocolError):
        connack_properties(body)


@pytest.mark.mqtt
def test_the_servers_keep_alive_replaces_ours(tmp_path: Path) -> None:
    """Mosquitto with max_keepalive 10 tells a client asking for 30 to ping every 10 s."""
    with running_broker(tmp_path / "broker", extra=["max_keepalive 10"]) as broker:
        sub, granted = subscriber(broker.port, Inbox(), keepalive_s=30)
        sub.start()
        assert granted.wait(60)
        sub.stop()
    assert sub.server_keepalive_s == 10


@pytest.mark.mqtt
def test_a_message_over_the_packet_limit_never_reaches_the_worker(tmp_path: Path) -> None:
    """The broker drops a 2 MiB message for us; the messages around it are stored."""
    fleet = write_fleet(tmp_path, ["V1"])
    data = tmp_path / "data"
    from tests.telemetry.broker import start_worker

    with running_broker(tmp_path / "broker") as broker:
        worker = start_worker(broker, data, fleet)
        big = b'{"ts": "2026-03-02T08:00:00Z", "signals": {}, "pad": "' + b"x" * (2 << 20) + b'"}'
        messages = [
            (topic_for("V1"), batch_message(0, 2)),
            (topic_for("V1"), big),
            (topic_for("V1"), batch_message(2, 2)),
        ]
        assert set(publish(broker, messages)) == {0}
        wait_for(lambda: stored_rows(data) >= 16, what="both small messages stored")
        log = (broker.folder / "broker.log").read_text()
        worker.terminate()
        worker.wait(timeout=20)
    assert worker.returncode == 0
    assert stored_rows(data) == 16
    assert "too large" in log or "exceeds" in log or "maximum packet size" in log.lower()


class OldBroker:
    """A TCP server that answers every CONNECT as an MQTT 3.1.1 broker does to level 5."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connects = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.recv(4096)
                self.connects += 1
                conn.sendall(b"\x20\x02\x00\x01")  # CONNACK: unacceptable protocol version

    def close(self) -> None:
        self.sock.close()


def test_an_mqtt_311_broker_stops_the_client_with_a_clear_error() -> None:
    old = OldBroker()
    fatal: list[UnsupportedBroker] = []
    try:
        sub = Subscriber(
            Options("127.0.0.1", old.port, "c", "t", reconnect_min_s=0.01),
            lambda _g, _d: None,
            on_fatal=fatal.append,
        )
        sub.start()
        wait_for(lambda: sub.fatal is not None, timeout_s=60, what="the fatal error")
        sub.stop()
    finally:
        old.close()
    assert old.connects == 1  # no reconnect loop
    assert fatal == [sub.fatal]
    assert "MQTT 3.1.1" in str(sub.fatal) and "MQTT 5" in str(sub.fatal)


def test_ingest_against_an_mqtt_311_broker_exits_2_and_says_why(tmp_path: Path) -> None:
    fleet = write_fleet(tmp_path, ["V1"])
    old = OldBroker()
    try:
        run = subprocess.run(
            [sys.executable, "-c", "from voltvan.cli import main; main()", "ingest",
             "--mqtt", f"mqtt://127.0.0.1:{old.port}", "--data", str(tmp_path / "data"),
             "--fleet", str(fleet)],
            capture_output=True, text=True, timeout=60, cwd=REPO,
        )  # fmt: skip
    finally:
        old.close()
    assert run.returncode == 2, run.stderr
    assert "MQTT 3.1.1" in run.stderr and "--mqtt" in run.stderr


def test_reconnect_waits_are_jittered_and_grow(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each wait is drawn from [delay/2, delay], the delay doubling up to its maximum."""
    draws: list[tuple[float, float]] = []

    def uniform(lo: float, hi: float) -> float:
        draws.append((lo, hi))
        return 0.001

    monkeypatch.setattr(mqtt.random, "uniform", uniform)
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens: every connect is refused
    sub = Subscriber(
        Options("127.0.0.1", port, "c", "t", reconnect_min_s=0.1, reconnect_max_s=0.4),
        lambda _g, _d: None,
    )
    sub.start()
    wait_for(lambda: len(draws) >= 5, timeout_s=60, what="five retries")
    sub.stop()
    assert draws[:5] == [(0.05, 0.1), (0.1, 0.2), (0.2, 0.4), (0.2, 0.4), (0.2, 0.4)]
