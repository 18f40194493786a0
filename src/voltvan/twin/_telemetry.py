"""What a simulated van would send: its VSS signals over the day, and the truth to check them by.

A van's stream is made from its legs (drives between places), its charging and its battery
trace: position moves along the straight line between places while the odometer counts the road
distance; speed is the leg's average; the battery's state of charge and energy follow the trace.
Samples come every ``period_s`` and at every leg's start and end, so that a trip's first and
last odometer readings are the leg's own. The messages are those of
``docs/formats/telemetry.md``; the topic is the telemetry package's.

The *truth* is the twin's own record cut into trips by the same rule as the analytics
(``docs/analytics.md``): drives separated by a standstill shorter than ``min_stop_s`` are one
trip; a silence is never simulated.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np

from voltvan.twin._record import Leg, VanDay

SPEED = "Vehicle.Speed"
LATITUDE = "Vehicle.CurrentLocation.Latitude"
LONGITUDE = "Vehicle.CurrentLocation.Longitude"
ODOMETER = "Vehicle.TraveledDistance"
SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current"
ENERGY_KWH = "Vehicle.Powertrain.TractionBattery.StateOfCharge.CurrentEnergy"
IS_CHARGING = "Vehicle.Powertrain.TractionBattery.Charging.IsCharging"
AIR_TEMPERATURE = "Vehicle.Exterior.AirTemperature"

Signals = dict[str, float | int | bool]


@dataclass(frozen=True, slots=True)
class TrueTrip:
    """A trip as the twin drove it: from the start of its first leg to the end of its last."""

    van_id: str
    start_s: float
    end_s: float
    distance_m: float


def true_trips(vd: VanDay, *, min_stop_s: float = 180.0) -> list[TrueTrip]:
    """The van's drives joined across standstills shorter than ``min_stop_s``."""
    out: list[TrueTrip] = []
    for leg in vd.legs:
        if leg.end_s <= leg.start_s:
            continue
        if out and leg.start_s - out[-1].end_s < min_stop_s:
            last = out[-1]
            out[-1] = TrueTrip(vd.van_id, last.start_s, leg.end_s, last.distance_m + leg.distance_m)
        else:
            out.append(TrueTrip(vd.van_id, leg.start_s, leg.end_s, leg.distance_m))
    return out


def van_samples(
    vd: VanDay, *, ambient_c: float, period_s: float = 5.0, odometer_m: int = 0
) -> list[tuple[float, Signals]]:
    """``(t_s, signals)`` of one van's day, in time order, in VSS units."""
    if not vd.trace_t_s:
        return []
    t_first = vd.trace_t_s[0]
    t_last = max(vd.trace_t_s[-1], vd.legs[-1].end_s if vd.legs else t_first)
    grid = set(np.arange(t_first, t_last, period_s).tolist())
    for leg in vd.legs:
        grid.update((leg.start_s, leg.end_s))
    grid.add(t_last)
    times = sorted(grid)
    wh = np.interp(times, vd.trace_t_s, vd.trace_wh)
    starts = [leg.start_s for leg in vd.legs]
    done_m = np.cumsum([0.0] + [leg.distance_m for leg in vd.legs])
    out = []
    for t, e in zip(times, wh, strict=True):
        k = bisect.bisect_right(starts, t) - 1
        lat, lon, speed_kmh, odo = _where(vd, k, t, done_m)
        out.append(
            (
                t,
                {
                    SPEED: round(speed_kmh, 2),
                    LATITUDE: round(lat, 7),
                    LONGITUDE: round(lon, 7),
                    ODOMETER: odometer_m + round(odo),
                    SOC: round(100.0 * float(e) / vd.battery_wh, 3),
                    ENERGY_KWH: round(float(e) / 1000.0, 4),
                    IS_CHARGING: any(a <= t < b for a, b in vd.charging),
                    AIR_TEMPERATURE: round(ambient_c, 1),
                },
            )
        )
    return out


def _where(vd: VanDay, k: int, t: float, done_m: Any) -> tuple[float, float, float, float]:
    """Position, speed (km/h) and odometer (m) at ``t``, given the last leg started by then."""
    if k < 0:
        first: Leg | None = vd.legs[0] if vd.legs else None
        if first is None:
            return 0.0, 0.0, 0.0, 0.0
        return first.from_lat, first.from_lon, 0.0, 0.0
    leg = vd.legs[k]
    if t >= leg.end_s:
        return leg.to_lat, leg.to_lon, 0.0, float(done_m[k + 1])
    share = (t - leg.start_s) / (leg.end_s - leg.start_s)
    lat = leg.from_lat + (leg.to_lat - leg.from_lat) * share
    lon = leg.from_lon + (leg.to_lon - leg.from_lon) * share
    speed = leg.distance_m / (leg.end_s - leg.start_s) * 3.6
    return lat, lon, speed, float(done_m[k]) + leg.distance_m * share


def day_start(service_date: str, day: int) -> datetime:
    """Midnight (UTC) of simulated day ``day``: the scenario's date plus ``day`` days."""
    base = date.fromisoformat(service_date) if service_date else date(2026, 1, 5)
    return datetime(base.year, base.month, base.day, tzinfo=UTC) + timedelta(days=day)


def iso(midnight: datetime, t_s: float) -> str:
    """A timestamp as the telemetry format wants it (UTC, milliseconds)."""
    return (midnight + timedelta(seconds=round(t_s, 3))).isoformat(timespec="milliseconds")
