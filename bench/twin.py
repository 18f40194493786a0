"""Twin benchmark: does the plan hold on simulated winter days, and how fast is the twin?

Three parts, each printed as a table and written to ``bench/results/twin.csv``:

* **speed**: one simulated day of 60 vans and 2,000 stops (goal: 10 s or less), and the time to
  sum it up into ``twin.json``;
* **plans**: 100 simulated winter days of a 500-stop day (generated, cold), driven with
  voltvan's plan and with the plan a user of a plain VRP solver makes (PyVRP with the battery
  replaced by ``max_distance`` = the van's WLTP range, ``bench/city.py``): stranded van-days,
  missed and late stops, on-time share;
* **reserve**: three generated days (seeds), each planned with reserves of 0 % to 30 % of the
  battery and driven through the same simulated days: how the share of stranded van-days falls
  as the reserve rises (pooled over the three, since one plan's lowest SoC is partly luck).

Plans are cached in ``bench/results/twin/`` (planning is the slow part); ``--fresh`` replans.

    python bench/twin.py                  # 100 days, 30 s per plan
    python bench/twin.py --days 20 --time-limit 15 --reserves 0 0.1 0.2
"""

from __future__ import annotations

import argparse
import csv
import time
from dataclasses import replace
from typing import Any

from rich.console import Console
from rich.table import Table

from city import DEFAULT_DATA, RESULTS, range_capped_plan
from voltvan.domain import Scenario
from voltvan.plan import Plan
from voltvan.planning import plan_scenario
from voltvan.scenario import generate_scenario
from voltvan.twin import TwinParams, simulate, twin_document

CACHE = RESULTS / "twin"
console = Console(width=200)


def _cached(name: str, fresh: bool, make: Any) -> Plan:
    path = CACHE / f"{name}.json"
    if path.exists() and not fresh:
        return Plan.read_json(path)
    CACHE.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    plan: Plan = make()
    console.print(f"  planned {name} in {time.perf_counter() - t0:.0f} s", highlight=False)
    plan.write_json(path)
    return plan


def _with_reserve(scenario: Scenario, reserve: float) -> Scenario:
    types = tuple(replace(t, reserve_fraction=reserve) for t in scenario.fleet.vehicle_types)
    return replace(scenario, fleet=replace(scenario.fleet, vehicle_types=types))


def speed(args: argparse.Namespace) -> dict[str, Any]:
    scenario = generate_scenario(num_stops=2000, num_vans=60, seed=args.seed, day="cold")
    plan = _cached(
        f"speed-2000-60-s{args.seed}-t{args.time_limit:g}",
        args.fresh,
        lambda: plan_scenario(scenario, time_limit_s=args.time_limit, seed=args.seed),
    )
    best_sim = best_doc = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        run = simulate(scenario, plan, days=1, seed=args.seed)
        t1 = time.perf_counter()
        twin_document(run, plan, scenario)
        t2 = time.perf_counter()
        best_sim, best_doc = min(best_sim, t1 - t0), min(best_doc, t2 - t1)
    return {
        "part": "speed",
        "label": "1 day, 2000 stops",
        "vans": len(plan.routes),
        "stops": plan.num_stops_served,
        "simulate_s": round(best_sim, 2),
        "summarise_s": round(best_doc, 2),
    }


def _drive(label: str, part: str, scenario: Scenario, plan: Plan, args: argparse.Namespace,
           params: TwinParams) -> dict[str, Any]:  # fmt: skip
    t0 = time.perf_counter()
    run = simulate(scenario, plan, days=args.days, seed=args.seed, params=params)
    s = twin_document(run, plan, scenario)["summary"]
    return {
        "part": part,
        "label": label,
        "vans": len(plan.routes),
        "stops": plan.num_stops_served,
        "unserved": len(plan.unassigned),
        "charges": sum(len(r.charge_visits) for r in plan.routes),
        "plan_min_soc": round(min((r.min_soc for r in plan.routes), default=1.0), 3),
        "days": args.days,
        "stranded": s["stranded_van_days"],
        "stranded_share": s["stranded_share"],
        "missed": s["missed_stops"],
        "late": s["late_stops"],
        "on_time": s["on_time_share"],
        "lowest_soc": s["lowest_soc"],
        "queue_min": round(s["queue_s"] / 60.0),
        "sim_s": round(time.perf_counter() - t0, 1),
    }


