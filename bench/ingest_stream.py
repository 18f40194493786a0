"""The ingest benchmark's fleet stream: what every van sends, built the same in every process.

The publishers, the C publisher's payload files and the HTTP client each build the messages
themselves (no process hands another gigabytes of payloads), so the stream is a pure function of
its shape and ``t0``: window ``w`` of van ``v`` is the same bytes wherever it is built, and the
stored rows can be checked against the count the shape predicts.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

TOPIC_FILTER = "voltvan/v1/vehicles/+/signals"
RECEIVE_MAXIMUM = 4000

SIGNALS = [
    "Vehicle.CurrentLocation.Latitude",
    "Vehicle.CurrentLocation.Longitude",
    "Vehicle.CurrentLocation.Altitude",
    "Vehicle.CurrentLocation.Heading",
    "Vehicle.Speed",
    "Vehicle.TraveledDistance",
    "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current",
    "Vehicle.Powertrain.TractionBattery.Temperature.Average",
    "Vehicle.Exterior.AirTemperature",
    "Vehicle.Powertrain.TractionBattery.Charging.IsCharging",
    "Vehicle.Powertrain.TractionBattery.CurrentPower",
    "Vehicle.CurrentOverallWeight",
]


@dataclass(frozen=True)
class Stream:
    vans: int
    seconds: int
    samples: int
    signals: int
    t0: datetime

    @property
    def windows(self) -> int:
        return math.ceil(self.seconds / self.samples)

    @property
    def messages(self) -> int:
        return self.vans * self.windows

    @property
    def total_signals(self) -> int:
        return self.vans * self.windows * self.samples * self.signals


def van_id(v: int, vans: int) -> str:
    """The id fleet.toml's ``count`` form gives van ``v`` (1-based, zero-padded)."""
    return f"van-{v + 1:0{max(2, len(str(vans)))}d}"


def message(stream: Stream, v: int, w: int) -> bytes:
    """Window ``w`` of van ``v``: ``samples`` seconds of plausible driving, deterministic."""
    samples = []
    for k in range(stream.samples):
        t = w * stream.samples + k
        speed = 30.0 + 20.0 * math.sin((t + v) / 37.0)
        values: list[object] = [
            52.40 + 0.1 * math.sin(v) + t * 1e-5,
            13.30 + 0.1 * math.cos(v) + t * 1e-5,
            40.0 + (v % 50),
            float((t * 3 + v) % 360),
            round(speed, 2),
            10_000 + v * 100 + t * 8,
            round(90.0 - t * 0.002, 3),
            25.0 + (v % 7),
            8.5,
            False,
            -15_000.0 + (t % 100),
            2600 + v % 500,
        ]
        ts = (stream.t0 + timedelta(seconds=t)).isoformat().replace("+00:00", "Z")
        samples.append(
            {"ts": ts, "signals": dict(zip(SIGNALS, values[: stream.signals], strict=False))}
        )
    return json.dumps({"samples": samples}, separators=(",", ":")).encode()
