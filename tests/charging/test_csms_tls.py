"""OCPP security profiles 2 and 3 on real sockets, against the independent ocpp/websockets client.

Profile 2: wss:// and the charger's password. Profile 3: a client certificate from the
operator's CA that names the charger. Certificates are made at test time by openssl.
"""

from __future__ import annotations

import asyncio
import base64
import ssl
import subprocess
import sys
import urllib.request
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from ocpp.v16 import ChargePoint, call
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidMessage, InvalidStatus

from tests.charging.certs import Pem, issue, make_ca
from tests.charging.ocpp_rig import PASSWORDS, FastClock, csms_config, until
from tests.telemetry.broker import free_port, wait_port
from voltvan.charging import Csms, CsmsTls, read_csms_config
from voltvan.errors import InvalidInput


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Pem]:
    """The operator's CA, the server's certificate, CP1's and CP2's, and one from a stranger."""
    d = tmp_path_factory.mktemp("pki")
    ca, stranger = make_ca(d, "operator-ca"), make_ca(d, "stranger-ca")
    return {
        "ca": ca,
        "server": issue(ca, d, "server", cn="csms.test", server=True),
        "CP1": issue(ca, d, "cp1", cn="CP1"),
        "CP2": issue(ca, d, "cp2", cn="CP2"),
        "CP9": issue(ca, d, "cp9", cn="CP9"),
        "stranger-CP1": issue(stranger, d, "stranger-cp1", cn="CP1"),
    }


def client_tls(pki: dict[str, Pem], cert: str | None = None) -> ssl.SSLContext:
    """What a charger trusts (the operator's CA) and, for profile 3, the certificate it shows."""
    ctx = ssl.create_default_context(cafile=pki["ca"].cert)
    if cert is not None:
        ctx.load_cert_chain(pki[cert].cert, pki[cert].key)
    return ctx


