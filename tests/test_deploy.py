"""compose.yaml, the Dockerfile and the broker's configuration hold together (no Docker here).

Each voltvan service's command is parsed by the ``voltvan`` command's own parser, so an option
renamed in the CLI breaks this test, not a deployment; the broker's configuration is run by the
real Mosquitto with the real ingest worker behind it.
"""

from __future__ import annotations

import getpass
import os
import re
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml

from tests.telemetry.broker import (
    MOSQUITTO,
    Broker,
    free_port,
    publish,
    publish_refused,
    start_worker,
    wait_for,
)
from tests.telemetry.ingest_data import batch_message, stored_rows, write_fleet
from voltvan.cli import app
from voltvan.telemetry import topic_for

REPO = Path(__file__).resolve().parents[1]
COMPOSE: dict[str, Any] = yaml.safe_load((REPO / "compose.yaml").read_text(encoding="utf-8"))
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
VOLTVAN = ("ingest", "serve", "csms")
DOCS = (REPO / "docs" / "deploy.md").read_text(encoding="utf-8")
MOSQUITTO_CONF = REPO / "deploy" / "mosquitto" / "mosquitto.conf"


def parse(command: list[str]) -> Any:
    """The context ``voltvan <command>`` would run with: options parsed, typed and checked."""
    group: Any = typer.main.get_command(app)
    parent = group.make_context("voltvan", list(command), resilient_parsing=False)
    name, sub, rest = group.resolve_command(parent, [*parent._protected_args, *parent.args])
    assert name is not None and sub is not None, f"not a voltvan command: {command}"
    while hasattr(sub, "resolve_command"):  # a group: voltvan ops user add ...
        parent = sub.make_context(name, rest, parent=parent)
        name, sub, rest = sub.resolve_command(parent, [*parent._protected_args, *parent.args])
        assert sub is not None, f"not a voltvan command: {command}"
    return sub.make_context(name, rest, parent=parent)


def published(service: str) -> set[int]:
    """Container ports published to the host."""
    return {int(str(p).rsplit(":", 1)[-1]) for p in SERVICES[service].get("ports", [])}


def health_ports(service: str) -> set[int]:
    test = " ".join(SERVICES[service]["healthcheck"]["test"])
    return {int(p) for p in re.findall(r"127\.0\.0\.1:(\d+)", test)} | {
        int(p) for p in re.findall(r"-p (\d+)", test)
    }


def test_every_service_is_there_with_a_health_check() -> None:
    """Broker, database and the three voltvan services, each with a health check and a restart
    policy; the named volumes they use are declared."""
    assert set(SERVICES) == {"mosquitto", "postgres", *VOLTVAN}
    for name, service in SERVICES.items():
        assert service["healthcheck"]["test"], name
        assert service["restart"] == "unless-stopped", name
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if not source.startswith("."):
                assert source in COMPOSE["volumes"], f"{name}: volume {source} not declared"
    for name in VOLTVAN:
        assert SERVICES[name]["build"] == ".", name


@pytest.mark.parametrize("name", VOLTVAN)
def test_each_voltvan_command_parses_with_the_cli(name: str) -> None:
    """The command is a real voltvan invocation; its files live on the service's mounts; its
    ports are the published ones and the health check's."""
    service = SERVICES[name]
    ctx = parse(service["command"])
    assert ctx.command.name == name
    params = ctx.params
    mounts = [v.split(":")[1] for v in service["volumes"]]
    for value in params.values():
        if isinstance(value, Path):
            assert any(str(value).startswith(m) for m in mounts), f"{name}: {value} not mounted"
    if name in ("serve", "csms"):
        assert params["host"] == "0.0.0.0", "a published port must listen beyond the container"
        assert published(name) == {params["port"]}
    else:
        assert not published(name)
    own = {p for p in (params.get("metrics_port"), params.get("port")) if p}
    assert health_ports(name) and health_ports(name) <= own, name
    kind, python, flag, code = service["healthcheck"]["test"]
    assert (kind, python, flag) == ("CMD", "python", "-c")
    compile(code, f"{name} health check", "exec")  # the image has python, not curl


