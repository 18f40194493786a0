"""``fleet.toml`` (format version 1) into a :class:`~voltvan.domain.Fleet`, naming lines on error.

The file speaks kWh, kW and ``HH:MM``; the domain speaks Wh, W and seconds. Every key has a
documented default (``docs/formats/scenario.md``); unknown keys are refused because a typo in an
optional key would otherwise fall back to its default without a word.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from voltvan.domain import (
    DAY_S,
    Charger,
    ConsumptionParams,
    Depot,
    Fleet,
    Tariff,
    TariffPeriod,
    TimeWindow,
    Van,
    VehicleType,
)
from voltvan.errors import InvalidInput
from voltvan.scenario._toml import TomlSource, check_keys
from voltvan.scenario._units import parse_number, parse_time

FORMAT_VERSION = 1
MAX_VAN_COUNT = 10_000

_TOP = {
    "format_version", "name", "date", "ambient_c", "stops_file", "matrix_file",
    "tariff", "depots", "vehicle_types", "vans", "chargers",
}  # fmt: skip
_TARIFF = {"currency", "demand_charge_per_kw", "periods"}
_PERIOD = {"start", "end", "price_per_kwh"}
_DEPOT = {
    "id", "name", "lat", "lon", "open", "close", "site_power_limit_kw", "site_power_limit_w",
    "staffed",
}  # fmt: skip
_TYPE = {
    "id", "name", "source", "battery_kwh", "battery_wh", "mass_kg", "payload_kg", "volume_m3",
    "reserve_fraction", "max_ac_kw", "max_ac_power_w", "max_dc_kw", "max_dc_power_w",
    "fixed_cost", "consumption",
}  # fmt: skip
_VAN = {"id", "type", "depot", "shift_start", "shift_end", "start_soc", "count", "id_prefix"}
_CHARGER = {
    "id", "kind", "current", "power_kw", "power_w", "connectors", "lat", "lon", "depot",
    "price_per_kwh",
}  # fmt: skip
_CONSUMPTION = {f.name for f in fields(ConsumptionParams)}


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
        date = date.isoformat() if isinstance(date, dt.date) else _text(date, "date")
        name = _text(d.get("name", ""), "name")
        stops_file = _text(d.get("stops_file", "stops.csv"), "stops_file")
        matrix_file = d.get("matrix_file")
        if matrix_file is not None:
            matrix_file = _text(matrix_file, "matrix_file")
    tariff = _tariff(src, _table(src, "tariff"))
    depots = tuple(_depot(src, i, e) for i, e in enumerate(_array(src, "depots")))
    types = tuple(_vehicle_type(src, i, e) for i, e in enumerate(_array(src, "vehicle_types")))
    vans = _vans(src, depots, types)
    chargers = tuple(_charger(src, i, e, depots) for i, e in enumerate(_array(src, "chargers")))
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


def _text(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{value!r} is not text", field=field)
    return value


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


def _array(src: TomlSource, key: str) -> list[Mapping[str, Any]]:
    value = src.data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise InvalidInput(
            f"{key} must be an array of tables ([[{key}]])",
            file=src.label, line=src.line(None, None, key), field=key,
        )  # fmt: skip
    return value


def _kilo(e: Mapping[str, Any], kilo_key: str, si_key: str, default: float | None) -> float | None:
    """A value given in kW/kWh (``kilo_key``) or in W/Wh (``si_key``), in SI units."""
    if kilo_key in e and si_key in e:
        raise InvalidInput(f"give either {kilo_key} or {si_key}, not both", field=si_key)
    if kilo_key in e:
        return parse_number(e[kilo_key], kilo_key) * 1000
    if si_key in e:
        return parse_number(e[si_key], si_key)
    return default


def _required(e: Mapping[str, Any], key: str, what: str) -> Any:
    if key not in e:
        raise InvalidInput(f"{what} lacks {key}", field=key)
    return e[key]


def _tariff(src: TomlSource, t: Mapping[str, Any]) -> Tariff:
    if not t:
        return Tariff()
    check_keys(t, _TARIFF, where="[tariff]", source=src, table="tariff")
    with src.entry("tariff"):
        currency = _text(t.get("currency", "EUR"), "currency")
        demand = parse_number(t.get("demand_charge_per_kw", 0.0), "demand_charge_per_kw")
    periods_raw = t.get("periods", [])
    if not isinstance(periods_raw, list) or not periods_raw:
        raise InvalidInput(
            "tariff needs periods ([[tariff.periods]] with start, end, price_per_kwh)",
            file=src.label, line=src.line("tariff", None, "periods"), field="periods",
        )  # fmt: skip
    periods = []
    for i, p in enumerate(periods_raw):
        if not isinstance(p, dict):
            raise InvalidInput(
                "each tariff period must be a table with start, end, price_per_kwh",
                file=src.label, line=src.line("tariff", None, "periods"), field="periods",
            )  # fmt: skip
        check_keys(
            p, _PERIOD, where="[[tariff.periods]]", source=src, table="tariff.periods", index=i
        )
        with src.entry("tariff.periods", i, keys={"tw_start": "start", "tw_end": "end"}):
            periods.append(
                TariffPeriod(
                    start_s=parse_time(_required(p, "start", "tariff period"), "start"),
                    end_s=parse_time(_required(p, "end", "tariff period"), "end"),
                    price_per_kwh=parse_number(
                        _required(p, "price_per_kwh", "tariff period"), "price_per_kwh"
                    ),
                )
            )
    with src.entry("tariff"):
        return Tariff(periods=tuple(periods), demand_charge_per_kw=demand, currency=currency)


def _depot(src: TomlSource, i: int, e: Mapping[str, Any]) -> Depot:
    check_keys(e, _DEPOT, where="[[depots]]", source=src, table="depots", index=i)
    keys = {
        "tw_start": "open",
        "tw_end": "close",
        "site_power_limit_w": _which(e, "site_power_limit"),
    }
    with src.entry("depots", i, keys=keys):
        opening = TimeWindow(
            parse_time(e.get("open", "00:00"), "open"), parse_time(e.get("close", "24:00"), "close")
        )
        return Depot(
            id=_text(_required(e, "id", "depot"), "id"),
            name=_text(e.get("name", ""), "name"),
            lat=parse_number(_required(e, "lat", "depot"), "lat"),
            lon=parse_number(_required(e, "lon", "depot"), "lon"),
            opening=opening,
            site_power_limit_w=_kilo(e, "site_power_limit_kw", "site_power_limit_w", None),
            staffed=_staffed(e.get("staffed", [])),
        )


def _staffed(value: object) -> tuple[TimeWindow, ...]:
    """``["22:00-02:00", ...]``: a window that ends before it starts runs past midnight."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(
            f'{value!r} is not a list of hours like ["22:00-02:00"]', field="staffed"
        )
    out = []
    for text in value:
        start_text, sep, end_text = text.partition("-")
        if not sep:
            raise InvalidInput(
                f'{text!r} is not a span of hours like "22:00-02:00"', field="staffed"
            )
        start = parse_time(start_text.strip(), "staffed")
        end = parse_time(end_text.strip(), "staffed")
        if end <= start:
            end += DAY_S
        out.append(TimeWindow(start, end))
    return tuple(out)


