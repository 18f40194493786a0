"""``voltvan render``: the HTML report of an existing plan (``voltvan plan`` writes one too).

Useful after editing a plan by hand, or to re-render an old plan with a newer report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from voltvan.cli._app import app, console


@app.command("render")
def render(
    plan_path: Annotated[
        Path,
        typer.Argument(
            metavar="PLAN.json",
            help="The plan to show (voltvan plan JSON, format version 1).",
        ),
    ],
    scenario_dir: Annotated[
        Path,
        typer.Option(
            "--scenario",
            "-s",
            help="The scenario folder the plan was made for (fleet.toml + stops.csv): "
            "stop windows, chargers and battery sizes come from it.",
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="Where to write the report: one self-contained HTML file that opens offline.",
        ),
    ] = Path("report.html"),
    title: Annotated[
        str | None,
        typer.Option("--title", help="Page title (default: 'voltvan plan — <scenario name>')."),
    ] = None,
) -> None:
    """Write the HTML report of PLAN.json: routes on a map, SoC over the day, route tables."""
    from voltvan.cli._read import read_scenario_noting
    from voltvan.plan import Plan
    from voltvan.report import write_report

    plan = Plan.read_json(plan_path)
    scenario = read_scenario_noting(scenario_dir)
    written = write_report(plan, scenario, out, title=title)
    console.print(
        f"[green]report[/] {written}  ({len(plan.routes)} routes, "
        f"{plan.num_stops_served} stops, {len(plan.unassigned)} unassigned)",
        highlight=False,
    )
