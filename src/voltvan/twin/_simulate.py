"""Run the plan through simulated days: one SimPy clock per day, one process per van."""

from __future__ import annotations

from collections.abc import Callable

from voltvan.domain import Scenario, Van
from voltvan.errors import InvalidInput
from voltvan.plan import Plan, Route
from voltvan.travel import TravelParams
from voltvan.twin._dispatch import Dispatch, OpsLink
from voltvan.twin._noise import BREAKDOWN_STREAM, day_rng
from voltvan.twin._overnight import NIGHT_SPEED, OVERNIGHT_MODES, OvernightMode, charge_night
from voltvan.twin._params import TwinParams
from voltvan.twin._record import DayResult, TwinRun
from voltvan.twin._telemetry import day_start
from voltvan.twin._van import VanRun
from voltvan.twin._world import Day, World, new_day

MAX_DAYS = 10_000


def simulate(
    scenario: Scenario,
    plan: Plan,
    *,
    days: int,
    seed: int = 0,
    params: TwinParams | None = None,
    travel: TravelParams | None = None,
    source: str = "plan",
    overnight: OvernightMode | None = None,
    night_speed: float = NIGHT_SPEED,
    ops: OpsLink | None = None,
) -> TwinRun:
    """Drive every route of ``plan`` through ``days`` simulated days of ``scenario``.

    Without ``overnight`` days are independent (each starts from the vans' start state of
    charge in the scenario). With it each day after the first starts from what the depot's
    chargers delivered in the night before (:func:`~voltvan.twin._overnight.charge_night`:
    ``ideal`` = the schedule's energy, ``ocpp`` = a real OCPP night at ``night_speed``).
    Each day has its own random streams, so day 7 draws the same whether 10 or 100 days are
    run. ``source`` names the plan in errors (its file, from the command line). With ``ops``
    the drivers and the dispatcher use the operations service (:mod:`._dispatch`).
    """
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"days must lie in [1, {MAX_DAYS}], got {days}", field="days")
    if overnight is not None and overnight not in OVERNIGHT_MODES:
        raise InvalidInput(
            f"overnight must be one of {', '.join(OVERNIGHT_MODES)}, got {overnight!r}",
            field="overnight",
        )
    p = params or TwinParams()
    _check_matches(scenario, plan, p, source)
    world = World.of(scenario, p, travel or TravelParams())
    fleet = scenario.fleet
    order = {v.id: k for k, v in enumerate(fleet.vans)}
    battery = {v.id: fleet.type_of(v).battery_wh for v in fleet.vans}
    depot_broken = frozenset(p.out_of_order) - {c.id for c in fleet.public_chargers}
    start: dict[str, float] = {}
    results = []
    vans = {v.id: v for v in fleet.vans}
    for number in range(days):
        day = new_day(world, seed, number)
        runs: dict[str, VanRun] = {}
        ops_day = None
        if ops is not None:
            midnight = day_start(fleet.date, number)
            ops_day = ops.client.open_day(midnight.date().isoformat(), midnight, plan, scenario)
        spawn = _spawner(world, day, seed, number, order, dict(start))
        dispatch = Dispatch(day.env, runs, spawn, vans, ops, ops_day)
        for route in plan.routes:
            dispatch.add(vans[route.van_id], route)
        for van_id, at_s in _breakdowns(plan, p, seed, number):
            day.env.process(dispatch.breaker(runs[van_id], at_s))
        day.env.run()
        dispatch.sync()
        recs = tuple(r.rec for r in runs.values())
        night = None
        if overnight is not None and number + 1 < days:
            night = charge_night(
                scenario,
                plan,
                recs,
                day=number,
                mode=overnight,
                broken=depot_broken,
                speed=night_speed,
            )
            start = night.start_wh(battery)
        broken = tuple(sorted(day.broken - depot_broken))
        results.append(DayResult(number, day.ambient_c, broken, recs, night))
    return TwinRun(scenario.name or plan.scenario, seed, p, tuple(results), overnight)


def _spawner(
    world: World,
    day: Day,
    seed: int,
    number: int,
    order: dict[str, int],
    start_wh: dict[str, float],
) -> Callable[[Van, Route], VanRun]:
    """Start a van's process on the day (from the night's energy, when there was a night)."""

    def spawn(van: Van, route: Route) -> VanRun:
        rng = day_rng(seed, number, order[van.id])
        run = VanRun(world, day, van, route, rng, start_wh.get(van.id))
        run.start()
        return run

    return spawn


def _breakdowns(plan: Plan, p: TwinParams, seed: int, number: int) -> list[tuple[str, float]]:
    """The day's breakdowns: the forced ones and those drawn (from their own stream)."""
    out = [(v, t) for v, t in p.breakdowns if any(r.van_id == v for r in plan.routes)]
    if p.breakdown_share > 0.0:
        rng = day_rng(seed, number, BREAKDOWN_STREAM)
        for route in plan.routes:
            u, w = rng.random(2)
            if u < p.breakdown_share:
                out.append((route.van_id, route.start_s + float(w) * (route.end_s - route.start_s)))
    return out


def _check_matches(scenario: Scenario, plan: Plan, params: TwinParams, source: str) -> None:
    """The plan must be of this scenario: every van, stop and charger it names must exist."""
    vans = {v.id for v in scenario.fleet.vans}
    places = set(scenario.location_ids())
    for route in plan.routes:
        if route.van_id not in vans:
            raise InvalidInput(
                f"the plan's van {route.van_id!r} is not in the scenario",
                file=source,
                field="van_id",
            )
        for v in route.visits:
            if v.location_id not in places:
                raise InvalidInput(
                    f"the plan's route of van {route.van_id} visits {v.location_id!r}, "
                    "which the scenario does not have: is it a plan of this scenario?",
                    file=source,
                    field="location_id",
                )
    for van_id, _ in params.breakdowns:
        if van_id not in vans:
            raise InvalidInput(
                f"van {van_id!r} (breakdown) is not in the scenario", field="breakdowns"
            )
    chargers = {c.id for c in scenario.fleet.chargers}
    for cid in params.out_of_order:
        if cid not in chargers:
            raise InvalidInput(
                f"charger {cid!r} (out of order) is not a charger of the scenario",
                field="out_of_order",
            )
