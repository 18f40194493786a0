"""A private Mosquitto broker per test module: own port, own persistence, optional auth + ACL."""

from __future__ import annotations

import getpass
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

MOSQUITTO = "/usr/sbin/mosquitto"
REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, *, up: bool = True, timeout_s: float = 10.0) -> None:
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                if up:
                    return
        except OSError:
            if not up:
                return
        time.sleep(0.05)
    raise TimeoutError(f"port {port} did not come {'up' if up else 'down'}")


@dataclass
class Broker:
    """A running mosquitto; ``restart()`` stops it gracefully (saving its persistence)."""

    folder: Path
    port: int
    users: dict[str, str] = field(default_factory=dict)
    tls_port: int | None = None  # a second listener with TLS (certificates from make_certs)
    extra: list[str] = field(default_factory=list)  # more mosquitto.conf lines (global ones)
    proc: subprocess.Popen[bytes] | None = None
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    @property
    def tls_url(self) -> str:
        return f"mqtts://127.0.0.1:{self.tls_port}"

    def write_config(self) -> Path:
        lines = [
            f"listener {self.port} 127.0.0.1",
            "persistence true",
            f"persistence_location {self.folder}/",
            "max_inflight_messages 0",
            "max_queued_messages 0",
            "log_dest stderr",
            f"user {getpass.getuser()}",  # root would drop to 'mosquitto' and lose our folder
            *self.extra,
        ]
        if self.users:
            pw = self.folder / "passwd"
            pw.write_text("".join(f"{u}:{p}\n" for u, p in self.users.items()))
            subprocess.run(["mosquitto_passwd", "-U", str(pw)], check=True)
            acl = self.folder / "acl"
            acl.write_text(
                "user ingest\ntopic read voltvan/v1/vehicles/+/signals\n\n"
                "pattern write voltvan/v1/vehicles/%u/signals\n"
            )
            lines += ["allow_anonymous false", f"password_file {pw}", f"acl_file {acl}"]
        else:
            lines.append("allow_anonymous true")
        if self.tls_port is not None:  # after the global settings: these belong to this listener
            c = self.folder / "certs"
            lines += [f"listener {self.tls_port} 127.0.0.1", f"cafile {c / 'ca.pem'}",
                      f"certfile {c / 'server.pem'}", f"keyfile {c / 'server.key'}"]  # fmt: skip
        conf = self.folder / "mosquitto.conf"
        conf.write_text("\n".join(lines) + "\n")
        for p in (conf, self.folder / "passwd", self.folder / "acl"):
            if p.exists():
                p.chmod(0o600)
        return conf

    def start(self) -> None:
        conf = self.write_config()
        log = (self.folder / "broker.log").open("ab")
        self.proc = subprocess.Popen([MOSQUITTO, "-c", str(conf)], stdout=log, stderr=log)
        wait_port(self.port)
        if self.tls_port is not None:
            wait_port(self.tls_port)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=10)
            self.proc = None
            wait_port(self.port, up=False)

    def restart(self) -> None:
        self.stop()
        self.start()