def basic(charger: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{charger}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


async def boot(uri: str, charger: str, **kw: Any) -> str:
    """Connect as ``charger`` with the ocpp library, send a BootNotification, return its status."""
    async with connect(uri, subprotocols=["ocpp1.6"], open_timeout=60, **kw) as ws:  # type: ignore[list-item]
        cp = ChargePoint(charger, ws)
        reader = asyncio.create_task(cp.start())
        try:
            res = await cp.call(call.BootNotification("Test", "TLS"))
            return str(res.status)
        finally:
            reader.cancel()


def run(tmp: Path, tls: CsmsTls, body: Callable[[Csms, int], Awaitable[None]]) -> Csms:
    """Serve ``tls`` on a free port while ``body(csms, port)`` runs."""
    csms = Csms(csms_config(), store_path=tmp / "csms.sqlite", clock=FastClock(), tls=tls)

    async def go() -> None:
        port = await csms.start()
        try:
            await body(csms, port)
        finally:
            await csms.stop()

    asyncio.run(go())
    return csms


def test_profile2_wss_with_the_password(tmp_path: Path, pki: dict[str, Pem]) -> None:
    """Over wss:// the right password boots; a wrong one gets 401; plain ws:// gets no answer."""
    tls = CsmsTls(pki["server"].cert, pki["server"].key)
    assert tls.profile == 2

    async def body(csms: Csms, port: int) -> None:
        uri = f"wss://127.0.0.1:{port}/CP1"
        ok = await boot(
            uri, "CP1", ssl=client_tls(pki), additional_headers=basic("CP1", PASSWORDS["CP1"])
        )
        assert ok == "Accepted"
        with pytest.raises(InvalidStatus) as refused:
            await boot(
                uri, "CP1", ssl=client_tls(pki), additional_headers=basic("CP1", "wrong-password")
            )
        assert refused.value.response.status_code == 401
        with pytest.raises(InvalidStatus) as no_auth:
            await boot(uri, "CP1", ssl=client_tls(pki))
        assert no_auth.value.response.status_code == 401
        # a charger still on profile 1 speaks HTTP to a TLS port: the handshake never completes
        with pytest.raises(InvalidMessage):
            await boot(
                f"ws://127.0.0.1:{port}/CP1",
                "CP1",
                additional_headers=basic("CP1", PASSWORDS["CP1"]),
            )
        assert csms.stats.refused_connections == {"password": 2}

    run(tmp_path, tls, body)


def test_profile3_the_certificate_must_name_the_charger(
    tmp_path: Path, pki: dict[str, Pem]
) -> None:
    """CP1's certificate opens /CP1 without a password; CP2's is refused there with 403, an
    unknown charger's with 401; no certificate, or one from another CA, fails the TLS handshake."""
    tls = CsmsTls(pki["server"].cert, pki["server"].key, pki["ca"].cert)
    assert tls.profile == 3

    async def body(csms: Csms, port: int) -> None:
        base = f"wss://127.0.0.1:{port}"
        assert await boot(f"{base}/CP1", "CP1", ssl=client_tls(pki, "CP1")) == "Accepted"
        await until(lambda: "CP1" not in csms.connected)
        assert await boot(f"{base}/CP2", "CP2", ssl=client_tls(pki, "CP2")) == "Accepted"
        with pytest.raises(InvalidStatus) as wrong:
            await boot(f"{base}/CP1", "CP1", ssl=client_tls(pki, "CP2"))
        assert wrong.value.response.status_code == 403
        with pytest.raises(InvalidStatus) as unknown:
            await boot(f"{base}/CP9", "CP9", ssl=client_tls(pki, "CP9"))
        assert unknown.value.response.status_code == 401
        for ctx in (client_tls(pki), client_tls(pki, "stranger-CP1")):
            # TLS 1.3: the client learns of the refusal as the connection closing before an answer
            with pytest.raises((InvalidMessage, ssl.SSLError)):
                await boot(
                    f"{base}/CP1", "CP1", ssl=ctx, additional_headers=basic("CP1", PASSWORDS["CP1"])
                )
        assert csms.stats.refused_connections == {"certificate": 1, "unknown_charger": 1}

    run(tmp_path, tls, body)


def csms_cli(data: Path, *args: str) -> list[str]:
    return [sys.executable, "-c", "from voltvan.cli import main; main()", "csms",
            "--data", str(data), *args]  # fmt: skip


def test_cli_profile3_knows_a_passwordless_charger_by_its_certificate(
    tmp_path: Path, pki: dict[str, Pem]
) -> None:
    """chargers.toml without CP1's password: with --client-ca CP1 boots on its certificate, and
    CP2's certificate still does not open /CP1."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "chargers.toml").write_text('[[charger]]\nid = "CP1"\n', encoding="utf-8")
    port = free_port()
    log = tmp_path / "csms.log"
    with log.open("w") as fh:
        server = subprocess.Popen(
            csms_cli(data, "--port", str(port), "--certfile", str(pki["server"].cert),
                     "--keyfile", str(pki["server"].key), "--client-ca", str(pki["ca"].cert)),
            stdout=fh, stderr=fh,
        )  # fmt: skip
        try:
            wait_port(port, timeout_s=60)

            async def chargers() -> None:
                uri = f"wss://127.0.0.1:{port}/CP1"
                assert await boot(uri, "CP1", ssl=client_tls(pki, "CP1")) == "Accepted"
                with pytest.raises(InvalidStatus) as wrong:
                    await boot(uri, "CP1", ssl=client_tls(pki, "CP2"))
                assert wrong.value.response.status_code == 403

            asyncio.run(chargers())
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert "security profile 3" in log.read_text()


def test_a_passwordless_charger_needs_profile3(tmp_path: Path, pki: dict[str, Pem]) -> None:
    """The same file without --client-ca (profile 1 or 2) stops at startup, naming the file and
    the field, before any charger could be let in without a password."""
    data = tmp_path / "data"
    data.mkdir()
    path = data / "chargers.toml"
    path.write_text('[[charger]]\nid = "CP0"\npassword = "12345678"\n[[charger]]\nid = "CP1"\n')
    server_tls = ["--certfile", str(pki["server"].cert), "--keyfile", str(pki["server"].key)]
    for extra in ([], server_tls):
        bad = subprocess.run(csms_cli(data, *extra), capture_output=True, text=True, timeout=60)
        assert bad.returncode == 2, bad.stderr
        assert "chargers.toml" in bad.stderr and "charger[1].password" in bad.stderr, bad.stderr
        assert "--client-ca" in bad.stderr and "Traceback" not in bad.stderr
    # read for profile 3, the accounts still cannot serve a server that asks for passwords
    config = read_csms_config(path, client_certificates=True)
    assert config.chargers["CP1"].password is None
    for tls in (None, CsmsTls(pki["server"].cert, pki["server"].key)):
        with pytest.raises(InvalidInput, match="CP1"):
            Csms(config, store_path=tmp_path / "csms.sqlite", tls=tls)
    # a password that is there is still checked under profile 3
    path.write_text('[[charger]]\nid = "CP1"\npassword = "short"\n')
    with pytest.raises(InvalidInput) as short:
        read_csms_config(path, client_certificates=True)
    assert short.value.where.field == "charger[0].password"


def test_tls_1_2_is_the_floor(tmp_path: Path, pki: dict[str, Pem]) -> None:
    """The server's context refuses anything older than TLS 1.2; a charger capped at 1.2 boots."""
    tls = CsmsTls(pki["server"].cert, pki["server"].key)
    assert tls.context().minimum_version == ssl.TLSVersion.TLSv1_2

    async def body(csms: Csms, port: int) -> None:
        old = client_tls(pki)
        old.maximum_version = ssl.TLSVersion.TLSv1_2
        auth = basic("CP1", PASSWORDS["CP1"])
        uri = f"wss://127.0.0.1:{port}/CP1"
        assert await boot(uri, "CP1", ssl=old, additional_headers=auth) == "Accepted"

    run(tmp_path, tls, body)


def test_bad_certificate_files_are_named(tmp_path: Path, pki: dict[str, Pem]) -> None:
    """A missing key, or a file that is not a certificate, is refused naming the file."""
    with pytest.raises(InvalidInput, match="keyfile"):
        CsmsTls(pki["server"].cert, tmp_path / "missing.key").context()
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"junk\.pem"):
        CsmsTls(junk, pki["server"].key).context()
    with pytest.raises(InvalidInput, match=r"junk\.pem"):
        CsmsTls(pki["server"].cert, pki["server"].key, junk).context()


