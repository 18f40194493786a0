"""Run the plan through simulated days: one SimPy clock per day, one process per van."""

from __future__ import annotations

from voltvan.domain import Scenario
from voltvan.errors import InvalidInput
from voltvan.plan import Plan
from voltvan.travel import TravelParams
from voltvan.twin._noise import day_rng
from voltvan.twin._overnight import NIGHT_SPEED, OVERNIGHT_MODES, OvernightMode, charge_night
from voltvan.twin._params import TwinParams
from voltvan.twin._record import DayResult, TwinRun
from voltvan.twin._van import VanRun
from voltvan.twin._world import World, new_day

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
) -> TwinRun:
    """Drive every route of ``plan`` through ``days`` simulated days of ``scenario``.

    Without ``overnight`` days are independent (each starts from the vans' start state of
    charge in the scenario). With it each day after the first starts from what the depot's
    chargers delivered in the night before (:func:`~voltvan.twin._overnight.charge_night`:
    ``ideal`` = the schedule's energy, ``ocpp`` = a real OCPP night at ``night_speed``).
    Each day has its own random streams, so day 7 draws the same whether 10 or 100 days are
    run. ``source`` names the plan in errors (its file, from the command line).
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
    for number in range(days):
        day = new_day(world, seed, number)
        runs = []
        for route in plan.routes:
            van = fleet.van(route.van_id)
            rng = day_rng(seed, number, order[van.id])
            run = VanRun(world, day, van, route, rng, start.get(van.id))
            day.env.process(run.run())
            runs.append(run)
        day.env.run()
        recs = tuple(r.rec for r in runs)
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
    chargers = {c.id for c in scenario.fleet.chargers}
    for cid in params.out_of_order:
        if cid not in chargers:
            raise InvalidInput(
                f"charger {cid!r} (out of order) is not a charger of the scenario",
                field="out_of_order",
            )
