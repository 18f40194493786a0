"""How ``voltvan plan --time-limit`` is spent: one total for the whole command.

A dispatcher who gives ten minutes wants the files in ten minutes, not ten minutes of search
followed by a minute of checking and writing. So the clock starts before the scenario is read,
and the planner gets what is left less a reserve for what comes after it: the independent
check, plan.json, the GeoJSON and the report. Their cost grows with the stops: on the
40,000-stop day of ``docs/retailer.md`` the check took 5.2 s and the files 8.0 s on a quiet
machine; :data:`FINISH_S_PER_STOP` keeps 48 s for them, room for a machine busy enough to run
them three times slower. A city plan of 300 stops gives up half a second.
"""

from __future__ import annotations

import time

FINISH_S_PER_STOP = 1.2e-3
"""Seconds per stop kept for checking and writing the plan (see the module docstring)."""
FINISH_MIN_S = 0.2
MIN_PLANNING_S = 0.1
"""The planner always gets this much, even when reading ate the whole limit."""


def finish_reserve_s(num_stops: int) -> float:
    """Seconds kept back from the planner for the check and the files after it."""
    return FINISH_MIN_S + FINISH_S_PER_STOP * num_stops


def planning_budget_s(time_limit_s: float, started_s: float, num_stops: int) -> float:
    """What the planner may spend: the limit, less what the command has spent since
    ``started_s`` (a ``time.monotonic()`` reading) and the finish reserve."""
    spent_s = time.monotonic() - started_s
    return max(MIN_PLANNING_S, time_limit_s - spent_s - finish_reserve_s(num_stops))
