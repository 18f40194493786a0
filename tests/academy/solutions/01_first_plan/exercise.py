"""Lesson 1, reference solution."""

from __future__ import annotations

from typing import Any


def km_per_van(plan: dict[str, Any]) -> dict[str, float]:
    """Kilometres each van drives, keyed by its ``van_id``: the sum of its legs."""
    return {
        route["van_id"]: sum(v["distance_from_prev_m"] for v in route["visits"]) / 1000.0
        for route in plan["routes"]
    }


def lowest_return_soc(plan: dict[str, Any]) -> tuple[str, float]:
    """The van whose last visit (back at the depot) has the lowest state of charge."""
    back = [(route["van_id"], route["visits"][-1]["soc"]) for route in plan["routes"]]
    return min(back, key=lambda pair: pair[1])