def test_cli_serves_wss_and_metrics(tmp_path: Path, pki: dict[str, Pem]) -> None:
    """voltvan csms --certfile --keyfile --metrics-port: a charger boots over wss://, a wrong
    password is refused, and the scrape counts the refusal."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "chargers.toml").write_text(
        f'[[charger]]\nid = "CP1"\npassword = "{PASSWORDS["CP1"]}"\n', encoding="utf-8"
    )
    port, metrics = free_port(), free_port()
    log = tmp_path / "csms.log"
    with log.open("w") as fh:
        server = subprocess.Popen(
            [sys.executable, "-c", "from voltvan.cli import main; main()", "csms",
             "--data", str(data), "--port", str(port), "--metrics-port", str(metrics),
             "--certfile", str(pki["server"].cert), "--keyfile", str(pki["server"].key)],
            stdout=fh, stderr=fh,
        )  # fmt: skip
        try:
            wait_port(metrics, timeout_s=60)
            wait_port(port, timeout_s=60)

            async def chargers() -> None:
                uri = f"wss://127.0.0.1:{port}/CP1"
                auth = basic("CP1", PASSWORDS["CP1"])
                assert await boot(uri, "CP1", ssl=client_tls(pki), additional_headers=auth) == (
                    "Accepted"
                )
                with pytest.raises(InvalidStatus):
                    await boot(
                        uri, "CP1", ssl=client_tls(pki), additional_headers=basic("CP1", "x")
                    )

            asyncio.run(chargers())
            url = f"http://127.0.0.1:{metrics}/metrics"
            with urllib.request.urlopen(url, timeout=60) as r:
                text = r.read().decode()
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert 'voltvan_csms_refused_connections_total{reason="password"} 1.0' in text, text
    assert "security profile 2" in log.read_text()


def test_cli_refuses_half_a_tls_setup(tmp_path: Path, pki: dict[str, Pem]) -> None:
    """A key without its certificate, or a client CA without TLS, stops with a one-line error."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "chargers.toml").write_text('[[charger]]\nid = "CP1"\npassword = "12345678"\n')
    exe = csms_cli(data)
    for extra, says in (
        (["--keyfile", str(pki["server"].key)], "--certfile and --keyfile go together"),
        (["--client-ca", str(pki["ca"].cert)], "--client-ca needs --certfile"),
    ):
        bad = subprocess.run([*exe, *extra], capture_output=True, text=True, timeout=60)
        assert bad.returncode == 2, bad.stderr
        assert says in bad.stderr and "Traceback" not in bad.stderr
