"""Retiring a shared-subscription member against a real Mosquitto: nothing it held is lost,
nothing is stored twice, and the broker forgets it."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.telemetry.broker import (
    REPO,
    Broker,
    free_port,
    publish,
    running_broker,
    start_worker,
    stop_worker,
    wait_for,
)
from tests.telemetry.ingest_data import stored_rows, write_fleet
from tests.telemetry.test_mqtt import VANS, distinct_keys, pool_writers, rows_of, stream
from voltvan.telemetry import TOPIC_FILTER
from voltvan.telemetry.ingest._mqtt_handshake import handshake
from voltvan.telemetry.ingest._mqtt_packets import (
    Options,
    disconnect_packet,
    split_packets,
    unsubscribe_packet,
)

pytestmark = pytest.mark.mqtt
GROUP_FILTER = f"$share/voltvan/{TOPIC_FILTER}"


def retire(broker: Broker, data: Path, fleet: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [
        sys.executable, "-c", "from voltvan.cli import main; main()", "ingest",
        "--mqtt", broker.url, "--data", str(data), "--fleet", str(fleet), *args,
    ]  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO, timeout=120)


def member(broker: Broker, data: Path, fleet: Path, client_id: str) -> subprocess.Popen[bytes]:
    return start_worker(broker, data, fleet, "--shared-group", "voltvan", "--client-id", client_id)


def messages_waiting(broker: Broker, client_id: str) -> tuple[bool, int]:
    """Reconnect as ``client_id`` (clean start off): is a session present, and how many messages
    does it hand over within a second? Ends the session it may have created."""
    options = Options("127.0.0.1", broker.port, client_id, GROUP_FILTER, session_expiry_s=60)
    sock, buf, present, _ = handshake(options)
    try:
        end = time.monotonic() + 1.0
        while (left := end - time.monotonic()) > 0:
            if select.select([sock], [], [], left)[0]:
                buf += sock.recv(1 << 16)
        deliveries, _, _ = split_packets(buf, {})
        sock.sendall(disconnect_packet(session_expiry_s=0))
    finally:
        sock.close()
    return present, len(deliveries)


def test_disconnect_can_end_the_session_and_unsubscribe_names_each_filter() -> None:
    """DISCONNECT carries Session Expiry Interval 0 when asked; UNSUBSCRIBE lists every filter."""
    assert disconnect_packet() == b"\xe0\x00"
    assert disconnect_packet(session_expiry_s=0) == b"\xe0\x07\x00\x05\x11\x00\x00\x00\x00"
    packet = unsubscribe_packet(["a/b", "$share/g/c"])
    assert packet[0] == 0xA2  # UNSUBSCRIBE with its reserved flags
    assert packet[2:] == b"\x00\x01\x00" + b"\x00\x03a/b" + b"\x00\x0a$share/g/c"
    assert packet[1] == len(packet) - 2


@pytest.mark.slow
def test_retire_drains_a_killed_members_session_and_the_group_goes_on_without_it(
    tmp_path: Path,
) -> None:
    """Two members, member 2 SIGKILLed mid-stream while vans go on publishing: its share waits
    in its session. Retiring it while the vans still publish ends (it unsubscribed first, so
    its session stops filling up) and stores every message once; later messages all go to
    member 1 and nothing waits for the retired client id any more."""
    fleet = write_fleet(tmp_path, VANS)
    data = tmp_path / "data"
    messages = stream(6000)
    flowing, queued, rest = messages[:600], messages[600:1200], messages[1200:]
    with running_broker(tmp_path / "broker") as broker:
        w1 = member(broker, data, fleet, "w-1")
        w2 = member(broker, data, fleet, "w-2")
        codes: list[int] = []
        pub = threading.Thread(target=lambda: codes.extend(publish(broker, flowing)))
        pub.start()
        wait_for(lambda: stored_rows(data) > rows_of(100), what="some rows stored")
        w2.kill()
        w2.wait(timeout=10)
        pub.join(timeout=120)
        codes.extend(publish(broker, queued))  # half of these go to the dead member's session
        assert set(codes) == {0} and len(codes) == 1200
        time.sleep(1.0)  # member 1 stores its share; member 2's share cannot be stored
        assert stored_rows(data) < rows_of(1200)

        vans_stop = threading.Event()

        def vans() -> None:  # publishing all along the retire, until it is done
            while rest and not vans_stop.is_set():
                chunk = [rest.pop(0) for _ in range(min(20, len(rest)))]
                codes.extend(publish(broker, chunk))
                time.sleep(0.05)

        pub = threading.Thread(target=vans)
        pub.start()
        try:
            done = retire(broker, data, fleet, "--retire", "w-2", "--drain-quiet", "1",
                          "--drain-timeout", "60")  # fmt: skip
        finally:
            vans_stop.set()
            pub.join(timeout=60)
        assert done.returncode == 0, done.stderr
        assert rest, "the vans ran out of messages before the retire ended"
        drained = int(done.stdout.split("drained ")[1].split(" messages")[0].replace(",", ""))
        assert drained >= 250  # about half of the 600 published after the kill
        total = 6000 - len(rest)
        assert set(codes) == {0} and len(codes) == total
        wait_for(lambda: stored_rows(data) >= rows_of(total), what="all published so far")

        after = rest[:300]
        assert set(publish(broker, after)) == {0}
        total += len(after)
        wait_for(lambda: stored_rows(data) >= rows_of(total), what="member 1 to store the rest")
        assert w1.poll() is None
        stop_worker(w1)
        assert messages_waiting(broker, "w-2") == (False, 0)  # the broker forgot w-2
    assert pool_writers(data) == {"w-1", "w-2"}
    assert stored_rows(data) == rows_of(total) == distinct_keys(data)


@pytest.mark.slow
def test_retire_refuses_a_member_that_still_runs_and_is_safe_to_repeat(tmp_path: Path) -> None:
    """A worker still running with that client id (same data directory) holds its writer
    lock: retiring it fails and changes nothing. After the worker stops, retiring works; a
    second retire finds no session."""
    fleet = write_fleet(tmp_path, VANS)
    data = tmp_path / "data"
    with running_broker(tmp_path / "broker") as broker:
        w1 = member(broker, data, fleet, "w-1")
        w2 = member(broker, data, fleet, "w-2")
        refused = retire(broker, data, fleet, "--retire", "w-2")
        assert refused.returncode == 1
        assert "another process already writes as 'w-2'" in refused.stderr
        assert set(publish(broker, stream(60))) == {0}
        wait_for(lambda: stored_rows(data) >= rows_of(60), what="both members store")
        assert w2.poll() is None
        stop_worker(w2)
        first = retire(broker, data, fleet, "--retire", "w-2", "--drain-quiet", "0.5")
        assert first.returncode == 0, first.stderr
        assert "retired w-2: drained 0 messages" in first.stdout
        again = retire(broker, data, fleet, "--retire", "w-2", "--drain-quiet", "0.5")
        assert again.returncode == 0, again.stderr
        assert "w-2: the broker held no session for it" in again.stdout
        assert set(publish(broker, stream(90)[60:])) == {0}
        wait_for(lambda: stored_rows(data) >= rows_of(90), what="member 1 alone")
        stop_worker(w1)
    assert stored_rows(data) == rows_of(90) == distinct_keys(data)


def test_retire_names_an_unreachable_broker_and_a_refused_login(tmp_path: Path) -> None:
    """No broker at the address, or a wrong password: exit 1 and one plain line naming
    host:port; nothing is stored."""
    fleet = write_fleet(tmp_path, VANS)
    data = tmp_path / "data"
    users = {"ingest": "ingest-pass"}
    with running_broker(tmp_path / "broker", users) as broker:
        nowhere = free_port()
        cmd = [
            sys.executable, "-c", "from voltvan.cli import main; main()", "ingest",
            "--mqtt", f"mqtt://127.0.0.1:{nowhere}", "--data", str(data),
            "--fleet", str(fleet), "--retire", "w-2",
        ]  # fmt: skip
        gone = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, timeout=60)
        assert gone.returncode == 1
        assert f"cannot connect to the broker at 127.0.0.1:{nowhere}" in gone.stderr
        assert "Traceback" not in gone.stderr

        bad = retire(broker, data, fleet, "--retire", "w-2", "--username", "ingest",
                     "--password", "wrong")  # fmt: skip
        assert bad.returncode == 1
        assert f"127.0.0.1:{broker.port}" in bad.stderr
        # Mosquitto answers a wrong password with "not authorized"
        assert "refused the connection: not authorized" in bad.stderr
        assert "Traceback" not in bad.stderr

        good = retire(broker, data, fleet, "--retire", "w-2", "--username", "ingest",
                      "--password", "ingest-pass", "--drain-quiet", "0.2")  # fmt: skip
        assert good.returncode == 0, good.stderr
    assert stored_rows(data) == 0


def test_retire_does_not_mix_with_workers(tmp_path: Path) -> None:
    """--retire with --workers is refused before anything connects."""
    fleet = write_fleet(tmp_path, VANS)
    cmd = [
        sys.executable, "-c", "from voltvan.cli import main; main()", "ingest",
        "--mqtt", "mqtt://127.0.0.1:1", "--data", str(tmp_path / "d"), "--fleet", str(fleet),
        "--retire", "w-3", "--workers", "2",
    ]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, timeout=60)
    assert done.returncode == 2
    assert "--retire runs on its own" in done.stderr
