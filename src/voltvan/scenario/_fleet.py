"""``fleet.toml`` (format version 1) into a :class:`~voltvan.domain.Fleet`, naming lines on error.

The file speaks kWh, kW and ``HH:MM``; the domain speaks Wh, W and seconds. Every key has a
documented default (``docs/formats/scenario.md``); unknown keys are refused because a typo in an
optional key would otherwise fall back to its default without a word.

This module reads the top level and assembles the fleet; each table is read by
:mod:`~voltvan.scenario._fleet_sites` (tariff, depots, chargers) or
:mod:`~voltvan.scenario._fleet_vehicles` (vehicle types, vans).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from voltvan.domain import Fleet
from voltvan.errors import InvalidInput
from voltvan.scenario._fleet_sites import parse_charger, parse_depot, parse_tariff
from voltvan.scenario._fleet_values import array, text
from voltvan.scenario._fleet_vehicles import parse_vans, parse_vehicle_type
from voltvan.scenario._toml import TomlSource, check_keys
from voltvan.scenario._units import parse_number

FORMAT_VERSION = 1

_TOP = {
    "format_version", "name", "date", "ambient_c", "stops_file", "matrix_file",
    "tariff", "depots", "vehicle_types", "vans", "chargers",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class FleetFile:
    """What fleet.toml holds beyond the fleet: the scenario name and the companion files."""

    fleet: Fleet
    name: str
    stops_file: str
    matrix_file: str | None


def parse_fleet(src: TomlSource) -> FleetFile:
    d = src.data
    check_keys(d, _TOP, where="fleet.toml", source=src, table=None)
    with src.entry(None):
        if "format_version" not in d:
            raise InvalidInput(
                "format_version is missing (use format_version = 1)", field="format_version"
            )
        version = parse_number(d["format_version"], "format_version", integer=True)
        if version != FORMAT_VERSION:
            raise InvalidInput(
                f"format_version {version:g} is not supported (this voltvan reads version "
                f"{FORMAT_VERSION})",
                field="format_version",
            )
        ambient_c = parse_number(d.get("ambient_c", 15.0), "ambient_c")
        date = d.get("date", "")
        date = date.isoformat() if isinstance(date, dt.date) else text(date, "date")
        name = text(d.get("name", ""), "name")
        stops_file = text(d.get("stops_file", "stops.csv"), "stops_file")
        matrix_file = d.get("matrix_file")
        if matrix_file is not None:
            matrix_file = text(matrix_file, "matrix_file")
    tariff = parse_tariff(src, _table(src, "tariff"))
    depots = tuple(parse_depot(src, i, e) for i, e in enumerate(array(src, "depots")))
    types = tuple(parse_vehicle_type(src, i, e) for i, e in enumerate(array(src, "vehicle_types")))
    vans = parse_vans(src, depots, types)
    chargers = tuple(parse_charger(src, i, e, depots) for i, e in enumerate(array(src, "chargers")))
    for kind, items, table in (
        ("depot", depots, "depots"),
        ("vehicle type", types, "vehicle_types"),
        ("charger", chargers, "chargers"),
    ):
        _unique(src, kind, [x.id for x in items], table)
    with src.entry(None):
        fleet = Fleet(
            depots=depots, vehicle_types=types, vans=vans, chargers=chargers,
            tariff=tariff, ambient_c=ambient_c, date=date,
        )  # fmt: skip
    return FleetFile(fleet=fleet, name=name, stops_file=stops_file, matrix_file=matrix_file)


def _table(src: TomlSource, key: str) -> Mapping[str, Any]:
    value = src.data.get(key, {})
    if not isinstance(value, dict):
        raise InvalidInput(
            f"{key} must be a table ([{key}])",
            file=src.label,
            line=src.line(None, None, key),
            field=key,
        )
    return value


def _unique(src: TomlSource, kind: str, ids: list[str], table: str) -> None:
    seen: set[str] = set()
    for i, x in enumerate(ids):
        if x in seen:
            raise InvalidInput(
                f"duplicate {kind} id {x!r}",
                file=src.label,
                line=src.line(table, i, "id"),
                field="id",
            )
        seen.add(x)
