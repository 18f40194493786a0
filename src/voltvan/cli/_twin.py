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
    ops: Annotated[
        str | None,
        typer.Option(
            "--ops",
            metavar="URL",
            help="The operations service (voltvan serve): the twin publishes each day's plan "
            "and its drivers send their delivery events there, as the cockpit does.",
        ),
    ] = None,
    ops_token_file: Annotated[
        Path | None,
        typer.Option(
            "--ops-token-file",
            metavar="TOKENS.toml",
            help='With --ops: dispatcher = "<secret>" and a [drivers] table, van id = "<secret>".',
        ),
    ] = None,
    replan: Annotated[
        bool,
        typer.Option(
            "--replan",
            help="With --ops: ask the service for a re-plan when a van breaks down (or runs "
            "--replan-late-min behind) and follow the new version.",
        ),
    ] = False,
    replan_late_min: Annotated[
        float | None,
        typer.Option(
            "--replan-late-min",
            min=1.0,
            help="With --replan: minutes behind its plan "
            "at a stop that make the dispatcher re-plan (once per van and day).",
        ),
    ] = None,
    breakdown: Annotated[
        list[str] | None,
        typer.Option(
            "--breakdown",
            metavar="VAN@HH:MM",
            help="The van breaks down at this time on every day (repeat).",
        ),
    ] = None,
    breakdown_share: Annotated[
        float,
        typer.Option(
            "--breakdown-share",
            min=0.0,
            max=1.0,
            help="Chance that a van breaks down on a given day (at a random time of its route).",
        ),
    ] = 0.0,
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
        breakdown_share=breakdown_share,
        breakdowns=tuple(_breakdown(b) for b in breakdown or ()),
    )
    if overnight is not None and overnight not in ("ideal", "ocpp"):
        raise typer.BadParameter(
            f"must be ocpp or ideal, got {overnight!r}", param_hint="--overnight"
        )
    night: Literal["ideal", "ocpp"] | None = None
    if overnight is not None:
        night = "ocpp" if overnight == "ocpp" else "ideal"
    link = None
    if ops is not None:
        from voltvan.twin import OpsClient, OpsLink, OpsTokens

        if ops_token_file is None:
            raise typer.BadParameter(
                "--ops needs the accounts' secrets", param_hint="--ops-token-file"
            )
        late_s = None if replan_late_min is None else replan_late_min * 60.0
        client = OpsClient(ops, OpsTokens.read(ops_token_file))
        link = OpsLink(client, replan=replan, late_s=late_s)
    elif replan:
        raise typer.BadParameter("re-planning needs the operations service", param_hint="--ops")
    try:
        run = simulate(scenario, plan, days=days, seed=seed, params=params,
                       source=str(plan_path), overnight=night, ops=link)  # fmt: skip
    finally:
        if link is not None:
            link.client.close()
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


def _breakdown(text: str) -> tuple[str, float]:
    """``VAN@HH:MM`` as (van id, seconds after midnight)."""
    from voltvan.scenario import parse_time

    van, sep, at = text.rpartition("@")
    if not sep or not van:
        raise typer.BadParameter(f"{text!r} is not VAN@HH:MM", param_hint="--breakdown")
    return van, parse_time(at, "breakdown")
