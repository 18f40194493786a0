"""Lesson 4 exercise: keep one connector free all night for a van that comes back late."""

from __future__ import annotations

from voltvan.charging import DepotProblem, Schedule


def schedule_with_reservation(problem: DepotProblem, late_van: str, connector_id: str) -> Schedule:
    """A valid schedule for the whole night in which ``connector_id`` serves ``late_van`` only.

    No other van may be plugged into that connector at any time of the night, and the late van
    charges there. The schedule must pass ``voltvan.charging.check_schedule(problem, ...)``
    (site limit included), charge every van fully and cost no more than needed.
    """
    raise NotImplementedError("schedule the late van on its connector, then the others around it")