def _which(e: Mapping[str, Any], stem: str, si: str = "w") -> str:
    """The key the file used for a quantity given in kilo or SI units (for error messages)."""
    return f"{stem}_k{si}" if f"{stem}_k{si}" in e else f"{stem}_{si}"


def _vehicle_type(src: TomlSource, i: int, e: Mapping[str, Any]) -> VehicleType:
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
        "battery_wh": _which(e, "battery", "wh"),
        "max_ac_power_w": "max_ac_kw" if "max_ac_kw" in e else "max_ac_power_w",
        "max_dc_power_w": "max_dc_kw" if "max_dc_kw" in e else "max_dc_power_w",
    }
    with src.entry("vehicle_types", i, keys=keys):
        consumption = ConsumptionParams(**{k: parse_number(v, k) for k, v in cons.items()})
        battery = _kilo(e, "battery_kwh", "battery_wh", None)
        if battery is None:
            raise InvalidInput("vehicle type lacks battery_kwh", field="battery_kwh")
        return VehicleType(
            id=_text(_required(e, "id", "vehicle type"), "id"),
            name=_text(e.get("name", ""), "name"),
            source=_text(e.get("source", ""), "source"),
            battery_wh=battery,
            mass_kg=parse_number(_required(e, "mass_kg", "vehicle type"), "mass_kg"),
            payload_kg=parse_number(_required(e, "payload_kg", "vehicle type"), "payload_kg"),
            volume_m3=parse_number(_required(e, "volume_m3", "vehicle type"), "volume_m3"),
            reserve_fraction=parse_number(e.get("reserve_fraction", 0.10), "reserve_fraction"),
            max_ac_power_w=_kilo(e, "max_ac_kw", "max_ac_power_w", 11_000.0) or 0.0,
            max_dc_power_w=_kilo(e, "max_dc_kw", "max_dc_power_w", 50_000.0) or 0.0,
            consumption=consumption,
            fixed_cost=parse_number(e.get("fixed_cost", 0.0), "fixed_cost"),
        )