def test_services_reach_each_other_by_their_compose_names() -> None:
    """ingest talks to the broker and serve to the database on the ports those listen on."""
    ingest = parse(SERVICES["ingest"]["command"]).params
    assert ingest["mqtt"] == "mqtt://mosquitto:1883" and ingest["username"] == "ingest"
    assert "listener 1883" in MOSQUITTO_CONF.read_text(encoding="utf-8").splitlines()
    assert published("mosquitto") == {1883}
    serve = parse(SERVICES["serve"]["command"]).params
    postgres = SERVICES["postgres"]["environment"]
    assert serve["db"] == f"postgresql://{postgres['POSTGRES_USER']}@postgres:5432/voltvan"
    assert postgres["POSTGRES_DB"] == "voltvan"
    csms = parse(SERVICES["csms"]["command"]).params
    assert csms["certfile"] is not None and csms["keyfile"] is not None  # wss:// only


def test_variables_are_the_documented_ones() -> None:
    """Every ${VAR} of compose.yaml is in deploy/env.example and docs/deploy.md; the ingest
    password variable is the one its CLI option reads; no secret is written in the file."""
    text = (REPO / "compose.yaml").read_text(encoding="utf-8")
    used = set(re.findall(r"\$\{(\w+)", text))
    example = (REPO / "deploy" / "env.example").read_text(encoding="utf-8")
    declared = set(re.findall(r"^(\w+)=", example, re.MULTILINE))
    assert used == declared == {"VOLTVAN_MQTT_PASSWORD", "POSTGRES_PASSWORD"}
    for var in used:
        assert f"`{var}`" in DOCS, var
    ingest = parse(SERVICES["ingest"]["command"])
    password = next(p for p in ingest.command.params if p.name == "password")
    assert password.envvar == "VOLTVAN_MQTT_PASSWORD"
    assert "VOLTVAN_MQTT_PASSWORD" in SERVICES["ingest"]["environment"]
    assert "PGPASSWORD" in SERVICES["serve"]["environment"]  # libpq's variable
    for service in SERVICES.values():
        for value in (service.get("environment") or {}).values():
            assert str(value).startswith("${") or "PASSWORD" not in str(value)


def test_operator_files_are_documented() -> None:
    """Each file the services read from deploy/config is named in docs/deploy.md."""
    files = set()
    for name in VOLTVAN:
        for value in parse(SERVICES[name]["command"]).params.values():
            if isinstance(value, Path) and str(value).startswith("/etc/voltvan/"):
                files.add(value.name)
    for volume in SERVICES["mosquitto"]["volumes"]:
        source = volume.split(":", 1)[0]
        if source.startswith("./deploy/config/"):
            files.add(Path(source).name)
        elif source.startswith("./"):
            assert (REPO / source).is_file(), source
    assert files == {"fleet.toml", "csms.pem", "csms.key", "mosquitto.passwd"}
    for f in files:
        assert f"`{f}`" in DOCS, f