def plans(args: argparse.Namespace, params: TwinParams) -> list[dict[str, Any]]:
    scenario = generate_scenario(num_stops=args.stops, num_vans=args.vans, seed=args.seed,
                                 day="cold")  # fmt: skip
    key = f"{args.stops}-{args.vans}-s{args.seed}-t{args.time_limit:g}"
    ours = _cached(
        f"voltvan-{key}",
        args.fresh,
        lambda: plan_scenario(scenario, time_limit_s=args.time_limit, seed=args.seed),
    )
    naive = _cached(
        f"range-cap-{key}",
        args.fresh,
        lambda: range_capped_plan(scenario, args.time_limit, args.seed, DEFAULT_DATA)[0],
    )
    return [
        _drive("voltvan", "plans", scenario, ours, args, params),
        _drive("PyVRP + range cap", "plans", scenario, naive, args, params),
    ]


def reserves(args: argparse.Namespace, params: TwinParams) -> list[dict[str, Any]]:
    """Each reserve on ``--day-seeds`` generated days (one plan each), the days pooled."""
    rows = []
    for reserve in args.reserves:
        pooled: list[dict[str, Any]] = []
        for day_seed in range(args.seed, args.seed + args.day_seeds):
            base = generate_scenario(num_stops=args.stops, num_vans=args.vans, seed=day_seed,
                                     day="cold")  # fmt: skip
            scenario = _with_reserve(base, reserve)
            key = f"{args.stops}-{args.vans}-s{day_seed}-t{args.time_limit:g}-r{reserve:g}"
            plan = _cached(
                f"reserve-{key}",
                args.fresh,
                lambda s=scenario, k=day_seed: plan_scenario(
                    s, time_limit_s=args.time_limit, seed=k
                ),
            )
            pooled.append(_drive(f"reserve {reserve * 100:.0f}%", "reserve", scenario, plan,
                                 args, params))  # fmt: skip
        rows.append(_pool(pooled))
    return rows


def _pool(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Sums (and the stop-weighted on-time share, the lowest minimum) over several days' plans."""
    out = dict(rows[0])
    for key in ("vans", "stops", "unserved", "charges", "stranded", "missed", "late", "queue_min"):
        out[key] = sum(r[key] for r in rows)
    out["plan_min_soc"] = min(r["plan_min_soc"] for r in rows)
    out["lowest_soc"] = min(r["lowest_soc"] for r in rows)
    out["on_time"] = round(sum(r["on_time"] * r["stops"] for r in rows) / out["stops"], 4)
    out["stranded_share"] = round(out["stranded"] / (out["vans"] * out["days"]), 4)
    out["sim_s"] = round(sum(r["sim_s"] for r in rows), 1)
    out["generated_days"] = len(rows)
    return out


def _print(rows: list[dict[str, Any]], title: str) -> None:
    table = Table(title=title, title_justify="left")
    cols = list(rows[0])
    for c in cols:
        table.add_column(c, justify="left" if c in ("part", "label") else "right")
    for r in rows:
        table.add_row(*(str(r.get(c, "")) for c in cols))
    console.print(table)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--days", type=int, default=100, help="simulated days per plan (default 100)")
    ap.add_argument("--stops", type=int, default=500, help="stops of the winter day (default 500)")
    ap.add_argument("--vans", type=int, default=6, help="vans of the winter day (default 6)")
    ap.add_argument("--time-limit", type=float, default=30.0, help="seconds per plan (default 30)")
    ap.add_argument("--seed", type=int, default=0, help="generator, search and twin seed")
    ap.add_argument("--reserves", type=float, nargs="+", default=[0.0, 0.05, 0.1, 0.2, 0.3],
                    help="planner reserves to compare, fractions of the battery")  # fmt: skip
    ap.add_argument("--day-seeds", type=int, default=3,
                    help="generated days (seeds) pooled per reserve (default 3)")  # fmt: skip
    ap.add_argument("--skip", nargs="*", default=[], choices=("speed", "plans", "reserve"))
    ap.add_argument("--fresh", action="store_true", help="replan instead of using cached plans")
    args = ap.parse_args()
    params = TwinParams()
    rows: list[dict[str, Any]] = []
    if "speed" not in args.skip:
        console.print("... speed: 2,000 stops, 60 vans", highlight=False)
        row = speed(args)
        _print([row], "Twin speed (best of 3)")
        rows.append(row)
    if "plans" not in args.skip:
        console.print(f"... plans: {args.stops} stops, {args.vans} vans, {args.days} winter days")
        got = plans(args, params)
        _print(got, f"{args.days} simulated winter days: voltvan against a range-capped plan")
        rows += got
    if "reserve" not in args.skip:
        console.print(f"... reserve: {len(args.reserves)} plans, {args.days} days each")
        got = reserves(args, params)
        _print(got, "Stranded van-days as the planner's reserve rises")
        rows += got
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "twin.csv"
    fields = list(dict.fromkeys(k for r in rows for k in r))
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    console.print(f"wrote {out}", highlight=False)


if __name__ == "__main__":
    main()
