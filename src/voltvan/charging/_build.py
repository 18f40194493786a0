"""From the fleet, tomorrow's plan and tonight's arrivals to a :class:`DepotProblem`.

Each van's departure is its planned route start (the next morning, so ``+ 1 day`` in the
evening's clock) and its need is the route's energy from the depot including the reserve. Its
arrival and SoC come, in order of preference, from an arrivals file (or live telemetry), from
the end of its route in the previous day's plan, or from the defaults.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from voltvan.charging._model import ChargeRequest, Connector, DepotProblem, Taper
from voltvan.domain import DAY_S, Fleet
from voltvan.errors import InvalidInput
from voltvan.plan import Plan


@dataclass(frozen=True, slots=True)
class Arrival:
    """When a van plugs in tonight and with what SoC; ``charger_id`` pins it to a bay."""

    arrival_s: float
    soc: float
    charger_id: str | None = None


def depot_connectors(fleet: Fleet, depot_id: str) -> tuple[Connector, ...]:
    """One :class:`Connector` per plug of each depot charger (``power_w`` is per plug)."""
    return tuple(
        Connector(ch.id, n, ch.power_w, ch.current)
        for ch in fleet.chargers
        if ch.kind == "depot" and ch.depot_id == depot_id
        for n in range(1, ch.connectors + 1)
    )


def problem_from_plan(
    fleet: Fleet,
    plan: Plan,
    *,
    depot_id: str | None = None,
    arrivals: Mapping[str, Arrival] | None = None,
    previous_plan: Plan | None = None,
    default_arrival_s: float = 18 * 3600.0,
    default_soc: float = 0.2,
    target_soc: float = 0.9,
    slot_s: float = 900.0,
    efficiency: float = 0.93,
    base_load_w: Sequence[float] = (),
    taper: Taper | None = None,
) -> DepotProblem:
    """The night before ``plan`` at one depot (the first depot of the fleet by default)."""
    depot = fleet.depot(depot_id) if depot_id else fleet.depots[0]
    arrivals = arrivals or {}
    for vid in arrivals:
        if vid not in {v.id for v in fleet.vans}:
            raise InvalidInput(f"arrival for unknown van {vid!r}", field="vehicle_id")
    connectors = depot_connectors(fleet, depot.id)
    if not connectors:
        raise InvalidInput(f"depot {depot.id} has no depot chargers", field="chargers")
    requests = []
    for route in plan.routes:
        if route.depot_id != depot.id:
            continue
        van = fleet.van(route.van_id)
        vt = fleet.type_of(van)
        if van.id in arrivals:
            arr = arrivals[van.id]
        elif previous_plan is not None and any(r.van_id == van.id for r in previous_plan.routes):
            prev = previous_plan.route_of(van.id)
            arr = Arrival(prev.end_s, prev.visits[-1].soc)
        else:
            arr = Arrival(default_arrival_s, default_soc)
        requests.append(
            ChargeRequest(
                vehicle_id=van.id,
                battery_wh=vt.battery_wh,
                arrival_s=arr.arrival_s,
                departure_s=route.start_s + DAY_S,
                soc_arrival=arr.soc,
                energy_needed_wh=route.energy_needed_wh,
                max_ac_power_w=vt.max_ac_power_w,
                max_dc_power_w=vt.max_dc_power_w,
                ceiling_wh=target_soc * vt.battery_wh,
                charger_id=arr.charger_id,
                taper=taper or Taper(),
            )
        )
    limit = depot.site_power_limit_w or sum(c.power_w for c in connectors)
    return DepotProblem(
        requests=tuple(requests),
        connectors=connectors,
        site_limit_w=limit,
        tariff=fleet.tariff,
        slot_s=slot_s,
        efficiency=efficiency,
        base_load_w=tuple(base_load_w),
        staffed_s=tuple((w.start_s, w.end_s) for w in depot.staffed),
    )


def parse_clock(text: str) -> float:
    """``HH:MM`` (hours may exceed 23 for the next morning) or plain seconds."""
    text = text.strip()
    if ":" in text:
        hh, mm = text.split(":", 1)
        h, m = int(hh), int(mm)
        if h < 0 or not 0 <= m < 60:
            raise ValueError(text)
        return h * 3600.0 + m * 60.0
    return float(text)


def read_arrivals(path: Path, *, charger_ids: Sequence[str] = ()) -> dict[str, Arrival]:
    """``vehicle_id,arrival,soc[,charger_id]`` per line; ``soc`` a fraction in [0, 1]."""
    out: dict[str, Arrival] = {}
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            missing = {"vehicle_id", "arrival", "soc"} - set(reader.fieldnames or ())
            if missing:
                raise InvalidInput(
                    f"missing columns {sorted(missing)}",
                    file=path,
                    line=1,
                    field=sorted(missing)[0],
                )
            for line, row in enumerate(reader, start=2):
                field = "arrival"
                try:
                    arrival = parse_clock(row["arrival"])
                    field = "soc"
                    soc = float(row["soc"])
                    if not 0.0 <= soc <= 1.0:
                        raise ValueError(row["soc"])
                except (ValueError, TypeError) as exc:
                    raise InvalidInput(
                        f"bad value {row.get(field)!r}", file=path, line=line, field=field
                    ) from exc
                charger = (row.get("charger_id") or "").strip() or None
                if charger is not None and charger_ids and charger not in charger_ids:
                    raise InvalidInput(
                        f"unknown charger id {charger!r}", file=path, line=line, field="charger_id"
                    )
                vid = (row.get("vehicle_id") or "").strip()
                if not vid or vid in out:
                    raise InvalidInput(
                        f"empty or repeated vehicle_id {vid!r}",
                        file=path,
                        line=line,
                        field="vehicle_id",
                    )
                out[vid] = Arrival(arrival, soc, charger)
    except FileNotFoundError as exc:
        raise InvalidInput("file not found", file=path) from exc
    return out


def read_base_load(path: Path, *, start_s: float, slot_s: float, num_slots: int) -> list[float]:
    """``time,power_w`` steps (``HH:MM``, repeating daily); each slot takes the step in force at
    its start (before the first step of the day, yesterday's last step)."""
    steps: list[tuple[float, float]] = []
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            for line, row in enumerate(csv.DictReader(fh), start=2):
                field = "time"
                try:
                    t = parse_clock(row["time"])
                    field = "power_w"
                    p = float(row["power_w"])
                    if p < 0:
                        raise ValueError(p)
                except (KeyError, ValueError, TypeError) as exc:
                    raise InvalidInput("bad value", file=path, line=line, field=field) from exc
                steps.append((t, p))
    except FileNotFoundError as exc:
        raise InvalidInput("file not found", file=path) from exc
    steps.sort()
    out = []
    for k in range(num_slots):
        tod = (start_s + k * slot_s) % DAY_S
        now = [p for s, p in steps if s <= tod]
        out.append(now[-1] if now else (steps[-1][1] if steps else 0.0))
    return out
