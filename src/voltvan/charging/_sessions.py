"""Real plug-in/plug-out patterns: the Trondheim residential charging sessions.

Sørensen, Lindberg, Sartori, Andresen, "Residential electric vehicle charging datasets from
apartment buildings", Data in Brief 36 (2021) 107105, CC BY 4.0: 6,878 sessions, semicolon
separated, decimal commas, ``DD.MM.YYYY HH:MM`` times. Overnight sessions (plugged in the
afternoon or evening, out the next morning) look like a depot night and drive our tests and
benchmark.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from voltvan.charging._model import ChargeRequest, Connector, DepotProblem
from voltvan.domain import Tariff
from voltvan.errors import InvalidInput

_FMT = "%d.%m.%Y %H:%M"


@dataclass(frozen=True, slots=True)
class PlugSession:
    """One real session: plug-in time of day (s), plug-out on the same clock, energy (Wh)."""

    plug_in_s: float
    plug_out_s: float
    energy_wh: float
    user_id: str

    @property
    def is_overnight(self) -> bool:
        """Plugged in 14:00-24:00, out 04:00-11:00 the next morning."""
        return 14 * 3600 <= self.plug_in_s < 24 * 3600 and 28 * 3600 <= self.plug_out_s <= 35 * 3600


def read_trondheim_sessions(path: Path) -> list[PlugSession]:
    """Every session with readable times and energy (unreadable rows are skipped, counted)."""
    out: list[PlugSession] = []
    try:
        fh = path.open(newline="", encoding="utf-8")
    except FileNotFoundError as exc:
        raise InvalidInput("file not found", file=path) from exc
    with fh:
        reader = csv.DictReader(fh, delimiter=";")
        needed = {"Start_plugin", "End_plugout", "El_kWh", "User_ID"}
        if not needed <= set(reader.fieldnames or ()):
            raise InvalidInput(
                "not the Trondheim sessions file", file=path, line=1, field="Start_plugin"
            )
        for row in reader:
            try:
                start = dt.datetime.strptime(row["Start_plugin"], _FMT)
                end = dt.datetime.strptime(row["End_plugout"], _FMT)
                kwh = float(row["El_kWh"].replace(",", "."))
            except (ValueError, TypeError, AttributeError):
                continue
            if end <= start or kwh < 0:
                continue
            midnight = start.replace(hour=0, minute=0)
            out.append(
                PlugSession(
                    plug_in_s=(start - midnight).total_seconds(),
                    plug_out_s=(end - midnight).total_seconds(),
                    energy_wh=kwh * 1000.0,
                    user_id=row["User_ID"],
                )
            )
    return out


def depot_night(
    sessions: list[PlugSession],
    *,
    num_vans: int,
    num_connectors: int,
    site_limit_w: float,
    tariff: Tariff,
    seed: int,
    battery_wh: float = 68_000.0,
    connector_power_w: float = 11_000.0,
    slot_s: float = 900.0,
) -> DepotProblem:
    """A depot night: real overnight plug-in/out times, route needs of 25-55 kWh plus a 10 %
    reserve, arrival SoC 15-35 %, on a 24-hour grid from noon (96 slots of 15 minutes)."""
    nights = [s for s in sessions if s.is_overnight]
    if not nights:
        raise InvalidInput("no overnight sessions to sample from", field="sessions")
    rng = random.Random(seed)
    requests = []
    for i in range(num_vans):
        s = rng.choice(nights)
        need = rng.uniform(25_000.0, 55_000.0) + 0.1 * battery_wh
        requests.append(
            ChargeRequest(
                vehicle_id=f"V{i + 1:03d}",
                battery_wh=battery_wh,
                arrival_s=s.plug_in_s,
                departure_s=s.plug_out_s,
                soc_arrival=rng.uniform(0.15, 0.35),
                energy_needed_wh=need,
                max_ac_power_w=11_000.0,
                ceiling_wh=0.9 * battery_wh,
            )
        )
    per_charger = 2
    connectors = tuple(
        Connector(f"CP{j // per_charger + 1:02d}", j % per_charger + 1, connector_power_w, "AC")
        for j in range(num_connectors)
    )
    return DepotProblem(
        requests=tuple(requests),
        connectors=connectors,
        site_limit_w=site_limit_w,
        tariff=tariff,
        slot_s=slot_s,
        start_s=12 * 3600.0,
        num_slots=round(24 * 3600 / slot_s),
    )
