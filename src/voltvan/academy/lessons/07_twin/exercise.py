"""Lesson 7 exercise: read the twin's verdict, then use the twin to size the overnight charge.

Edit the two functions below, then run ``voltvan academy check 7``.
"""

from __future__ import annotations

from typing import Any

from voltvan.domain import Scenario
from voltvan.plan import Plan


def stranded_van_days(doc: dict[str, Any]) -> list[tuple[int, str, str]]:
    """Every van-day on which a van ran out of battery, as ``(day, van_id, location_id)``.

    ``doc`` is a ``twin.json`` document (``voltvan.twin.twin_document``). ``location_id`` is the
    place the van was driving to, or standing at, when its battery reached zero: read it from the
    van-day's events. Order the list by day, then by van id.
    """
    raise NotImplementedError("read doc['by_day'][...]['vans'][...] and their events")


def smallest_safe_start_soc(scenario: Scenario, plan: Plan, *, days: int, seed: int) -> float:
    """The least state of charge (a multiple of 0.01) every van must leave the depot with so
    that no van is stranded on any of ``days`` simulated days of ``seed``.

    Drive the plan with ``voltvan.twin.simulate`` on copies of ``scenario`` whose vans all start
    with the same ``start_soc`` (``dataclasses.replace``). A lower charge never strands fewer
    vans, so you need not try every value.
    """
    raise NotImplementedError("search start_soc in steps of 0.01 with voltvan.twin.simulate")
