"""Grades lesson 1 against voltvan's own reading of two plans: a fresh one and an altered copy."""

from __future__ import annotations

import copy
import functools
import json
import math
import types
from typing import Any

from voltvan.plan import Plan

TOL_KM = 0.01
TOL_SOC = 1e-6


@functools.cache
def _fresh_plan() -> str:
    from voltvan.planning import plan_scenario
    from voltvan.scenario import generate_scenario

    scenario = generate_scenario(num_stops=50, num_vans=5, seed=11, day="cold")
    plan = plan_scenario(scenario, time_limit_s=30, seed=1, max_iterations=300)
    return json.dumps(plan.to_dict())


def _altered(data: dict[str, Any]) -> dict[str, Any]:
    """Routes reversed, and the emptiest van swapped: the largest battery comes back lowest in
    SoC while a smaller one holds less energy, so energy and SoC name different vans."""
    out = copy.deepcopy(data)
    routes = out["routes"][::-1]
    out["routes"] = routes
    by_battery = sorted(routes, key=lambda r: r["visits"][0]["energy_wh"] / r["visits"][0]["soc"])
    small, large = by_battery[0], by_battery[-1]
    battery = {id(r): r["visits"][0]["energy_wh"] / r["visits"][0]["soc"] for r in (small, large)}
    if battery[id(large)] <= battery[id(small)] * 1.05:
        return out  # one van type on the road: energy and SoC name the same van anyway
    large["visits"][-1].update(soc=0.12, energy_wh=0.12 * battery[id(large)])
    small_soc = 0.11 * battery[id(large)] / battery[id(small)] + 0.005
    small["visits"][-1].update(soc=small_soc, energy_wh=small_soc * battery[id(small)])
    return out


def _problems_for(module: types.ModuleType, data: dict[str, Any], label: str) -> list[str]:
    plan = Plan.from_dict(data)
    problems: list[str] = []
    km = module.km_per_van(copy.deepcopy(data))
    want = {r.van_id: r.distance_m / 1000.0 for r in plan.routes}
    if not isinstance(km, dict):
        return [f"km_per_van should return a dict of van id -> km, got {type(km).__name__}"]
    if set(km) != set(want):
        problems.append(
            f"km_per_van on {label}: vans {sorted(map(str, km))}, the plan has {sorted(want)}"
        )
    for van, km_want in want.items():
        got = km.get(van)
        if got is None or not math.isclose(float(got), km_want, abs_tol=TOL_KM):
            hint = ""
            if got is not None and math.isclose(float(got), km_want * 1000.0, rel_tol=1e-3):
                hint = " (the plan's distances are in metres)"
            problems.append(
                f"km_per_van on {label}: van {van} drives {km_want:.2f} km, you said {got}{hint}"
            )
            break
    van_want, soc_want = min(
        ((r.van_id, r.visits[-1].soc) for r in plan.routes), key=lambda x: x[1]
    )
    answer = module.lowest_return_soc(copy.deepcopy(data))
    try:
        van_got, soc_got = answer
        soc_got = float(soc_got)
    except (TypeError, ValueError):
        return [*problems, f"lowest_return_soc should return (van id, soc), got {answer!r}"]
    if van_got != van_want:
        by_energy = min(plan.routes, key=lambda r: r.visits[-1].energy_wh).van_id
        hint = (
            " (that van holds the least energy, but batteries differ in size: compare SoC)"
            if van_got == by_energy
            else ""
        )
        problems.append(
            f"lowest_return_soc on {label}: {van_want} returns lowest "
            f"({soc_want:.1%}), you said {van_got}{hint}"
        )
    elif not math.isclose(soc_got, soc_want, abs_tol=TOL_SOC):
        hint = " (SoC is a fraction 0..1, not a percentage)" if soc_got > 1 else ""
        problems.append(
            f"lowest_return_soc on {label}: {van_want} returns with {soc_want:.4f}, "
            f"you said {soc_got}{hint}"
        )
    return problems


def grade(module: types.ModuleType) -> list[str]:
    data = json.loads(_fresh_plan())
    problems = _problems_for(module, data, "a freshly planned day")
    return problems or _problems_for(module, _altered(data), "an altered copy of that plan")
