"""Worker settings without a broker: the broker URL and the (shared) subscription."""

from __future__ import annotations

from pathlib import Path

import pytest

from voltvan.errors import InvalidInput
from voltvan.telemetry.ingest._mqtt_params import MqttParams, parse_mqtt_url, tls_context


def test_url_parsing() -> None:
    """mqtt://HOST:PORT gives host and port (1883 by default); mqtts:// is TLS (8883)."""
    assert parse_mqtt_url("mqtt://broker.example:1884") == ("broker.example", 1884, False)
    assert parse_mqtt_url("mqtt://10.0.0.2") == ("10.0.0.2", 1883, False)
    assert parse_mqtt_url("mqtts://broker.example") == ("broker.example", 8883, True)
    assert parse_mqtt_url("mqtts://broker.example:9883").port == 9883


@pytest.mark.parametrize("url", ["http://x:1", "mqtt://", "mqtt://h:notaport", "h:1883"])
def test_bad_urls_name_the_option(url: str) -> None:
    """Anything else is bad input naming --mqtt."""
    with pytest.raises(InvalidInput, match="--mqtt"):
        parse_mqtt_url(url)


def test_shared_subscription_topic() -> None:
    """A group name turns the filter into an MQTT v5 shared subscription."""
    assert MqttParams().subscription == "voltvan/v1/vehicles/+/signals"
    grouped = MqttParams(shared_group="ingest").subscription
    assert grouped == "$share/ingest/voltvan/v1/vehicles/+/signals"


def test_tls_files_need_tls_and_must_exist(tmp_path: Path) -> None:
    """A CA file with a plain address, or a missing file, is bad input naming the option."""
    with pytest.raises(InvalidInput, match=r"--ca-file.*needs an mqtts://"):
        tls_context(MqttParams(ca_file=tmp_path / "ca.pem"))
    with pytest.raises(InvalidInput, match="--cert-file"):
        tls_context(MqttParams(tls=True, cert_file=tmp_path / "missing.pem"))
    (tmp_path / "ca.pem").write_text("not a certificate")
    with pytest.raises(InvalidInput, match="cannot use the TLS files"):
        tls_context(MqttParams(tls=True, ca_file=tmp_path / "ca.pem"))
    assert tls_context(MqttParams()) is None
    context = tls_context(MqttParams(tls=True))
    assert context is not None and context.check_hostname
