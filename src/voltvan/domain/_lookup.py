"""Finding a depot, van type, van, stop or charger by its id, with one error for a missing one.

Ids are how files and the API refer to things; an unknown one is the user's mistake, so it is
refused as bad input naming the kind and the id rather than surfacing as a ``KeyError``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

from voltvan.domain._places import Charger, Depot, Stop
from voltvan.domain._vehicles import Van, VehicleType
from voltvan.errors import InvalidInput

_T = TypeVar("_T", Depot, VehicleType, Van, Stop, Charger)


def _by_id(items: Sequence[_T], item_id: str, kind: str) -> _T:
    for item in items:
        if item.id == item_id:
            return item
    raise InvalidInput(f"unknown {kind} {item_id!r}", field="id")


def index_by_id(items: Iterable[_T]) -> Mapping[str, _T]:
    return {i.id: i for i in items}
