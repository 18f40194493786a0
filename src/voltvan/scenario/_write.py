"""Write a scenario as a folder that :func:`read_scenario` reads back to an equal Scenario.

Quantities go out in the human unit (kWh, kW, ``HH:MM``) wherever converting back is exact, and in
the SI unit otherwise, so nothing is rounded on the way.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

import tomli_w

from voltvan.domain import (
    DAY_S,
    Charger,
    ConsumptionParams,
    Depot,
    Scenario,
    Tariff,
    Van,
    VehicleType,
)
from voltvan.errors import InvalidInput
from voltvan.scenario._fleet import FORMAT_VERSION
from voltvan.scenario._matrix import write_matrix
from voltvan.scenario._read import FLEET_FILE
from voltvan.scenario._stops import write_stops
from voltvan.scenario._units import compact, format_time, kilo_exact

STOPS_FILE = "stops.csv"
MATRIX_FILE = "matrix.csv"


def write_scenario(scenario: Scenario, path: str | Path) -> Path:
    """Write ``fleet.toml``, ``stops.csv`` (and ``matrix.csv``) into folder ``path``; return it."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise InvalidInput("exists and is not a folder", file=str(folder))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        document = tomli_w.dumps(fleet_document(scenario))
        (folder / FLEET_FILE).write_text(document, encoding="utf-8")
        write_stops(scenario.stops, folder / STOPS_FILE)
        if scenario.matrix is not None:
            write_matrix(scenario.matrix, folder / MATRIX_FILE)
    except OSError as exc:
        raise InvalidInput(f"cannot write: {exc.strerror}", file=str(folder)) from None
    return folder


def fleet_document(scenario: Scenario) -> dict[str, Any]:
    """The fleet.toml content as a TOML-ready dict."""
    fleet = scenario.fleet
    doc: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "name": scenario.name,
        "date": fleet.date,
        "ambient_c": compact(fleet.ambient_c),
        "stops_file": STOPS_FILE,
    }
    if scenario.matrix is not None:
        doc["matrix_file"] = MATRIX_FILE
    doc["tariff"] = _tariff(fleet.tariff)
    doc["depots"] = [_depot(d) for d in fleet.depots]
    doc["vehicle_types"] = [_vehicle_type(t) for t in fleet.vehicle_types]
    doc["vans"] = [_van(v) for v in fleet.vans]
    doc["chargers"] = [_charger(c) for c in fleet.chargers]
    return doc


def _kilo(out: dict[str, Any], kilo_key: str, si_key: str, value: float) -> None:
    k = kilo_exact(value)
    if k is not None:
        out[kilo_key] = compact(k)
    else:
        out[si_key] = compact(value)


def _tariff(t: Tariff) -> dict[str, Any]:
    return {
        "currency": t.currency,
        "demand_charge_per_kw": compact(t.demand_charge_per_kw),
        "periods": [
            {
                "start": format_time(p.start_s),
                "end": format_time(p.end_s),
                "price_per_kwh": compact(p.price_per_kwh),
            }
            for p in t.periods
        ],
    }


def _depot(d: Depot) -> dict[str, Any]:
    out: dict[str, Any] = {"id": d.id}
    if d.name:
        out["name"] = d.name
    out |= {
        "lat": d.lat,
        "lon": d.lon,
        "open": format_time(d.opening.start_s),
        "close": format_time(d.opening.end_s),
    }
    if d.site_power_limit_w is not None:
        _kilo(out, "site_power_limit_kw", "site_power_limit_w", d.site_power_limit_w)
    if d.staffed:
        out["staffed"] = [
            f"{format_time(w.start_s)}-{format_time(w.end_s % DAY_S)}" for w in d.staffed
        ]
    return out


def _vehicle_type(t: VehicleType) -> dict[str, Any]:
    out: dict[str, Any] = {"id": t.id}
    if t.name:
        out["name"] = t.name
    if t.source:
        out["source"] = t.source
    _kilo(out, "battery_kwh", "battery_wh", t.battery_wh)
    out |= {
        "mass_kg": compact(t.mass_kg),
        "payload_kg": compact(t.payload_kg),
        "volume_m3": compact(t.volume_m3),
        "reserve_fraction": compact(t.reserve_fraction),
    }
    _kilo(out, "max_ac_kw", "max_ac_power_w", t.max_ac_power_w)
    _kilo(out, "max_dc_kw", "max_dc_power_w", t.max_dc_power_w)
    out["fixed_cost"] = compact(t.fixed_cost)
    out["consumption"] = {
        f.name: compact(getattr(t.consumption, f.name)) for f in fields(ConsumptionParams)
    }
    return out


def _van(v: Van) -> dict[str, Any]:
    return {
        "id": v.id,
        "type": v.type_id,
        "depot": v.depot_id,
        "shift_start": format_time(v.shift.start_s),
        "shift_end": format_time(v.shift.end_s),
        "start_soc": compact(v.start_soc),
    }


def _charger(c: Charger) -> dict[str, Any]:
    out: dict[str, Any] = {"id": c.id, "kind": c.kind, "current": c.current}
    _kilo(out, "power_kw", "power_w", c.power_w)
    out |= {"connectors": c.connectors, "lat": c.lat, "lon": c.lon}
    if c.depot_id is not None:
        out["depot"] = c.depot_id
    out["price_per_kwh"] = compact(c.price_per_kwh)
    return out
