"""``voltvan twin``: drive a plan through simulated days and write twin.json and a report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.table import Table

from voltvan.cli._app import app, console

DEFAULT_TWIN_OUT = Path("out/twin")


@app.command("twin")
def twin_command(
    scenario_dir: Annotated[
        Path,
        typer.Argument(help="Scenario folder with fleet.toml and stops.csv the plan was made for."),
    ],
    plan_path: Annotated[
        Path, typer.Option("--plan", metavar="PLAN.json", help="The plan to drive (voltvan plan).")
    ],
    days: Annotated[
        int, typer.Option("--days", min=1, max=10_000, help="Number of days to simulate.")
    ] = 10,
    seed: Annotated[
        int, typer.Option("--seed", help="Seed of the random days (same seed, same result).")
    ] = 0,
    out: Annotated[
        Path, typer.Option("--out", help="Output folder for twin.json and report.html (created).")
    ] = DEFAULT_TWIN_OUT,
    fail_share: Annotated[
        float,
        typer.Option(
            "--fail-share", min=0.0, max=1.0, help="Share of deliveries where nobody is at home."
        ),
    ] = 0.05,
    charger_outage: Annotated[
        float,
        typer.Option(
            "--charger-outage",
            min=0.0,
            max=1.0,
            help="Chance that a public charger is out of order on a given day.",
        ),
    ] = 0.0,
    out_of_order: Annotated[
        list[str] | None,
        typer.Option(
            "--out-of-order",
            metavar="CHARGER",
            help="A charger out of order on every day (repeat).",
        ),
    ] = None,
    mqtt: Annotated[
        str | None,
        typer.Option(
            "--mqtt",
            metavar="URL",
            help="Also publish every van's telemetry to this broker (mqtt://[USER:PASS@]HOST:PORT) "
            "as real vans do, and write the true trips to truth_trips.csv.",
        ),
    ] = None,
    speed: Annotated[
        float,
        typer.Option(
            "--speed",
            min=0.0,
            help="With --mqtt: how much faster than real time the vans' clock runs "
            "(60: an hour in a minute; 0: as fast as the broker takes it).",
        ),
    ] = 60.0,
    colder: Annotated[
        float,
        typer.Option(
            "--colder", help="Degrees colder than the scenario's forecast on every day (°C)."
        ),
    ] = 0.0,
    overnight: Annotated[
        str | None,
        typer.Option(
            "--overnight",
            metavar="ocpp|ideal",
            help="Charge the vans at the depot between days with voltvan's schedule, from the "
            "state of charge they came back with: ideal (the schedule's energy) or ocpp (a real "
            "CSMS and simulated chargers on localhost, sped up). Without it each day starts "
            "from the scenario's start_soc.",
        ),
    ] = None,
) -> None:
    """Simulate the plan's vans through random days: lateness, stranded vans, SoC bands."""
    from voltvan.cli._read import read_scenario_noting
    from voltvan.plan import Plan
    from voltvan.twin import TwinParams, simulate, twin_document, write_outputs

    scenario = read_scenario_noting(scenario_dir)
    plan = Plan.read_json(plan_path)
    params = TwinParams(
        fail_share=fail_share,
        charger_outage=charger_outage,
        out_of_order=tuple(out_of_order or ()),
        ambient_offset_c=-colder,
    )
    if overnight is not None and overnight not in ("ideal", "ocpp"):
        raise typer.BadParameter(
            f"must be ocpp or ideal, got {overnight!r}", param_hint="--overnight"
        )
    night: Literal["ideal", "ocpp"] | None = None
    if overnight is not None:
        night = "ocpp" if overnight == "ocpp" else "ideal"
    run = simulate(scenario, plan, days=days, seed=seed, params=params, source=str(plan_path),
                   overnight=night)  # fmt: skip
    doc = twin_document(run, plan, scenario)
    json_path, html_path = write_outputs(doc, out)
    s = doc["summary"]
    table = Table(
        title=f"{days} simulated days of {len(plan.routes)} vans",
        title_justify="left",
        show_header=False,
    )
    table.add_column("")
    table.add_column("", justify="right")
    for label, value in (
        ("on time", f"{s['on_time_share'] * 100:.1f}% of {s['stops_planned']:,} stops"),
        ("late stops", f"{s['late_stops']:,} ({s['minutes_late']:,.0f} min in all)"),
        ("not at home", f"{s['failed_deliveries']:,}"),
        ("stranded", f"{s['stranded_van_days']} van-days ({s['stranded_vans']} vans)"),
        ("missed stops", f"{s['missed_stops']:,}"),
        ("lowest SoC", f"{s['lowest_soc'] * 100:.1f}%"),
        ("queueing at chargers", f"{s['queue_s'] / 60:,.0f} min"),
        ("over shift", f"{s['over_shift_van_days']} van-days"),
    ):
        table.add_row(label, value)
    console.print(table)
    console.print(f"[green]twin[/] {json_path}\n[green]report[/] {html_path}", highlight=False)
    if mqtt is not None:
        from voltvan.twin import stream_run

        console.print(
            f"publishing the vans' telemetry to {mqtt} at {speed:g}x ...", highlight=False
        )
        sent = stream_run(run, scenario.fleet.date, mqtt, out, speed=speed)
        console.print(f"[green]published[/] {sent:,} messages; truth in {out / 'truth_trips.csv'}",
                      highlight=False)  # fmt: skip
