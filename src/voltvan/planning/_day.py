"""``plan_day``: a retailer's whole day, depot by depot (sector by sector), in parallel processes.

Stops go to depots first (:mod:`voltvan.planning._assign`), big depots are cut into sectors
(:mod:`voltvan.planning._split`), and each part is planned by :func:`plan_scenario` in a worker
process; the parts' routes and unassigned stops are stitched into one plan of the day.

The time limit is one total. Parts start largest first, at most ``workers`` at a time; when one
starts it gets its fair share of the worker time still free (``workers`` x the time left, less
what the running parts still hold) in proportion to its stops among those not yet started, never
more than the time left. A part that ends early leaves its time to the others. Each worker gets an
end time on the wall clock, so process start-up counts too. A small share of the limit
(:data:`STITCH_SHARE`) is kept for collecting and stitching.

A part still running when the day's time and a grace after it (:func:`late_grace_s`) are spent
is stopped: its worker is ended and its stops are listed as not placed in time. A worker is only
that late when something outside the plan held it (a swapping machine, a stalled process), and a
retailer's dispatch must not wait on it.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Any, Literal

from voltvan.domain import Scenario
from voltvan.plan import Plan, Unassigned
from voltvan.planning._assign import AssignMethod, assign_stops
from voltvan.planning._planner import MATRIX_DEPART_S, plan_scenario
from voltvan.planning._reasons import NOT_PLACED_IN_TIME
from voltvan.planning._spark_executor import SparkExecutor
from voltvan.planning._split import Part, split_day
from voltvan.planning.ev import Deadline

MAX_STOPS_PER_SOLVE = 2000
"""Stops above which a depot is cut into sectors (see ``docs/retailer.md`` for the measurement)."""
STITCH_SHARE = 0.03
"""Of the time limit, kept back from the parts for collecting and stitching their plans."""
MIN_PART_S = 0.5
LATE_SHARE = 0.05
"""Of the time limit, how long a part may run past the day's time before it is stopped ..."""
LATE_MIN_S = 30.0
"""... but never less than this: a busy machine slows a part's fixed work (matrices, replay),
and a dispatcher would rather wait half a minute than lose a depot's plan."""
NO_VANS = "no depot has a van for it"
TICK_S = 0.5
Engine = Literal["processes", "spark"]
ENGINES: tuple[Engine, ...] = ("processes", "spark")


@dataclass(frozen=True, slots=True)
class DayProgress:
    """Where a day's planning stands: parts done of all, stops they held, time spent."""

    elapsed_s: float
    parts_done: int
    num_parts: int
    stops_done: int
    num_stops: int


def needs_split(scenario: Scenario, max_stops_per_solve: int = MAX_STOPS_PER_SOLVE) -> bool:
    """Whether :func:`plan_day` cuts this day into parts (several depots, or too many stops)."""
    return len(scenario.fleet.depots) > 1 or len(scenario.stops) > max_stops_per_solve


def plan_day(
    scenario: Scenario,
    *,
    time_limit_s: float = 60.0,
    workers: int | None = None,
    max_stops_per_solve: int = MAX_STOPS_PER_SOLVE,
    assign: AssignMethod | str = "nearest",
    seed: int = 0,
    max_iterations: int | None = None,
    on_progress: Callable[[DayProgress], None] | None = None,
    deadline: Deadline | None = None,
    engine: Engine | str = "processes",
    master: str | None = None,
) -> Plan:
    """One plan for the whole day; every stop served once or listed with its reason.

    ``workers`` processes (default: the machine's cores; 1 plans in this process) share
    ``time_limit_s`` (or ``deadline``, when the caller shares its own) as described in the
    module docstring. With ``engine="spark"`` each part is one Spark task on ``master`` (default
    ``local[2]``, or the running session), ``workers`` of them at a time (default: the cluster's
    cores); starting Spark counts against the limit.
    """
    deadline = deadline if deadline is not None else Deadline(time_limit_s)
    if max_stops_per_solve < 1:
        raise ValueError(f"max_stops_per_solve must be at least 1, got {max_stops_per_solve}")
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r} (one of {', '.join(ENGINES)})")
    by_depot = assign_stops(scenario, assign)
    parts = sorted(
        split_day(scenario, by_depot, max_stops_per_solve=max_stops_per_solve),
        key=lambda p: -p.num_stops,
    )
    planned = {s.id for p in parts for s in p.scenario.stops}
    orphans = [Unassigned(s.id, NO_VANS) for s in scenario.stops if s.id not in planned]
    others = set(multiprocessing.active_children())  # the caller's own: never stopped here
    executor, num_workers = _executor(engine, workers, master)
    results, stopped = _run(
        parts, deadline, executor, num_workers, seed, max_iterations, on_progress, scenario, others
    )
    orphans += [
        Unassigned(s.id, NOT_PLACED_IN_TIME) for k in stopped for s in parts[k].scenario.stops
    ]
    head = {
        "matrix_depart_s": MATRIX_DEPART_S,
        "seed": seed,
        "time_limit_s": deadline.limit_s,
        "workers": num_workers,
        "assignment": str(assign),
        "max_stops_per_solve": max_stops_per_solve,
        "stopped_parts": [parts[k].label for k in stopped],
    }
    return _stitch(scenario, parts, results, orphans, deadline, head)


def _executor(engine: str, workers: int | None, master: str | None) -> tuple[Executor, int]:
    """The executor the parts run on and how many run at once."""
    if engine == "spark":
        spark = SparkExecutor(master, workers)
        return spark, spark.max_workers
    n = max(1, workers if workers is not None else os.cpu_count() or 1)
    if n == 1:
        return _Inline(), 1
    return ProcessPoolExecutor(max_workers=n, mp_context=get_context("spawn")), n


