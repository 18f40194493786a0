"""The page footer: how the plan was made, in words a dispatcher reads (not the plan's keys).

``plan.json`` keeps the statistics under their own names (``engine_feasible``,
``matrix_depart_s``, ...); this is the one place that says them in plain words. Keys it does not
know are left to ``plan.json`` rather than shown raw.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from html import escape
from typing import Any

from voltvan.domain import format_hhmm
from voltvan.report import _assets


def _seconds(x: float) -> str:
    return f"{x:.1f} s" if x < 10 else f"{x:,.0f} s"


def _yes_no(x: Any) -> str:
    return "yes" if x else "no"


# key -> (label, how to say the value); the order is the order of the footer.
_PLAIN: dict[str, tuple[str, Callable[[Any], str]]] = {
    "solver": ("made by", str),
    "method": ("method", str),
    "planning_time_s": ("planning took", _seconds),
    "time_limit_s": ("time limit", _seconds),
    "runtime_s": ("route search ran", _seconds),
    "solve_s": ("solving took", _seconds),
    "iterations": ("search steps", lambda x: f"{x:,}"),
    "rounds": ("search rounds", str),
    "attempts": ("attempts with tightened energy estimates", str),
    "engine_feasible": ("the route search found the plan feasible", _yes_no),
    "repaired_stops": ("stops moved when checking the routes", str),
    "reinserted_stops": ("left-over stops put back on routes", str),
    "matrix_depart_s": ("travel times as for departures at", format_hhmm),
    "replanned_at_s": ("replanned at", format_hhmm),
    "seed": ("random seed", str),
}


def plan_facts(stats: Mapping[str, Any]) -> list[str]:
    """``label value`` for each statistic the footer knows, in a fixed order."""
    out = []
    for key, (label, say) in _PLAIN.items():
        value = stats.get(key)
        if value is None or not isinstance(value, str | int | float | bool):
            continue
        out.append(f"{label}: {say(value)}")
    return out


def footer_html(stats: Mapping[str, Any]) -> str:
    facts = "; ".join(escape(f) for f in plan_facts(stats))
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"Written by voltvan on {made}. "
        + (f"How the plan was made: {facts}. " if facts else "")
        + "Straight lines join consecutive visits (the map has no street layer). "
        f"Map drawn with Leaflet {escape(_assets.leaflet_version())} (BSD-2-Clause)."
    )
