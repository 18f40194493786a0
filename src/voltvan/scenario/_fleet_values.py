"""Reading one value of ``fleet.toml``: text, an array of tables, kW or W, a required key, hours.

Shared by the readers of each table (:mod:`~voltvan.scenario._fleet_sites`,
:mod:`~voltvan.scenario._fleet_vehicles`) and of the top level, so every table words a wrong
value the same way and converts kilo units to SI in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from voltvan.domain import DAY_S, TimeWindow
from voltvan.errors import InvalidInput
from voltvan.scenario._toml import TomlSource
from voltvan.scenario._units import parse_number, parse_time


def text(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{value!r} is not text", field=field)
    return value


def array(src: TomlSource, key: str) -> list[Mapping[str, Any]]:
    value = src.data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise InvalidInput(
            f"{key} must be an array of tables ([[{key}]])",
            file=src.label, line=src.line(None, None, key), field=key,
        )  # fmt: skip
    return value


def kilo(e: Mapping[str, Any], kilo_key: str, si_key: str, default: float | None) -> float | None:
    """A value given in kW/kWh (``kilo_key``) or in W/Wh (``si_key``), in SI units."""
    if kilo_key in e and si_key in e:
        raise InvalidInput(f"give either {kilo_key} or {si_key}, not both", field=si_key)
    if kilo_key in e:
        return parse_number(e[kilo_key], kilo_key) * 1000
    if si_key in e:
        return parse_number(e[si_key], si_key)
    return default


def required(e: Mapping[str, Any], key: str, what: str) -> Any:
    if key not in e:
        raise InvalidInput(f"{what} lacks {key}", field=key)
    return e[key]


def staffed(value: object) -> tuple[TimeWindow, ...]:
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


def which(e: Mapping[str, Any], stem: str, si: str = "w") -> str:
    """The key the file used for a quantity given in kilo or SI units (for error messages)."""
    return f"{stem}_k{si}" if f"{stem}_k{si}" in e else f"{stem}_{si}"
