"""Small helpers shared by the ingest tests: messages, fleets and row counts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq

from voltvan.telemetry import Batch, Context, parse_message

SPEED = "Vehicle.Speed"
SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current"
LAT = "Vehicle.CurrentLocation.Latitude"
LON = "Vehicle.CurrentLocation.Longitude"
CHARGING = "Vehicle.Powertrain.TractionBattery.Charging.IsCharging"
FIX = "Vehicle.CurrentLocation.GNSSReceiver.FixType"
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
T0_US = int(T0.timestamp()) * 1_000_000
NOW_US = T0_US + 3600 * 1_000_000
"""The receiver's clock in the message tests: an hour after T0."""
FLEET = frozenset({"V1", "V2"})
V1_TOPIC = "voltvan/v1/vehicles/V1/signals"


def iso(t: datetime) -> str:
    return t.isoformat().replace("+00:00", "Z")


def parse(payload: object, *, topic: str = V1_TOPIC) -> Batch:
    """One message from van V1 of FLEET over MQTT, received at NOW_US (dicts sent as JSON)."""
    out = Batch()
    raw = payload if isinstance(payload, bytes | str) else json.dumps(payload)
    parse_message(out, Context("mqtt", NOW_US, FLEET, topic), raw)
    return out


def reasons(batch: Batch) -> list[str]:
    return [r.reason for r in batch.rejects]


def sample(i: int, *, t0: datetime = T0) -> dict[str, object]:
    """Second ``i`` of a drive: speed, SoC and position, all in range."""
    return {
        "ts": iso(t0 + timedelta(seconds=i)),
        "signals": {SPEED: 30.0 + i % 20, SOC: 80.0 - i * 0.01, LAT: 52.5 + i * 1e-5, LON: 13.4},
    }


def batch_message(first: int, count: int, *, t0: datetime = T0) -> bytes:
    return json.dumps({"samples": [sample(i, t0=t0) for i in range(first, first + count)]}).encode()


FLEET_HEAD = (
    'format_version = 1\n[[depots]]\nid = "D1"\nlat = 52.5\nlon = 13.4\n'
    '[[vehicle_types]]\nid = "large"\nbattery_kwh = 64\nmass_kg = 2690\npayload_kg = 1000\n'
    "volume_m3 = 12.0\n"
    '[[vehicle_types]]\nid = "small"\nbattery_kwh = 77\nmass_kg = 2280\npayload_kg = 650\n'
    "volume_m3 = 3.9\n"
)


def write_fleet(folder: Path, ids: list[str]) -> Path:
    """A minimal valid fleet.toml (one depot, two van types) naming the given vans."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "fleet.toml"
    lines = [FLEET_HEAD]
    for vid in ids:
        lines += ["[[vans]]", f'id = "{vid}"', 'type = "large"', ""]
    path.write_text("\n".join(lines))
    return path


def stored_rows(data_dir: Path) -> int:
    """Rows in every signal file, duplicates included (the view would hide them)."""
    files = sorted((data_dir / "signals").glob("date=*/*.parquet"))
    return sum(pq.read_metadata(f).num_rows for f in files)
