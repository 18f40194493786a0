"""The fleet as telemetry shows it now: each van's last position, SoC and speed, how long it has
stood still, and its SoC and speed over the day (for the plot).

Fed first with the day's history (one point per minute) and then with the rows of each new
file, oldest first, so the same fold gives the same picture however the rows were cut.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from voltvan.console._alerts import Stillness
from voltvan.console._progress import LiveSoc
from voltvan.telemetry import LIVE_SIGNALS

LATITUDE, LONGITUDE, SOC, SPEED = LIVE_SIGNALS
_FIELDS = {LATITUDE: "lat", LONGITUDE: "lon", SOC: "soc_pct", SPEED: "speed_kmh"}
#: Slower than this (km/h) is standing still: GPS speed jitters around zero.
STILL_KMH = 2.0


@dataclass
class LiveVan:
    lat: float | None = None
    lon: float | None = None
    soc_pct: float | None = None
    speed_kmh: float | None = None
    ts: datetime | None = None
    still_since: datetime | None = None
    #: The day's SoC and speed, one point per minute or per update: (seconds after local
    #: midnight, value).
    soc_series: list[tuple[float, float]] = field(default_factory=list)
    speed_series: list[tuple[float, float]] = field(default_factory=list)

    def to_dict(self, midnight: datetime) -> dict[str, object]:
        return {
            "lat": self.lat,
            "lon": self.lon,
            "soc_pct": self.soc_pct,
            "speed_kmh": self.speed_kmh,
            "ts": self.ts.isoformat() if self.ts else None,
            "t_s": _seconds(self.ts, midnight) if self.ts else None,
        }


class LiveFleet:
    """Vans by id; ``midnight`` is the local midnight that starts the plan's day."""

    def __init__(self, midnight: datetime) -> None:
        self.midnight = midnight
        self.vans: dict[str, LiveVan] = {}

    def apply(self, rows: Iterable[tuple[str, datetime, str, float]]) -> set[str]:
        """Fold rows ``(vehicle_id, ts, name, value)`` in; the ids of the vans that changed."""
        changed: set[str] = set()
        for van_id, ts, name, value in rows:
            attr = _FIELDS.get(name)
            if attr is None:
                continue
            van = self.vans.setdefault(van_id, LiveVan())
            if van.ts is not None and ts < van.ts and name != SPEED and name != SOC:
                continue  # a late position never moves the marker back
            setattr(van, attr, value)
            van.ts = ts if van.ts is None or ts > van.ts else van.ts
            t_s = _seconds(ts, self.midnight)
            if name == SOC:
                _add_point(van.soc_series, t_s, value)
            elif name == SPEED:
                _add_point(van.speed_series, t_s, value)
                if value > STILL_KMH:
                    van.still_since = None
                elif van.still_since is None:
                    van.still_since = ts
            changed.add(van_id)
        return changed

    def soc(self) -> dict[str, LiveSoc]:
        return {
            v: LiveSoc(van.soc_pct / 100.0, _seconds(van.ts, self.midnight))
            for v, van in self.vans.items()
            if van.soc_pct is not None and van.ts is not None
        }

    def stillness(self, now: datetime) -> dict[str, Stillness]:
        return {
            v: Stillness(van.still_since, (now - van.still_since).total_seconds(), van.lat, van.lon)
            for v, van in self.vans.items()
            if van.still_since is not None
        }

    def series(self) -> dict[str, dict[str, list[tuple[float, float]]]]:
        return {
            v: {"soc_pct": van.soc_series, "speed_kmh": van.speed_series}
            for v, van in self.vans.items()
        }


def _seconds(ts: datetime, midnight: datetime) -> float:
    return round((ts - midnight).total_seconds(), 3)


def _add_point(series: list[tuple[float, float]], t_s: float, value: float) -> None:
    """Keep a series in time order at one point per minute: a value in the last point's minute
    replaces it; an older one (a late row) is left out of the plot."""
    if series and t_s < series[-1][0]:
        return
    if series and int(t_s // 60) == int(series[-1][0] // 60):
        series[-1] = (t_s, value)
    else:
        series.append((t_s, value))
