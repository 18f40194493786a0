"""``voltvan replan``: re-plan the rest of a day from a plan, a time and what happened.

It reads the scenario, the plan in force and (optionally) an events file, writes the new plan
version (and, when events add stops, the scenario it must be checked against), checks it
independently against its parent and says how many stops moved to another van or changed place.
The exit code is 0 only when the checker accepts the new plan.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from voltvan.cli._app import app, console
from voltvan.cli._plan import MAX_LISTED, write_plan_files

if TYPE_CHECKING:
    from voltvan.check import CheckResult
    from voltvan.planning import Replan

DEFAULT_REPLAN_OUT = Path("out/replan")


@app.command("replan")
def replan_command(
    scenario_dir: Annotated[
        Path, typer.Argument(help="Scenario folder the plan was made for (fleet.toml, stops.csv).")
    ],
    plan_file: Annotated[
        Path, typer.Option("--plan", help="The plan in force (plan.json).", show_default=False)
    ],
    at: Annotated[
        str, typer.Option("--at", help="Re-plan from this time of day (HH:MM).", show_default=False)
    ],
    events_file: Annotated[
        Path | None,
        typer.Option(
            "--events",
            help="What happened so far (docs/formats/events.md); without it all went to plan.",
        ),
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", help="Output folder for the new plan version (created).")
    ] = DEFAULT_REPLAN_OUT,
) -> None:
    """Re-plan what is left of the day from a time, keeping what happened and most sequences."""
    from voltvan.check import check_plan
    from voltvan.cli._read import read_scenario_noting
    from voltvan.errors import InvalidInput
    from voltvan.plan import Plan
    from voltvan.planning import read_events, replan
    from voltvan.scenario import parse_time, write_scenario

    try:
        at_s = parse_time(at, "--at")
    except InvalidInput as exc:
        raise InvalidInput(exc.message, field="--at") from None
    scenario = read_scenario_noting(scenario_dir)
    parent = Plan.read_json(plan_file)
    events = read_events(events_file, scenario, at_s) if events_file is not None else None
    result = replan(scenario, parent, at_s, events)
    check = check_plan(result.plan, result.scenario, parent=parent)
    written = write_plan_files(result.plan, result.scenario, out)
    if result.scenario is not scenario:
        write_scenario(result.scenario, out / "scenario")
        written.append(out / "scenario")
    _summary(result, check)
    for path in written:
        console.print(f"Wrote [bold]{path}[/]")
    if not check.is_feasible:
        raise typer.Exit(1)


def _summary(result: Replan, check: CheckResult) -> None:
    plan, counts = result.plan, result.counts
    assert plan.parent is not None
    table = Table(title=f"Re-plan {plan.scenario} (revision {plan.revision})", show_header=False)
    table.add_column("", style="bold")
    table.add_column("", justify="right")
    table.add_row("from revision", str(plan.parent.revision))
    table.add_row("stops already served or tried", str(counts.history))
    table.add_row("stops left in the plan in force", str(counts.remaining))
    table.add_row("moved to another van", str(counts.moved))
    table.add_row("changed position on their van", str(counts.changed_position))
    table.add_row("added (new or unassigned before)", str(counts.added))
    table.add_row("dropped (now unassigned)", str(counts.dropped))
    table.add_row("stops unassigned", str(len(plan.unassigned)))
    table.add_row("distance", f"{plan.distance_m / 1000:,.1f} km")
    table.add_row("re-planning time", f"{plan.stats.get('planning_time_s', 0.0):.1f} s")
    verdict = "[green]feasible[/]" if check.is_feasible else "[red]VIOLATIONS[/]"
    table.add_row("independent check", f"{verdict} ({len(check.violations)} violations)")
    console.print(table)
    for u in plan.unassigned[:MAX_LISTED]:
        console.print(f"  {u.stop_id}: {u.reason}", highlight=False)
    for v in check.violations[:MAX_LISTED]:
        console.print(f"[red]{v.kind}[/] {v.van_id} {v.location_id}: {v.message}", highlight=False)
