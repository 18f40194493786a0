"""The refusals every domain type shares: one message shape and one field name per bad value.

Each type checks itself where it is built; these helpers keep the wording the same across
them, so a user reading ``depot d1: lat 95 is outside [-90, 90]`` or ``duplicate van id 'v1'``
knows the same rule from any file, and the API can point at the field.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from voltvan.errors import InvalidInput


def _require(ok: bool, message: str, field_name: str) -> None:
    if not ok:
        raise InvalidInput(message, field=field_name)


def _finite(value: float, field_name: str, *, owner: str) -> None:
    _require(
        isinstance(value, int | float) and math.isfinite(value),
        f"{owner}: {field_name} must be a finite number, got {value!r}",
        field_name,
    )


def _non_negative(value: float, field_name: str, *, owner: str) -> None:
    _finite(value, field_name, owner=owner)
    _require(value >= 0, f"{owner}: {field_name} must not be negative, got {value}", field_name)


def _fraction(value: float, field_name: str, *, owner: str) -> None:
    _finite(value, field_name, owner=owner)
    _require(
        0.0 <= value <= 1.0, f"{owner}: {field_name} must lie in [0, 1], got {value}", field_name
    )


def _lat_lon(lat: float, lon: float, *, owner: str) -> None:
    _finite(lat, "lat", owner=owner)
    _finite(lon, "lon", owner=owner)
    _require(-90.0 <= lat <= 90.0, f"{owner}: lat {lat} is outside [-90, 90]", "lat")
    _require(-180.0 <= lon <= 180.0, f"{owner}: lon {lon} is outside [-180, 180]", "lon")


def _unique(kind: str, ids: Iterable[str]) -> None:
    seen: set[str] = set()
    for i in ids:
        _require(i not in seen, f"duplicate {kind} id {i!r}", "id")
        seen.add(i)
