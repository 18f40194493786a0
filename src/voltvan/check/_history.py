"""The shape of a route, and for a re-plan, that what already happened is left as it was.

A route starts at its van's depot and ends there, or ends early when the van went out of service
(``out_of_service_s``, no ``end`` visit). It resumes once per re-plan it went through, so a day
re-planned twice has routes with two ``resume`` visits. ``failed`` visits happened before the
latest re-plan (before the last ``resume``, or on an out-of-service route); a ``reload`` is at the
depot.

Given the parent plan, each re-planned route's history (the visits before its last ``resume``, or
all visits of an out-of-service route) must be the first visits of the same van's parent route:
same places, same times, the parent's own ``resume`` visits included, kind for kind; a parent
``stop`` may have become ``failed``, nothing else may change.
"""

from __future__ import annotations

from voltvan.check._times import TIME_TOL_S
from voltvan.plan import Plan, Route, Visit

MIDDLE_KINDS = ("stop", "charge", "resume", "reload", "failed")


def check_structure(route: Route, depot_id: str) -> list[tuple[str, str]]:
    """(location, message) for each structural problem; the replay needs a sound structure."""
    v = route.visits
    if not v or v[0].kind != "start":
        return [("", "a route must begin with start")]
    if v[0].location_id != depot_id:
        return [(v[0].location_id, f"route must start at {depot_id}")]
    ended = route.out_of_service_s is None
    if ended and (len(v) < 2 or v[-1].kind != "end"):
        return [("", "a route must end with end (or be out of service)")]
    if ended and v[-1].location_id != depot_id:
        return [(v[-1].location_id, f"route must end at {depot_id}")]
    middle = v[1:-1] if ended else v[1:]
    bad = [x for x in middle if x.kind not in MIDDLE_KINDS]
    if bad:
        return [(bad[0].location_id, f"visit kind {bad[0].kind!r}")]
    return _midday_rules(route, middle, depot_id)


def _midday_rules(route: Route, middle: tuple[Visit, ...], depot_id: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    last = route.resume_index
    resume = None if last is None else last - 1  # an index into middle
    if route.out_of_service_s is not None:
        late = [x for x in middle if x.start_s > route.out_of_service_s + TIME_TOL_S]
        if late:
            out.append((late[0].location_id, "visit after the van went out of service"))
    for k, x in enumerate(middle):
        if x.kind == "failed" and route.out_of_service_s is None and (resume is None or k > resume):
            out.append(
                (x.location_id, "a failed visit can only be history (before the last resume)")
            )
        if x.kind == "reload" and x.location_id != depot_id:
            out.append((x.location_id, f"a reload must be at the depot {depot_id}"))
    return out


def history_of(route: Route) -> tuple[Visit, ...]:
    """The visits that had happened when the plan was last re-made (empty for a plain route)."""
    if route.out_of_service_s is not None:
        return route.visits
    k = route.resume_index
    return () if k is None else route.visits[:k]


def check_history(plan: Plan, parent: Plan) -> list[tuple[str, str, str, str]]:
    """(van, location, "history", message) for each visit that changed since the parent plan."""
    out: list[tuple[str, str, str, str]] = []
    before = {r.van_id: r for r in parent.routes}
    for route in plan.routes:
        past = history_of(route)
        if not past:
            continue
        old = before.get(route.van_id)
        if old is None:
            out.append((route.van_id, "", "history", "has a history but no route in the parent"))
            continue
        if len(past) > len(old.visits):
            out.append((route.van_id, "", "history", "has more history than its parent route"))
            continue
        for new_v, old_v in zip(past, old.visits, strict=False):
            problem = _changed(new_v, old_v)
            if problem:
                out.append((route.van_id, new_v.location_id, "history", problem))
                break
    return out


def _changed(new: Visit, old: Visit) -> str:
    same_kind = new.kind == old.kind or (new.kind == "failed" and old.kind == "stop")
    if not same_kind or new.location_id != old.location_id:
        return (
            f"visit {new.kind} {new.location_id} replaces the parent's {old.kind} "
            f"{old.location_id}: what already happened cannot change"
        )
    for name in ("arrival_s", "start_s", "departure_s"):
        if abs(getattr(new, name) - getattr(old, name)) > TIME_TOL_S:
            return f"{name} changed from {getattr(old, name):.0f} s to {getattr(new, name):.0f} s"
    return ""