def test_dockerfile_builds_from_files_that_exist_as_a_non_root_user() -> None:
    """python:3.11-slim, COPY sources present and not ignored, pip with the constraints, a
    USER that is not root, voltvan as the entry point."""
    lines = [
        line.strip()
        for line in (REPO / "Dockerfile").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert lines[0] == "FROM python:3.11-slim"
    ignore = (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()
    allowed = {line[1:].rstrip("/") for line in ignore if line.startswith("!")}
    copies = [line.split()[1:-1] for line in lines if line.startswith("COPY ")]
    assert copies
    for sources in copies:
        for source in sources:
            assert (REPO / source).exists(), f"COPY {source}: no such file"
            assert source.rstrip("/") in allowed, f"COPY {source}: left out by .dockerignore"
    assert any(re.search(r"pip install -c constraints\.txt \.", line) for line in lines)
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert 'ENTRYPOINT ["voltvan"]' in lines


@pytest.mark.mqtt
def test_mosquitto_config_runs_with_auth_acl_and_limits(tmp_path: Path) -> None:
    """The real broker with deploy/mosquitto (port and paths moved to a temporary folder): the
    real ingest worker stores V1's signals, V1 cannot publish as V2, a message over the size
    limit is refused, a client without a password is turned away."""
    folder = tmp_path / "broker"
    (folder / "data").mkdir(parents=True)
    port = free_port()
    users = {"ingest": "ingest-pass", "V1": "v1-pass", "V2": "v2-pass"}
    passwd = folder / "voltvan.passwd"
    passwd.write_text("".join(f"{u}:{p}\n" for u, p in users.items()))
    subprocess.run(["mosquitto_passwd", "-U", str(passwd)], check=True, timeout=60)
    acl = folder / "voltvan.acl"
    acl.write_text((REPO / "deploy" / "mosquitto" / "voltvan.acl").read_text(encoding="utf-8"))
    conf = MOSQUITTO_CONF.read_text(encoding="utf-8")
    assert "/mosquitto/config/" in conf and "/mosquitto/data/" in conf
    conf = conf.replace("listener 1883", f"listener {port} 127.0.0.1")
    conf = conf.replace("/mosquitto/config/", f"{folder}/").replace(
        "/mosquitto/data/", f"{folder}/data/"
    )
    conf += f"user {getpass.getuser()}\n"  # root would drop to 'mosquitto' and lose the folder
    (folder / "mosquitto.conf").write_text(conf)
    for p in (passwd, acl, folder / "mosquitto.conf"):
        p.chmod(0o600)
    log = (folder / "broker.log").open("ab")
    proc = subprocess.Popen(
        [MOSQUITTO, "-c", str(folder / "mosquitto.conf")], stdout=log, stderr=log
    )
    broker = Broker(folder=folder, port=port, proc=proc)
    try:
        wait_for(lambda: _port_open(port) or proc.poll() is not None, what="the broker")
        assert proc.poll() is None, (folder / "broker.log").read_text()
        fleet = write_fleet(tmp_path, ["V1", "V2"])
        data = tmp_path / "data"
        start_worker(broker, data, fleet, "--username", "ingest", "--password", "ingest-pass")
        forged = publish_refused(
            broker, topic_for("V2"), batch_message(0, 2), username="V1", password="v1-pass"
        )
        assert forged == "closed" or int(forged.split()[1]) >= 0x80, forged
        own = publish(
            broker, [(topic_for("V1"), batch_message(0, 2))], username="V1", password="v1-pass"
        )
        assert own == [0]
        big = subprocess.run(
            ["mosquitto_pub", "-V", "mqttv5", "-d", "-h", "127.0.0.1", "-p", str(port),
             "-u", "V1", "-P", "v1-pass", "-t", topic_for("V1"), "-q", "1", "-s"],
            input=b"x" * 1_048_577, capture_output=True, timeout=60,
        )  # fmt: skip
        assert b"received PUBACK (Mid: 1, RC:149)" in big.stdout, big.stdout  # packet too large
        wait_for(lambda: stored_rows(data) >= 8, what="V1's rows")
        health = _shell_check("mosquitto").replace("-p 1883", f"-p {port}")
        env = {**os.environ, "VOLTVAN_MQTT_PASSWORD": "ingest-pass"}
        ok = subprocess.run(["sh", "-c", health], env=env, capture_output=True, timeout=60)
        assert ok.returncode == 0, ok.stderr  # compose's health check passes on this broker
        env["VOLTVAN_MQTT_PASSWORD"] = "wrong"
        bad = subprocess.run(["sh", "-c", health], env=env, capture_output=True, timeout=60)
        assert bad.returncode != 0
        assert _connack(port) != 0  # no user name: refused
        assert _connack(port, "V1", "wrong") != 0
        assert _connack(port, "V1", "v1-pass") == 0
    finally:
        for worker in broker.workers:
            worker.terminate()
            worker.wait(timeout=30)
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def _shell_check(service: str) -> str:
    """A CMD-SHELL health check as the container's shell gets it ($$ is compose's $)."""
    kind, command = SERVICES[service]["healthcheck"]["test"]
    assert kind == "CMD-SHELL"
    return str(command).replace("$$", "$")


def _port_open(port: int) -> bool:
    import socket

    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _connack(port: int, username: str | None = None, password: str | None = None) -> int:
    """The CONNACK reason code the broker gives this login (0: accepted)."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    answered = threading.Event()
    code: list[int] = []
    client = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)

    def on_connect(_c: Any, _u: Any, _f: Any, rc: Any, _p: Any) -> None:
        code.append(rc.value)
        answered.set()

    client.on_connect = on_connect
    if username is not None:
        client.username_pw_set(username, password)
    client.connect("127.0.0.1", port)
    client.loop_start()
    try:
        assert answered.wait(60), "no CONNACK"
    finally:
        client.disconnect()
        client.loop_stop()
    return code[0]