def _run(
    parts: Sequence[Part],
    deadline: Deadline,
    executor: Executor,
    workers: int,
    seed: int,
    max_iterations: int | None,
    on_progress: Callable[[DayProgress], None] | None,
    scenario: Scenario,
    others: set[multiprocessing.process.BaseProcess],
) -> tuple[list[tuple[Plan, float]], list[int]]:
    """Plan the parts, largest first, each with its fair share of the time (module docstring);
    also the indices of the parts stopped for running too late. ``others`` are the processes
    that were there before the pool: never stopped."""
    limit_s = deadline.limit_s or 0.0
    usable_s = limit_s * (1.0 - STITCH_SHARE)
    give_up_s = limit_s + late_grace_s(limit_s)
    out: list[tuple[Plan, float] | None] = [None] * len(parts)
    pending = list(range(len(parts)))
    running: dict[Future[Plan], tuple[int, float]] = {}
    done_stops = 0
    stopped: list[int] = []
    try:
        while pending or running:
            while pending and len(running) < workers:
                k = pending.pop(0)
                left_s = max(0.0, usable_s - deadline.elapsed_s())
                held_s = sum(max(0.0, end - deadline.elapsed_s()) for _, end in running.values())
                waiting = parts[k].num_stops + sum(parts[j].num_stops for j in pending)
                share = (workers * left_s - held_s) * parts[k].num_stops / max(1, waiting)
                budget = max(MIN_PART_S, min(left_s, share))
                fut = executor.submit(
                    plan_part, parts[k].scenario, time.time() + budget, seed, max_iterations
                )
                running[fut] = (k, deadline.elapsed_s() + budget)
            finished, _ = wait(list(running), timeout=TICK_S, return_when=FIRST_COMPLETED)
            for fut in finished:
                k, end = running.pop(fut)
                out[k] = (fut.result(), end)
                done_stops += parts[k].num_stops
            if on_progress is not None:
                on_progress(
                    DayProgress(
                        deadline.elapsed_s(),
                        sum(r is not None for r in out),
                        len(parts),
                        done_stops,
                        len(scenario.stops),
                    )
                )
            if running and not pending and deadline.elapsed_s() > give_up_s:
                stopped = sorted(k for k, _ in running.values())
                break
    finally:
        _shut_down(executor, others if stopped else None)
    return [r for r in out if r is not None], stopped


def late_grace_s(limit_s: float) -> float:
    """How long past the day's time a part may still run before it is stopped."""
    return max(LATE_MIN_S, LATE_SHARE * limit_s)


def _shut_down(executor: Executor, keep: set[multiprocessing.process.BaseProcess] | None) -> None:
    """Close the pool; with ``keep`` (the processes that are not the pool's), end the workers
    still planning (their parts are given up) instead of waiting for them."""
    if keep is None:
        executor.shutdown(wait=True)
        return
    executor.shutdown(wait=False, cancel_futures=True)
    for child in set(multiprocessing.active_children()) - keep:
        child.terminate()
        child.join(timeout=5.0)


def plan_part(scenario: Scenario, end_wall_s: float, seed: int, max_iter: int | None) -> Plan:
    """One part in a worker: plan it until the wall-clock end the scheduler gave it."""
    limit_s = max(MIN_PART_S, end_wall_s - time.time())
    return plan_scenario(scenario, time_limit_s=limit_s, seed=seed, max_iterations=max_iter)


class _Inline(Executor):
    """One worker: plan each part here when it is submitted (no start-up, no pickling)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        fut: Future[Any] = Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to the caller by fut.result(), like a pool's
            fut.set_exception(exc)
        return fut


def _stitch(
    scenario: Scenario,
    parts: Sequence[Part],
    results: Sequence[tuple[Plan, float]],
    orphans: list[Unassigned],
    deadline: Deadline,
    head: dict[str, Any],
) -> Plan:
    """The parts' routes and unassigned stops as one plan, in the day's van and stop order."""
    van_order = {v.id: k for k, v in enumerate(scenario.fleet.vans)}
    stop_order = {s.id: k for k, s in enumerate(scenario.stops)}
    routes = sorted((r for p, _ in results for r in p.routes), key=lambda r: van_order[r.van_id])
    unassigned = sorted(
        [*orphans, *(u for p, _ in results for u in p.unassigned)],
        key=lambda u: stop_order[u.stop_id],
    )
    by_label = {p.scenario.name: p for p in parts}
    stats: dict[str, Any] = {
        **head,
        "parts": [
            {
                "part": by_label[p.scenario].label,
                "depot": by_label[p.scenario].depot_id,
                "stops": by_label[p.scenario].num_stops,
                "vans": len(by_label[p.scenario].scenario.fleet.vans),
                "routes": len(p.routes),
                "unassigned": len(p.unassigned),
                "distance_m": round(p.distance_m, 1),
                "time_limit_s": round(float(p.stats.get("time_limit_s", 0.0)), 2),
                "planning_time_s": round(float(p.stats.get("planning_time_s", 0.0)), 2),
            }
            for p, _ in results
        ],
        "planning_time_s": deadline.elapsed_s(),
    }
    return Plan(
        scenario=scenario.name, routes=tuple(routes), unassigned=tuple(unassigned), stats=stats
    )


__all__ = ["MAX_STOPS_PER_SOLVE", "DayProgress", "needs_split", "plan_day", "plan_part"]
