"""Re-planning through the API: the dispatcher's button, the twin's call, a script's POST.

The server re-plans the day's current version from a time and what happened (the events format of
``docs/formats/events.md``), checks the result independently against its parent, and publishes it
as the next version only when the checker accepts it: drivers see it on their next sync. The day
may have been re-planned already: urgent stops an earlier re-plan added are not in the scenario
on disk, so they come back from what was published about them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, Field

from voltvan.domain import Scenario
from voltvan.errors import Conflict, InvalidInput
from voltvan.ops import MAX_PLAN_VERSION, StopDetails, User, details_of, stop_of
from voltvan.plan import Plan
from voltvan.web._app import BEARER, app_state
from voltvan.web._openapi import errors
from voltvan.web._ops_auth import dispatcher, ops_store, valid_day

router = APIRouter(prefix="/v1/ops", tags=["operations"], dependencies=[BEARER])
Dispatcher = Annotated[User, Depends(dispatcher)]


class ReplanRequest(BaseModel):
    base_version: int = Field(
        ge=1, le=MAX_PLAN_VERSION, description="the version the dispatcher saw: a stale one is 409"
    )
    at: str = Field(description="re-plan from this time of day, HH:MM", examples=["12:00"])
    events: list[dict[str, Any]] = Field(
        default_factory=list,
        description="what happened, as the events of docs/formats/events.md (without them, all "
        "went to plan until `at`)",
    )


class Replanned(BaseModel):
    day: str
    plan_version: int
    moved_to_another_van: int
    changed_position: int
    unassigned: list[str] = Field(description="stops no van can serve any more")


@router.post(
    "/days/{day}/replan",
    summary="Re-plan the rest of the day and publish it as the next version (dispatchers)",
    status_code=201,
    responses=errors(
        403,
        404,
        409,
        422,
        why={
            404: "no plan is published for the day",
            409: "a stale base_version, a server without --scenario, or a re-planned day "
            "the independent checker refuses",
            422: "`at` is not a time of day, or the events break docs/formats/events.md",
        },
    ),
)
def replan_day(
    request: Request,
    user: Dispatcher,
    day: Annotated[
        str,
        Path(
            description="the day, YYYY-MM-DD",
            examples=["2026-03-02"],
            json_schema_extra={"format": "date"},
        ),
    ],
    body: ReplanRequest,
) -> Replanned:
    from voltvan.check import check_plan
    from voltvan.planning import EVENTS_FORMAT_VERSION, parse_events, replan
    from voltvan.scenario import parse_time, read_scenario

    scenario_dir = app_state(request).settings.scenario_dir
    if scenario_dir is None:
        raise Conflict(
            "this server was started without --scenario: re-planning needs the day's fleet "
            "and stops"
        )
    store = ops_store(request)
    version, parent = store.plan(valid_day(day))
    if body.base_version != version:
        raise Conflict(f"the day is at version {version}, not {body.base_version}: reload it")
    try:
        at_s = parse_time(body.at, "at")
    except InvalidInput as exc:
        raise InvalidInput(exc.message, field="at") from None
    scenario = _with_added_stops(read_scenario(scenario_dir), parent, store.stops, day)
    events = parse_events(
        {"version": EVENTS_FORMAT_VERSION, "events": body.events}, scenario, at_s, source="body"
    )
    result = replan(scenario, parent, at_s, events)
    check = check_plan(result.plan, result.scenario, parent=parent)
    if not check.is_feasible:
        first = check.violations[0]
        raise Conflict(f"the re-planned day fails the independent checker: {first.message}")
    known = {s.id for s in scenario.stops}
    new_stops = [details_of(s) for s in result.scenario.stops if s.id not in known]
    published = store.publish(day, result.plan, new_stops, base_version=version, by=user.name)
    counts = result.counts
    return Replanned(
        day=day,
        plan_version=published,
        moved_to_another_van=counts.moved,
        changed_position=counts.changed_position,
        unassigned=[u.stop_id for u in result.plan.unassigned],
    )


def _with_added_stops(
    scenario: Scenario,
    parent: Plan,
    details: Callable[[str, Iterable[str]], list[StopDetails]],
    day: str,
) -> Scenario:
    """The scenario and the stops of the parent plan it does not know (added by a re-plan)."""
    known = {s.id for s in scenario.stops}
    used = {v.location_id for r in parent.routes for v in r.visits if v.kind in ("stop", "failed")}
    used |= {u.stop_id for u in parent.unassigned}
    added = sorted(used - known)
    if not added:
        return scenario
    stops = tuple(stop_of(d) for d in sorted(details(day, added), key=lambda d: d.id))
    return Scenario(fleet=scenario.fleet, stops=scenario.stops + stops, name=scenario.name)
