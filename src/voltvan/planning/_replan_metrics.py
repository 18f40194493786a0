"""How much a re-plan changed the drivers' day: stops moved to another van, stops reordered.

Only the stops still to serve count (history cannot change). A stop *moved* when it was on one
van's remaining route in the parent and is on another van now. A stop *changed position* when it
stayed on its van but its rank among that van's stops that stayed changed: taking a stop out or
adding new ones does not by itself count as reordering the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from voltvan.plan import Plan, Route


@dataclass(frozen=True)
class ReplanCounts:
    remaining: int
    """Stops the parent plan still had to serve at the re-plan time."""
    moved: int
    changed_position: int
    added: int
    """Stops served now that no van had to serve in the parent's remaining routes."""
    dropped: int
    """Stops of the parent's remaining routes that are unassigned now."""
    history: int
    """Stops (served or failed) before the re-plan, kept as they were."""


def _remaining(route: Route) -> list[str]:
    """Stops still to serve: after the last resume, or all of a plain route."""
    if route.out_of_service_s is not None:
        return []
    k = route.resume_index
    start = 0 if k is None else k + 1
    return [v.location_id for v in route.visits[start:] if v.kind == "stop"]


def count_changes(parent: Plan, routes: Sequence[Route]) -> ReplanCounts:
    history = {
        v.location_id
        for r in routes
        for v in r.visits[: _history_end(r)]
        if v.kind in ("stop", "failed")
    }
    before: dict[str, list[str]] = {}
    for r in parent.routes:
        before[r.van_id] = [s for s in r.stop_ids if s not in history]
    van_before = {s: van for van, stops in before.items() for s in stops}
    after = {r.van_id: _remaining(r) for r in routes}
    van_after = {s: van for van, stops in after.items() for s in stops}
    moved = sum(1 for s, van in van_before.items() if van_after.get(s, van) != van)
    changed = 0
    for van, old in before.items():
        new = [s for s in after.get(van, []) if van_before.get(s) == van]
        kept = set(new)
        old_kept = [s for s in old if s in kept]
        changed += sum(1 for a, b in zip(old_kept, new, strict=True) if a != b)
    return ReplanCounts(
        remaining=len(van_before),
        moved=moved,
        changed_position=changed,
        added=sum(1 for s in van_after if s not in van_before),
        dropped=sum(1 for s in van_before if s not in van_after),
        history=len(history),
    )


def _history_end(route: Route) -> int:
    if route.out_of_service_s is not None:
        return len(route.visits)
    k = route.resume_index
    return 0 if k is None else k