def _vans(
    src: TomlSource, depots: tuple[Depot, ...], types: tuple[VehicleType, ...]
) -> tuple[Van, ...]:
    type_ids = [t.id for t in types]
    depot_ids = [d.id for d in depots]
    vans: list[Van] = []
    lines: list[int | None] = []
    for i, e in enumerate(_array(src, "vans")):
        check_keys(e, _VAN, where="[[vans]]", source=src, table="vans", index=i)
        keys = {"tw_start": "shift_start", "tw_end": "shift_end"}
        with src.entry("vans", i, keys=keys):
            type_id = _text(_required(e, "type", "van"), "type")
            if type_id not in type_ids:
                raise InvalidInput(
                    f"unknown vehicle type {type_id!r} (known: {', '.join(type_ids) or 'none'})",
                    field="type",
                )
            default_depot = depot_ids[0] if len(depot_ids) == 1 else None
            depot_id = (
                _text(e.get("depot", default_depot), "depot")
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
                prefix = _text(e.get("id_prefix", f"{type_id}-"), "id_prefix")
                width = max(2, len(str(count)))
                ids = [f"{prefix}{k:0{width}d}" for k in range(1, count + 1)]
            else:
                ids = [_text(_required(e, "id", "van"), "id")]
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


def _charger(src: TomlSource, i: int, e: Mapping[str, Any], depots: tuple[Depot, ...]) -> Charger:
    check_keys(e, _CHARGER, where="[[chargers]]", source=src, table="chargers", index=i)
    keys = {"power_w": _which(e, "power"), "depot_id": "depot"}
    with src.entry("chargers", i, keys=keys):
        kind = _text(e.get("kind", "public"), "kind")
        depot_id = e.get("depot")
        depot = None
        if depot_id is not None:
            depot_id = _text(depot_id, "depot")
            depot = next((d for d in depots if d.id == depot_id), None)
            if depot is None:
                raise InvalidInput(f"unknown depot {depot_id!r}", field="depot")
        lat = e.get("lat", depot.lat if depot is not None else None)
        lon = e.get("lon", depot.lon if depot is not None else None)
        power = _kilo(e, "power_kw", "power_w", None)
        if power is None:
            raise InvalidInput("charger lacks power_kw", field="power_kw")
        return Charger(
            id=_text(_required(e, "id", "charger"), "id"),
            lat=parse_number(lat if lat is not None else _required(e, "lat", "charger"), "lat"),
            lon=parse_number(lon if lon is not None else _required(e, "lon", "charger"), "lon"),
            power_w=power,
            connectors=int(parse_number(e.get("connectors", 1), "connectors", integer=True)),
            kind=kind,  # type: ignore[arg-type]
            current=_text(e.get("current", "DC" if kind == "public" else "AC"), "current"),  # type: ignore[arg-type]
            depot_id=depot_id,
            price_per_kwh=parse_number(e.get("price_per_kwh", 0.0), "price_per_kwh"),
        )


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