def make_certs(folder: Path) -> Path:
    """A throw-away CA and a server certificate for 127.0.0.1 (openssl); returns the CA file."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed (Debian package openssl)")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "san.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    steps = [
        ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
         "/CN=voltvan test CA", "-keyout", "ca.key", "-out", "ca.pem"],
        ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
         "-keyout", "server.key", "-out", "server.csr"],
        ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
         "-CAcreateserial", "-days", "2", "-extfile", "san.ext", "-out", "server.pem"],
    ]  # fmt: skip
    for step in steps:
        subprocess.run(["openssl", *step], cwd=folder, check=True, capture_output=True)
    return folder / "ca.pem"


@contextmanager
def running_broker(
    folder: Path,
    users: dict[str, str] | None = None,
    *,
    tls: bool = False,
    extra: list[str] | None = None,
) -> Iterator[Broker]:
    """A private broker; with ``tls`` also a TLS listener (CA file: ``folder/certs/ca.pem``)."""
    if not Path(MOSQUITTO).exists() or shutil.which("mosquitto_passwd") is None:
        pytest.skip(f"{MOSQUITTO} or mosquitto_passwd is absent (Debian package mosquitto)")
    folder.mkdir(parents=True, exist_ok=True)
    if tls:
        make_certs(folder / "certs")
    broker = Broker(
        folder=folder,
        port=free_port(),
        users=users or {},
        tls_port=free_port() if tls else None,
        extra=extra or [],
    )
    broker.start()
    try:
        yield broker
    finally:
        for worker in broker.workers:  # a failed test must not leave workers behind
            if worker.poll() is None:
                worker.kill()
                worker.wait()
        broker.stop()


def start_worker(
    broker: Broker, data: Path, fleet: Path, *extra: str, url: str | None = None
) -> subprocess.Popen[bytes]:
    """``voltvan ingest`` in its own process (so that it can be SIGKILLed)."""
    cmd = [
        sys.executable, "-c", "from voltvan.cli import main; main()", "ingest",
        "--mqtt", url or broker.url, "--data", str(data), "--fleet", str(fleet),
        "--flush-interval", "0.1", *extra,
    ]  # fmt: skip
    log_path = data.parent / f"worker-{data.name}.log"
    before = log_path.read_text().count("subscribed to") if log_path.exists() else 0
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log_path.open("ab") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=log, env=env, cwd=REPO)
    broker.workers.append(proc)
    _WORKER_LOGS[proc.pid] = log_path
    wait_for(
        lambda: log_path.read_text().count("subscribed to") > before or proc.poll() is not None,
        timeout_s=30,
        what="the worker to subscribe",
    )
    assert proc.poll() is None, log_path.read_text()[-2000:]
    return proc


_WORKER_LOGS: dict[int, Path] = {}


def stop_worker(proc: subprocess.Popen[bytes], timeout_s: float = 20.0) -> None:
    """SIGTERM a worker and wait for it; one that does not end fails with the end of its log."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        log = _WORKER_LOGS.get(proc.pid)
        tail = log.read_text()[-3000:] if log is not None and log.exists() else "(no log)"
        raise AssertionError(
            f"the worker ignored SIGTERM for {timeout_s:.0f} s; its log:\n{tail}"
        ) from None


def publish(
    broker: Broker,
    messages: list[tuple[str, bytes]],
    *,
    username: str | None = None,
    password: str | None = None,
    client_id: str = "",
) -> list[int]:
    """Publish with QoS 1 and wait for every PUBACK; returns the PUBACK reason codes."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    codes: dict[int, int] = {}
    client = mqtt.Client(
        callback_api_version=CallbackAPIVersion.VERSION2,
        client_id=client_id,
        protocol=mqtt.MQTTv5,
    )
    client.on_publish = lambda _c, _u, mid, rc, _p: codes.__setitem__(mid, rc.value)
    if username is not None:
        client.username_pw_set(username, password)
    client.max_inflight_messages_set(100)
    client.max_queued_messages_set(0)
    client.connect("127.0.0.1", broker.port)
    client.loop_start()
    try:
        infos = [client.publish(topic, payload, qos=1) for topic, payload in messages]
        for info in infos:
            info.wait_for_publish(timeout=30)
        return [codes.get(info.mid, -1) for info in infos]
    finally:
        client.disconnect()
        client.loop_stop()


def publish_refused(
    broker: Broker, topic: str, payload: bytes, *, username: str, password: str
) -> str:
    """Publish one QoS 1 message the broker should refuse; how it refused it: ``puback N`` with
    the reason code, or ``closed`` when it dropped the connection instead (Mosquitto 2.0 answers
    an MQTT 5 publish its ACL denies that way). ``puback 0`` means it took the message.

    One message on its own connection: after a close, a message published behind the refused one
    would depend on when the client notices the close and on its reconnecting."""
    import queue

    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    outcome: queue.Queue[str] = queue.Queue()
    connected = threading.Event()
    client = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    client.on_connect = lambda *_: connected.set()
    client.on_publish = lambda _c, _u, _mid, rc, _p: outcome.put(f"puback {rc.value}")
    client.on_disconnect = lambda *_: outcome.put("closed")
    client.username_pw_set(username, password)
    client.connect("127.0.0.1", broker.port)
    client.loop_start()
    try:
        assert connected.wait(30), "no CONNACK"
        client.publish(topic, payload, qos=1)
        return outcome.get(timeout=30)
    finally:
        client.disconnect()
        client.loop_stop()


def wait_for(predicate: object, *, timeout_s: float = 60.0, what: str = "condition") -> None:
    """Poll ``predicate()`` until true (the worker writes asynchronously)."""
    assert callable(predicate)
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")
