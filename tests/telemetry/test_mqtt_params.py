"""Worker settings without a broker: the broker URL and the (shared) subscription."""

from __future__ import annotations

import pytest

from voltvan.errors import InvalidInput
from voltvan.telemetry._mqtt import MqttParams, parse_mqtt_url


def test_url_parsing() -> None:
    """mqtt://HOST:PORT gives host and port; the port defaults to 1883."""
    assert parse_mqtt_url("mqtt://broker.example:1884") == ("broker.example", 1884)
    assert parse_mqtt_url("mqtt://10.0.0.2") == ("10.0.0.2", 1883)


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
