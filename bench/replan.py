"""Re-planning benchmark: a 2,000-stop, 60-van cold day re-planned at midday after a breakdown.

Generates the day (``voltvan scenario generate --stops 2000 --vans 60 --seed 7 --day cold``), plans
it once with a short time limit, then at 12:00 (``--at``):

* re-plans with :func:`voltvan.planning.replan`, once with no events and once with the van that
  has the most stops left out of service; both checked by the independent checker against their
  parent;
* plans the same rest of the day from scratch with the normal planner: the stops not yet served,
  the fleet without the broken van, every van starting at the depot at 12:00 with the charge it
  has left (the normal planner cannot start a van mid-route, so this is the closest fair
  comparison; its distance includes driving back out from the depot).

Prints time, distance of the rest of the day and stops moved to another van for each, and the
ratios re-plan / from scratch. Run: ``python bench/replan.py`` (``--quick`` for a 300-stop day).
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from typing import Any

from voltvan.check import check_plan
from voltvan.domain import Fleet, Scenario, TimeWindow
from voltvan.plan import Plan, Route
from voltvan.planning import parse_events, plan_scenario, replan
from voltvan.scenario import generate_scenario, parse_time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--stops", type=int, default=2000)
    ap.add_argument("--vans", type=int, default=60)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--at", default="12:00", help="re-plan time (HH:MM)")
    ap.add_argument("--plan-time", type=float, default=30.0, help="seconds for the morning plan")
    ap.add_argument("--scratch-time", type=float, default=30.0, help="seconds for from scratch")
    ap.add_argument("--quick", action="store_true", help="300 stops, 12 vans, 10 s plans")
    args = ap.parse_args()
    if args.quick:
        args.stops, args.vans, args.plan_time, args.scratch_time = 300, 12, 10.0, 10.0
    at_s = parse_time(args.at, "--at")
    scenario = generate_scenario(
        num_stops=args.stops, num_vans=args.vans, seed=args.seed, day="cold"
    )
    print(f"... planning {args.stops} stops, {args.vans} vans ({args.plan_time:g} s)", flush=True)
    parent = plan_scenario(scenario, time_limit_s=args.plan_time, seed=0)
    print(f"    {parent.num_stops_served} served, {len(parent.unassigned)} unassigned", flush=True)
    broken = max(parent.routes, key=lambda r: _left(r, at_s)).van_id
    events = parse_events(
        {
            "version": 1,
            "events": [{"type": "van_out_of_service", "van_id": broken, "time": args.at}],
        },
        scenario,
        at_s,
    )
    rows = [
        _replan_row("re-plan, no events", scenario, parent, at_s, None),
        _replan_row(f"re-plan, {broken} out of service", scenario, parent, at_s, events),
    ]
    rows.append(_scratch_row(scenario, parent, rows[-1]["plan"], broken, at_s, args.scratch_time))
    print(
        f"\n{'case':<34} {'time s':>8} {'rest km':>9} {'moved':>6} {'unassigned':>10} {'check':>6}"
    )
    for r in rows:
        print(
            f"{r['name']:<34} {r['time_s']:>8.2f} {r['km']:>9.1f} {r['moved']:>6} "
            f"{r['unassigned']:>10} {r['check']:>6}"
        )
    rep, scratch = rows[1], rows[2]
    print(
        f"\nre-plan / from scratch: time {rep['time_s'] / scratch['time_s']:.3f}, "
        f"distance {rep['km'] / max(scratch['km'], 1e-9):.3f}, "
        f"stops moved {rep['moved']} vs {scratch['moved']}"
    )


def _left(route: Route, at_s: float) -> int:
    return sum(1 for v in route.visits if v.kind == "stop" and v.start_s > at_s)


def _rest_km(plan: Plan) -> float:
    """Distance driven after the re-plan: after each route's resume (all of a new route)."""
    total = 0.0
    for r in plan.routes:
        kinds = [v.kind for v in r.visits]
        if r.out_of_service_s is not None:
            continue
        start = kinds.index("resume") + 1 if "resume" in kinds else 0
        total += sum(v.distance_from_prev_m for v in r.visits[start:])
    return total / 1000


def _replan_row(
    name: str, scenario: Scenario, parent: Plan, at_s: float, events: Any
) -> dict[str, Any]:
    t0 = time.perf_counter()
    result = replan(scenario, parent, at_s, events)
    elapsed = time.perf_counter() - t0
    ok = check_plan(result.plan, result.scenario, parent=parent).is_feasible
    return {
        "name": name,
        "time_s": elapsed,
        "km": _rest_km(result.plan),
        "moved": result.counts.moved,
        "unassigned": len(result.plan.unassigned),
        "check": "ok" if ok else "FAIL",
        "plan": result.plan,
    }


def _scratch_row(
    scenario: Scenario, parent: Plan, replanned: Plan, broken: str, at_s: float, limit_s: float
) -> dict[str, Any]:
    """The rest of the day planned by the normal planner, vans starting at the depot at ``at_s``."""
    served = {
        v.location_id
        for r in replanned.routes
        for v in r.visits[: _history_end(r)]
        if v.kind in ("stop", "failed")
    }
    soc = {r.van_id: _resume_soc(r) for r in replanned.routes}
    vans = tuple(
        dataclasses.replace(
            v,
            shift=TimeWindow(max(v.shift.start_s, at_s), max(v.shift.end_s, at_s + 60)),
            start_soc=min(1.0, max(0.0, soc.get(v.id, v.start_soc))),
        )
        for v in scenario.fleet.vans
        if v.id != broken
    )
    fleet: Fleet = dataclasses.replace(scenario.fleet, vans=vans)
    rest = Scenario(
        fleet=fleet,
        stops=tuple(s for s in scenario.stops if s.id not in served),
        name=scenario.name + "-rest",
    )
    t0 = time.perf_counter()
    plan = plan_scenario(rest, time_limit_s=limit_s, seed=0)
    elapsed = time.perf_counter() - t0
    before = {s: r.van_id for r in parent.routes for s in r.stop_ids if s not in served}
    after = {s: r.van_id for r in plan.routes for s in r.stop_ids}
    return {
        "name": "from scratch (normal planner)",
        "time_s": elapsed,
        "km": plan.distance_m / 1000,
        "moved": sum(1 for s, van in before.items() if s in after and after[s] != van),
        "unassigned": len(plan.unassigned),
        "check": "ok" if check_plan(plan, rest).is_feasible else "FAIL",
        "plan": plan,
    }


def _history_end(route: Route) -> int:
    if route.out_of_service_s is not None:
        return len(route.visits)
    kinds = [v.kind for v in route.visits]
    return kinds.index("resume") if "resume" in kinds else 0


def _resume_soc(route: Route) -> float:
    return next((v.soc for v in route.visits if v.kind == "resume"), route.visits[0].soc)


if __name__ == "__main__":
    main()
