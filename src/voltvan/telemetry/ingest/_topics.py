"""The signals topic of a van, and the vehicle id it carries.

The broker authorises a van by its topic, so the topic is where ingest learns which vehicle
sent a message; a topic that is not exactly a signals topic with a valid id is refused whole.
Ids are parsed once per topic: a fleet publishes on the same few thousand topics all day.
"""

from __future__ import annotations

import re

TOPIC_FILTER = "voltvan/v1/vehicles/+/signals"
_VEHICLE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")


def topic_for(vehicle_id: str) -> str:
    """The MQTT topic a van publishes its signals to."""
    return f"voltvan/v1/vehicles/{vehicle_id}/signals"


def vehicle_from_topic(topic: str) -> str | None:
    """The vehicle id in a signals topic, or None when the topic is not one."""
    vid = _TOPIC_VEHICLE.get(topic)
    if vid is None:
        vid = _vehicle_from_topic(topic)
        if vid is not None:
            if len(_TOPIC_VEHICLE) >= 65_536:
                _TOPIC_VEHICLE.clear()
            _TOPIC_VEHICLE[topic] = vid
    return vid


_TOPIC_VEHICLE: dict[str, str] = {}  # a fleet's topics, parsed once each


def _vehicle_from_topic(topic: str) -> str | None:
    parts = topic.split("/")
    if len(parts) != 5 or parts[:3] != ["voltvan", "v1", "vehicles"] or parts[4] != "signals":
        return None
    return parts[3] if is_vehicle_id(parts[3]) else None


def is_vehicle_id(text: str) -> bool:
    return _VEHICLE_ID.fullmatch(text) is not None
