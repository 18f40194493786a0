"""How ``voltvan ingest`` reaches its broker: address, login, session and batch settings, TLS.

Shared by the worker and ``--retire`` (which must resume the worker's very session), and checked
once up front by the CLI, so bad TLS files fail before any worker starts.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from voltvan.errors import InvalidInput
from voltvan.telemetry.ingest._topics import TOPIC_FILTER


@dataclass(frozen=True, slots=True)
class MqttParams:
    """How the worker connects and how large its batches get."""

    host: str = "127.0.0.1"
    port: int = 1883
    username: str | None = None
    password: str | None = None
    client_id: str = "voltvan-ingest"
    shared_group: str | None = None
    receive_maximum: int = 4000
    flush_rows: int = 100_000
    flush_interval_s: float = 1.0
    session_expiry_s: int = 7 * 86_400
    keepalive_s: int = 30
    tls: bool = False
    ca_file: Path | None = None  # None: the system's trusted certificates
    cert_file: Path | None = None  # a client certificate, for brokers that require one
    key_file: Path | None = None

    @property
    def subscription(self) -> str:
        """The topic filter; ``$share/<group>/...`` lets several workers split the stream."""
        if self.shared_group:
            return f"$share/{self.shared_group}/{TOPIC_FILTER}"
        return TOPIC_FILTER


class BrokerAddress(NamedTuple):
    host: str
    port: int
    tls: bool


def parse_mqtt_url(url: str) -> BrokerAddress:
    """``mqtt://HOST:PORT`` (port 1883 by default) or ``mqtts://HOST:PORT`` (TLS, 8883)."""
    parts = urlsplit(url)
    if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname:
        raise InvalidInput(
            f"{url!r} is not an mqtt://HOST:PORT or mqtts://HOST:PORT address", field="--mqtt"
        )
    tls = parts.scheme == "mqtts"
    try:
        port = parts.port or (8883 if tls else 1883)
    except ValueError:
        raise InvalidInput(f"{url!r} has a bad port", field="--mqtt") from None
    return BrokerAddress(parts.hostname, port, tls)


def tls_context(params: MqttParams) -> ssl.SSLContext | None:
    """The TLS settings of ``params`` (certificates verified, host name checked), or None."""
    if not params.tls:
        for name, value in (("--ca-file", params.ca_file), ("--cert-file", params.cert_file)):
            if value is not None:
                raise InvalidInput(f"{name} needs an mqtts:// broker address", field=name)
        return None
    for name, path in (("--ca-file", params.ca_file), ("--cert-file", params.cert_file),
                       ("--key-file", params.key_file)):  # fmt: skip
        if path is not None and not path.is_file():
            raise InvalidInput(f"{path} does not exist", file=str(path), field=name)
    try:
        context = ssl.create_default_context(cafile=params.ca_file)
        if params.cert_file is not None:
            context.load_cert_chain(params.cert_file, params.key_file)
    except ssl.SSLError as exc:
        raise InvalidInput(f"cannot use the TLS files: {exc}", field="--ca-file") from None
    return context
