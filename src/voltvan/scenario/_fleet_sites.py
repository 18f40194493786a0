"""The tables of ``fleet.toml`` that say where and at what price vans charge: tariff, depots,
chargers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from voltvan.domain import Charger, Depot, Tariff, TariffPeriod, TimeWindow
from voltvan.errors import InvalidInput
from voltvan.scenario._fleet_values import kilo, required, staffed, text, which
from voltvan.scenario._toml import TomlSource, check_keys
from voltvan.scenario._units import parse_number, parse_time

_TARIFF = {"currency", "demand_charge_per_kw", "periods"}
_PERIOD = {"start", "end", "price_per_kwh"}
_DEPOT = {
    "id", "name", "lat", "lon", "open", "close", "site_power_limit_kw", "site_power_limit_w",
    "staffed",
}  # fmt: skip
_CHARGER = {
    "id", "kind", "current", "power_kw", "power_w", "connectors", "lat", "lon", "depot",
    "price_per_kwh",
}  # fmt: skip


def parse_tariff(src: TomlSource, t: Mapping[str, Any]) -> Tariff:
    if not t:
        return Tariff()
    check_keys(t, _TARIFF, where="[tariff]", source=src, table="tariff")
    with src.entry("tariff"):
        currency = text(t.get("currency", "EUR"), "currency")
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
                    start_s=parse_time(required(p, "start", "tariff period"), "start"),
                    end_s=parse_time(required(p, "end", "tariff period"), "end"),
                    price_per_kwh=parse_number(
                        required(p, "price_per_kwh", "tariff period"), "price_per_kwh"
                    ),
                )
            )
    with src.entry("tariff"):
        return Tariff(periods=tuple(periods), demand_charge_per_kw=demand, currency=currency)


def parse_depot(src: TomlSource, i: int, e: Mapping[str, Any]) -> Depot:
    check_keys(e, _DEPOT, where="[[depots]]", source=src, table="depots", index=i)
    keys = {
        "tw_start": "open",
        "tw_end": "close",
        "site_power_limit_w": which(e, "site_power_limit"),
    }
    with src.entry("depots", i, keys=keys):
        opening = TimeWindow(
            parse_time(e.get("open", "00:00"), "open"), parse_time(e.get("close", "24:00"), "close")
        )
        return Depot(
            id=text(required(e, "id", "depot"), "id"),
            name=text(e.get("name", ""), "name"),
            lat=parse_number(required(e, "lat", "depot"), "lat"),
            lon=parse_number(required(e, "lon", "depot"), "lon"),
            opening=opening,
            site_power_limit_w=kilo(e, "site_power_limit_kw", "site_power_limit_w", None),
            staffed=staffed(e.get("staffed", [])),
        )


def parse_charger(
    src: TomlSource, i: int, e: Mapping[str, Any], depots: tuple[Depot, ...]
) -> Charger:
    check_keys(e, _CHARGER, where="[[chargers]]", source=src, table="chargers", index=i)
    keys = {"power_w": which(e, "power"), "depot_id": "depot"}
    with src.entry("chargers", i, keys=keys):
        kind = text(e.get("kind", "public"), "kind")
        depot_id = e.get("depot")
        depot = None
        if depot_id is not None:
            depot_id = text(depot_id, "depot")
            depot = next((d for d in depots if d.id == depot_id), None)
            if depot is None:
                raise InvalidInput(f"unknown depot {depot_id!r}", field="depot")
        lat = e.get("lat", depot.lat if depot is not None else None)
        lon = e.get("lon", depot.lon if depot is not None else None)
        power = kilo(e, "power_kw", "power_w", None)
        if power is None:
            raise InvalidInput("charger lacks power_kw", field="power_kw")
        return Charger(
            id=text(required(e, "id", "charger"), "id"),
            lat=parse_number(lat if lat is not None else required(e, "lat", "charger"), "lat"),
            lon=parse_number(lon if lon is not None else required(e, "lon", "charger"), "lon"),
            power_w=power,
            connectors=int(parse_number(e.get("connectors", 1), "connectors", integer=True)),
            kind=kind,  # type: ignore[arg-type]
            current=text(e.get("current", "DC" if kind == "public" else "AC"), "current"),  # type: ignore[arg-type]
            depot_id=depot_id,
            price_per_kwh=parse_number(e.get("price_per_kwh", 0.0), "price_per_kwh"),
        )
