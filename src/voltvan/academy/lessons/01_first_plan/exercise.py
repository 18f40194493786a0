"""Lesson 1 exercise: answer a dispatcher's questions from a plan file.

``plan`` is a parsed ``plan.json`` (``json.load``); its format is in docs/formats/plan.md.
"""

from __future__ import annotations

from typing import Any


def km_per_van(plan: dict[str, Any]) -> dict[str, float]:
    """Kilometres each van drives, keyed by its ``van_id`` (vans without a route left out)."""
    raise NotImplementedError("add up each route's distance, in kilometres")


def lowest_return_soc(plan: dict[str, Any]) -> tuple[str, float]:
    """The van that comes back to the depot with the lowest state of charge, and that SoC (0..1)."""
    raise NotImplementedError("find the route whose last visit has the lowest state of charge")
