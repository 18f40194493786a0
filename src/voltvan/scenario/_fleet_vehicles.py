"""The tables of ``fleet.toml`` that describe the vehicles: vehicle types (battery, mass,
consumption) and vans (one by one, or ``count`` of a type with generated ids).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from voltvan.domain import ConsumptionParams, Depot, TimeWindow, Van, VehicleType
from voltvan.errors import InvalidInput
from voltvan.scenario._fleet_values import array, kilo, required, text, which
from voltvan.scenario._toml import TomlSource, check_keys
from voltvan.scenario._units import parse_number, parse_time

MAX_VAN_COUNT = 10_000

_TYPE = {
    "id", "name", "source", "battery_kwh", "battery_wh", "mass_kg", "payload_kg", "volume_m3",
    "reserve_fraction", "max_ac_kw", "max_ac_power_w", "max_dc_kw", "max_dc_power_w",
    "fixed_cost", "consumption",
}  # fmt: skip
_VAN = {"id", "type", "depot", "shift_start", "shift_end", "start_soc", "count", "id_prefix"}
_CONSUMPTION = {f.name for f in fields(ConsumptionParams)}


def parse_vehicle_type(src: TomlSource, i: int, e: Mapping[str, Any]) -> VehicleType:
    check_keys(e, _TYPE, where="[[vehicle_types]]", source=src, table="vehicle_types", index=i)
    cons = e.get("consumption", {})
    if not isinstance(cons, dict):
        raise InvalidInput(
            "consumption must be a table", file=src.label,
            line=src.line("vehicle_types", i, "consumption"), field="consumption",
        )  # fmt: skip
    check_keys(
        cons, _CONSUMPTION, where="[vehicle_types.consumption]", source=src,
        table="vehicle_types", index=i,
    )  # fmt: skip
    keys = {
        "battery_wh": which(e, "battery", "wh"),
        "max_ac_power_w": "max_ac_kw" if "max_ac_kw" in e else "max_ac_power_w",
        "max_dc_power_w": "max_dc_kw" if "max_dc_kw" in e else "max_dc_power_w",
    }
    with src.entry("vehicle_types", i, keys=keys):
        consumption = ConsumptionParams(**{k: parse_number(v, k) for k, v in cons.items()})
        battery = kilo(e, "battery_kwh", "battery_wh", None)
        if battery is None:
            raise InvalidInput("vehicle type lacks battery_kwh", field="battery_kwh")
        return VehicleType(
            id=text(required(e, "id", "vehicle type"), "id"),
            name=text(e.get("name", ""), "name"),
            source=text(e.get("source", ""), "source"),
            battery_wh=battery,
            mass_kg=parse_number(required(e, "mass_kg", "vehicle type"), "mass_kg"),
            payload_kg=parse_number(required(e, "payload_kg", "vehicle type"), "payload_kg"),
            volume_m3=parse_number(required(e, "volume_m3", "vehicle type"), "volume_m3"),
            reserve_fraction=parse_number(e.get("reserve_fraction", 0.10), "reserve_fraction"),
            max_ac_power_w=kilo(e, "max_ac_kw", "max_ac_power_w", 11_000.0) or 0.0,
            max_dc_power_w=kilo(e, "max_dc_kw", "max_dc_power_w", 50_000.0) or 0.0,
            consumption=consumption,
            fixed_cost=parse_number(e.get("fixed_cost", 0.0), "fixed_cost"),
        )


def parse_vans(
    src: TomlSource, depots: tuple[Depot, ...], types: tuple[VehicleType, ...]
) -> tuple[Van, ...]:
    type_ids = [t.id for t in types]
    depot_ids = [d.id for d in depots]
    vans: list[Van] = []
    lines: list[int | None] = []
    for i, e in enumerate(array(src, "vans")):
        check_keys(e, _VAN, where="[[vans]]", source=src, table="vans", index=i)
        keys = {"tw_start": "shift_start", "tw_end": "shift_end"}
        with src.entry("vans", i, keys=keys):
            type_id = text(required(e, "type", "van"), "type")
            if type_id not in type_ids:
                raise InvalidInput(
                    f"unknown vehicle type {type_id!r} (known: {', '.join(type_ids) or 'none'})",
                    field="type",
                )
            default_depot = depot_ids[0] if len(depot_ids) == 1 else None
            depot_id = (
                text(e.get("depot", default_depot), "depot")
                if "depot" in e or default_depot
                else None
            )
            if depot_id is None:
                raise InvalidInput("van lacks depot (the fleet has several)", field="depot")
            if depot_id not in depot_ids:
                raise InvalidInput(
                    f"unknown depot {depot_id!r} (known: {', '.join(depot_ids) or 'none'})",
                    field="depot",
                )
            shift = TimeWindow(
                parse_time(e.get("shift_start", "07:00"), "shift_start"),
                parse_time(e.get("shift_end", "19:00"), "shift_end"),
            )
            soc = parse_number(e.get("start_soc", 1.0), "start_soc")
            if "count" in e:
                if "id" in e:
                    raise InvalidInput("give either id or count, not both", field="count")
                count = int(parse_number(e["count"], "count", integer=True))
                if not 1 <= count <= MAX_VAN_COUNT:
                    raise InvalidInput(
                        f"count must lie in [1, {MAX_VAN_COUNT}], got {count}", field="count"
                    )
                prefix = text(e.get("id_prefix", f"{type_id}-"), "id_prefix")
                width = max(2, len(str(count)))
                ids = [f"{prefix}{k:0{width}d}" for k in range(1, count + 1)]
            else:
                ids = [text(required(e, "id", "van"), "id")]
            for van_id in ids:
                vans.append(
                    Van(id=van_id, type_id=type_id, depot_id=depot_id, shift=shift, start_soc=soc)
                )
                lines.append(src.line("vans", i, "id" if "id" in e else "count"))
    seen: dict[str, int | None] = {}
    for van, line in zip(vans, lines, strict=True):
        if van.id in seen:
            raise InvalidInput(
                f"duplicate van id {van.id!r}", file=src.label, line=line, field="id"
            )
        seen[van.id] = line
    return tuple(vans)
