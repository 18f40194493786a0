"""``voltvan plan`` and ``voltvan demo``: plan a scenario, check it independently, write the files.

Both print live progress while the engine searches (elapsed time, best cost, feasible or not), a
summary table at the end, and where plan.json, routes.geojson and report.html are. The exit code
is 0 only when the independent checker accepts the plan.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from voltvan.cli._app import app, console
from voltvan.cli._plan_budget import planning_budget_s
from voltvan.cli._plan_day import DayOptions, Engine, plan_in_parts

if TYPE_CHECKING:
    from voltvan.check import CheckResult
    from voltvan.domain import Scenario
    from voltvan.plan import Plan
    from voltvan.planning.ev import EvProgress

    OnProgress = Callable[[EvProgress], None]

MAX_LISTED = 15
DEFAULT_PLAN_OUT = Path("out/plan")
DEFAULT_DEMO_OUT = Path("out/demo")


class Assign(StrEnum):
    nearest = "nearest"
    transport = "transport"


class Weather(StrEnum):
    cold = "cold"
    mild = "mild"


@app.command("plan")
def plan_command(
    scenario_dir: Annotated[
        Path,
        typer.Argument(
            help="Scenario folder with fleet.toml and stops.csv (see docs/formats/scenario.md)."
        ),
    ],
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit",
            min=0.1,
            help="Time budget of the whole command in seconds (wall clock): reading, planning, "
            "checking and writing the files.",
        ),
    ] = 60.0,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed of the search (same seed, same plan).")
    ] = 0,
    max_iterations: Annotated[
        int | None,
        typer.Option(
            "--max-iterations",
            min=1,
            help="Also stop after this many search iterations (deterministic on any machine).",
        ),
    ] = None,
    out: Annotated[
        Path,
        typer.Option(
            "--out", help="Output folder for plan.json, routes.geojson and report.html (created)."
        ),
    ] = DEFAULT_PLAN_OUT,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Processes (or Spark tasks) planning depots, or sectors of a big depot, in "
            "parallel \\[default: the machine's cores; with Spark, the cluster's].",
        ),
    ] = None,
    max_stops_per_solve: Annotated[
        int,
        typer.Option(
            "--max-stops-per-solve",
            min=1,
            help="A depot with more stops is cut into sectors planned apart and stitched back.",
        ),
    ] = DayOptions.max_stops_per_solve,
    assign: Annotated[
        Assign,
        typer.Option("--assign", help="How stops go to depots first on a multi-depot day."),
    ] = Assign.nearest,
    engine: Annotated[
        Engine,
        typer.Option(
            "--engine",
            help="Where the parts are planned: local processes, or one Spark task per part "
            "(needs voltvan\\[spark] and Java 17+; see docs/retailer.md).",
        ),
    ] = Engine.processes,
    master: Annotated[
        str | None,
        typer.Option(
            "--master",
            help="Spark master URL with --engine spark, e.g. 'local[4]', spark://host:7077 "
            "[default: local[2], or the one spark-submit set].",
        ),
    ] = None,
) -> None:
    """Plan feasible EV routes for a scenario, check them and write plan, GeoJSON and report.

    A day with several depots, or more stops than one search handles well, is planned in parts
    (stops to depots, big depots cut into sectors) by parallel processes within the one time limit;
    with --engine spark each part is a Spark task, on this machine or a cluster.
    """
    from voltvan.cli._read import read_scenario_noting

    started_s = time.monotonic()
    if master is not None and engine is not Engine.spark:
        raise typer.BadParameter("--master needs --engine spark", param_hint="--master")
    if engine is Engine.spark:
        from voltvan.spark import require_pyspark

        require_pyspark()
    scenario = read_scenario_noting(scenario_dir)
    result = run_plan(
        scenario,
        out,
        time_limit_s=time_limit,
        seed=seed,
        max_iter=max_iterations,
        day=DayOptions(workers, max_stops_per_solve, assign.value, engine.value, master),
        started_s=started_s,
    )
    if not result.is_feasible:
        raise typer.Exit(1)


@app.command("demo")
def demo_command(
    out: Annotated[
        Path, typer.Option("--out", help="Output folder (scenario/ plus the plan files).")
    ] = DEFAULT_DEMO_OUT,
    stops: Annotated[
        int, typer.Option("--stops", min=1, help="Number of delivery stops to generate.")
    ] = 300,
    vans: Annotated[
        int, typer.Option("--vans", min=1, help="Number of vans in the generated fleet.")
    ] = 12,
    time_limit: Annotated[
        float,
        typer.Option("--time-limit", min=0.1, help="Search time budget in seconds (wall clock)."),
    ] = 60.0,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the generator and the search.")] = 0,
    day: Annotated[
        Weather,
        typer.Option("--day", help="Kind of day: cold (-5 °C, January) or mild (15 °C, April)."),
    ] = Weather.cold,
) -> None:
    """Generate a city delivery day, plan it, check it and write the report (about two minutes)."""
    from voltvan.scenario import generate_scenario, write_scenario

    scenario = generate_scenario(num_stops=stops, num_vans=vans, seed=seed, day=day.value)
    scenario_dir = out / "scenario"
    write_scenario(scenario, scenario_dir)
    console.print(
        f"Generated [bold]{len(scenario.stops)}[/] stops and [bold]{len(scenario.fleet.vans)}[/] "
        f"vans ({day.value} day, {scenario.fleet.ambient_c:g} °C) in {scenario_dir}"
    )
    result = run_plan(
        scenario, out, time_limit_s=time_limit, seed=seed, max_iter=None, started_s=time.monotonic()
    )
    if not result.is_feasible:
        raise typer.Exit(1)


def run_plan(
    scenario: Scenario,
    out: Path,
    *,
    time_limit_s: float,
    seed: int,
    max_iter: int | None,
    day: DayOptions | None = None,
    started_s: float,
) -> CheckResult:
    """Plan with live progress, check, write the files and print the summary, all within
    ``time_limit_s`` counted from ``started_s`` (see :mod:`voltvan.cli._plan_budget`)."""
    from voltvan.check import check_plan
    from voltvan.planning import needs_split, plan_scenario

    day = day or DayOptions()
    budget_s = planning_budget_s(time_limit_s, started_s, len(scenario.stops))
    if day.engine == Engine.spark or needs_split(scenario, day.max_stops_per_solve):
        plan = plan_in_parts(scenario, time_limit_s=budget_s, seed=seed, max_iter=max_iter, day=day)
    else:
        plan = _with_progress(
            lambda cb: plan_scenario(
                scenario,
                time_limit_s=budget_s,
                seed=seed,
                max_iterations=max_iter,
                on_progress=cb,
            ),
            budget_s,
        )
    plan = dataclasses.replace(plan, stats={**plan.stats, "command_time_limit_s": time_limit_s})
    result = check_plan(plan, scenario)
    written = write_plan_files(plan, scenario, out)
    _summary(plan, scenario, result)
    for path in written:
        console.print(f"Wrote [bold]{path}[/]")
    return result


def _with_progress(solve: Callable[[OnProgress], Plan], time_limit_s: float) -> Plan:
    from rich.progress import Progress, TextColumn, TimeElapsedColumn

    from voltvan.cli._clock_bar import ClockBar

    columns = (
        TextColumn("[bold]planning[/]"),
        ClockBar(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[status]}"),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("plan", total=time_limit_s, status="screening stops")

        def on_progress(p: EvProgress) -> None:
            state = "[green]feasible[/]" if p.best_is_feasible else "[yellow]infeasible[/]"
            bar.update(
                task,
                completed=min(p.elapsed_s, time_limit_s),
                status=f"best cost {p.best_cost:,.0f} · {state} · {p.num_vehicles} vans · "
                f"{p.iterations:,} iterations",
            )

        plan = solve(on_progress)
        bar.update(task, completed=time_limit_s)
    return plan


def write_plan_files(plan: Plan, scenario: Scenario, out: Path) -> list[Path]:
    """plan.json, routes.geojson and (when the report package is there) report.html."""
    from voltvan.errors import InvalidInput

    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(f"cannot create the output folder: {exc.strerror}", file=out) from exc
    paths = [out / "plan.json", out / "routes.geojson"]
    plan.write_json(paths[0])
    plan.write_geojson(paths[1])
    try:
        from voltvan.report import write_report
    except ImportError:  # the report package is optional for planning
        return paths
    paths.append(write_report(plan, scenario, out / "report.html"))
    return paths


def _summary(plan: Plan, scenario: Scenario, result: CheckResult) -> None:
    table = Table(title=f"Plan {scenario.name or ''}".strip(), show_header=False)
    table.add_column("", style="bold")
    table.add_column("", justify="right")
    routes = plan.routes
    table.add_row("vans used", f"{len(routes)} of {len(scenario.fleet.vans)}")
    table.add_row("stops served", f"{plan.num_stops_served} of {len(scenario.stops)}")
    table.add_row("stops unassigned", str(len(plan.unassigned)))
    table.add_row("distance", f"{plan.distance_m / 1000:,.1f} km")
    table.add_row("energy", f"{plan.energy_wh / 1000:,.1f} kWh")
    min_soc = min((r.min_soc for r in routes), default=float("nan"))
    table.add_row("min SoC", f"{min_soc:.0%}" if routes else "-")
    charges = sum(len(r.charge_visits) for r in routes)
    charged = sum(r.charged_wh for r in routes)
    table.add_row("charge stops", f"{charges} ({charged / 1000:,.1f} kWh)")
    table.add_row("planning time", f"{plan.stats.get('planning_time_s', 0.0):.1f} s")
    verdict = "[green]feasible[/]" if result.is_feasible else "[red]VIOLATIONS[/]"
    table.add_row("independent check", f"{verdict} ({len(result.violations)} violations)")
    console.print(table)
    if plan.unassigned:
        console.print(f"[bold yellow]{len(plan.unassigned)} stops are unassigned:[/]")
        for u in plan.unassigned[:MAX_LISTED]:
            console.print(f"  {u.stop_id}: {u.reason}", highlight=False)
        if len(plan.unassigned) > MAX_LISTED:
            console.print(f"  ... and {len(plan.unassigned) - MAX_LISTED} more (see plan.json)")
    for v in result.violations[:MAX_LISTED]:
        console.print(f"[red]{v.kind}[/] {v.van_id} {v.location_id}: {v.message}", highlight=False)
