"""``voltvan charge``: the night's depot schedule from tomorrow's plan, and its summary table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from voltvan.cli._app import app, console
from voltvan.errors import InvalidInput

if TYPE_CHECKING:
    from voltvan.charging import Schedule


def _clock(text: str, field: str) -> float:
    from voltvan.charging import parse_clock

    try:
        return parse_clock(text)
    except ValueError as exc:
        raise InvalidInput(f"not a time: {text!r}", field=field) from exc


@app.command("charge")
def charge_command(
    scenario_dir: Annotated[
        Path, typer.Argument(help="Scenario folder with fleet.toml (depots, chargers, tariff).")
    ],
    plan_path: Annotated[
        Path, typer.Option("--plan", help="Tomorrow's plan.json: departures and route energy.")
    ],
    out: Annotated[Path, typer.Option("--out", help="Schedule JSON to write.")],
    arrivals: Annotated[
        Path | None,
        typer.Option(
            "--arrivals",
            help="CSV vehicle_id,arrival,soc[,charger_id]: tonight's arrival (HH:MM, evening "
            "clock) and SoC (fraction 0-1) per van.",
        ),
    ] = None,
    previous_plan: Annotated[
        Path | None,
        typer.Option("--previous-plan", help="Today's plan.json: arrival and SoC at route end."),
    ] = None,
    depot: Annotated[
        str | None, typer.Option("--depot", help="Depot id (default: the first depot).")
    ] = None,
    slot_min: Annotated[
        float, typer.Option("--slot-min", min=1.0, help="Slot length in minutes.")
    ] = 15.0,
    target_soc: Annotated[
        float,
        typer.Option(
            "--target-soc",
            min=0.0,
            max=1.0,
            help="Ceiling SoC (fraction) unless the route needs more.",
        ),
    ] = 0.9,
    default_arrival: Annotated[
        str, typer.Option("--default-arrival", help="Arrival (HH:MM) of vans with no data.")
    ] = "18:00",
    default_soc: Annotated[
        float,
        typer.Option(
            "--default-soc", min=0.0, max=1.0, help="SoC (fraction) of vans with no data."
        ),
    ] = 0.2,
    base_load: Annotated[
        Path | None,
        typer.Option("--base-load", help="CSV time,power_w: building load (W) by time of day."),
    ] = None,
    tariff: Annotated[
        Path | None,
        typer.Option(
            "--tariff",
            help="acnportal tariff JSON ($/kWh, $/kW demand) to use instead of the fleet's.",
        ),
    ] = None,
    tariff_date: Annotated[
        str | None,
        typer.Option("--tariff-date", help="Date (YYYY-MM-DD) that picks the tariff's season."),
    ] = None,
    efficiency: Annotated[
        float,
        typer.Option(
            "--efficiency", min=0.5, max=1.0, help="Charger efficiency (grid to battery)."
        ),
    ] = 0.93,
    chart: Annotated[
        Path | None,
        typer.Option("--chart", help="HTML chart to write (default: beside --out, .html)."),
    ] = None,
    report: Annotated[
        bool,
        typer.Option(
            "--report",
            help="Also write the plan report (HTML) with a depot charging section, beside "
            "--out as NAME-report.html.",
        ),
    ] = False,
    report_file: Annotated[
        Path | None,
        typer.Option("--report-file", help="Write that report here instead (implies --report)."),
    ] = None,
    plugs: Annotated[
        Path | None,
        typer.Option(
            "--plugs",
            help="Plug sheet CSV to write: which van on which connector, when, and every "
            "re-plug by staff (default: plugs.csv beside --out).",
        ),
    ] = None,
) -> None:
    """Schedule tonight's depot charging so every van can drive tomorrow's route, cheaply."""
    import dataclasses
    import datetime as dt

    from voltvan.charging import (
        problem_from_plan,
        propose_fixes,
        read_acn_tariff,
        read_arrivals,
        read_base_load,
        schedule_depot,
        write_plugs_csv,
    )
    from voltvan.cli._read import read_scenario_noting
    from voltvan.files import write_atomic
    from voltvan.plan import Plan
    from voltvan.report import charging_chart_html

    scenario = read_scenario_noting(scenario_dir)
    fleet = scenario.fleet
    if tariff is not None:
        try:
            day = dt.date.fromisoformat(tariff_date or fleet.date or dt.date.today().isoformat())
        except ValueError as exc:
            raise InvalidInput(f"not a date: {tariff_date!r}", field="tariff-date") from exc
        fleet = dataclasses.replace(fleet, tariff=read_acn_tariff(tariff, date=day))
    plan = Plan.read_json(plan_path)
    prev = Plan.read_json(previous_plan) if previous_plan else None
    charger_ids = [c.id for c in fleet.chargers]
    arr = read_arrivals(arrivals, charger_ids=charger_ids) if arrivals else None
    try:
        problem = problem_from_plan(
            fleet,
            plan,
            depot_id=depot,
            arrivals=arr,
            previous_plan=prev,
            default_arrival_s=_clock(default_arrival, "default-arrival"),
            default_soc=default_soc,
            target_soc=target_soc,
            slot_s=slot_min * 60.0,
            efficiency=efficiency,
        )
    except InvalidInput as exc:
        raise exc.at(file=plan_path) from exc
    if base_load is not None:
        load = read_base_load(
            base_load,
            start_s=problem.grid_start_s,
            slot_s=problem.slot_s,
            num_slots=problem.grid_num_slots,
        )
        problem = dataclasses.replace(problem, base_load_w=tuple(load))
    with console.status("Scheduling the night (HiGHS)…"):
        schedule = schedule_depot(problem)
        schedule = propose_fixes(problem, schedule, plan=plan, fleet=fleet)
    schedule.write_json(out)
    plugs_path = plugs or out.with_name("plugs.csv")
    write_plugs_csv(schedule, plugs_path)
    chart_path = chart or out.with_suffix(".html")
    write_atomic(chart_path, charging_chart_html(schedule))
    report_path = report_file or (out.with_name(f"{out.stem}-report.html") if report else None)
    if report_path is not None:
        from voltvan.report import charging_section, write_report

        write_report(plan, scenario, report_path, sections=[charging_section(schedule)])
    _print_summary(schedule)
    console.print(f"schedule: {out}\nplugs:    {plugs_path}\nchart:    {chart_path}")
    if report_path is not None:
        console.print(f"report:   {report_path}")


def _print_summary(schedule: Schedule) -> None:
    from voltvan.charging import replugs, staffed_text
    from voltvan.domain import format_hhmm

    c = schedule.cost()
    cur = schedule.tariff.currency
    t = Table(title="Depot charging schedule")
    t.add_column("metric")
    t.add_column("value", justify="right")
    delivered = sum(v.energy_delivered_wh for v in schedule.vans)
    met = sum(1 for v in schedule.vans if v.shortfall_wh <= 0)
    t.add_row("vans meeting route energy", f"{met} / {len(schedule.vans)}")
    t.add_row("energy delivered", f"{delivered / 1000:.1f} kWh")
    t.add_row("energy cost", f"{c['energy']:.2f} {cur}")
    t.add_row("demand charge", f"{c['demand']:.2f} {cur}")
    t.add_row("total cost", f"{c['total']:.2f} {cur}")
    t.add_row("site peak / limit", f"{c['peak_kw']:.1f} / {schedule.site_limit_w / 1000:.1f} kW")
    visits = replugs(schedule)
    at = ", ".join(dict.fromkeys(format_hhmm(r.time_s % 86_400) for r in visits))
    t.add_row("re-plugs by staff", f"{len(visits)}" + (f" (at {at})" if at else ""))
    t.add_row("staffed", staffed_text(schedule))
    t.add_row("solve time", f"{float(schedule.stats.get('solve_s', 0.0)):.2f} s")
    console.print(t)
    if schedule.shortfalls:
        s = Table(title="Vans that fall short, and what the plan allows")
        for col in ("van", "short kWh", "fixes"):
            s.add_column(col)
        for sf in schedule.shortfalls:
            fixes = []
            for f in sf["fixes"]:
                if f["kind"] == "swap_routes":
                    fixes.append(f"swap routes with {f['with_vehicle_id']}")
                elif f["kind"] == "earlier_plug_in" and f["plug_in_by"] is not None:
                    fixes.append(f"plug in by {format_hhmm(f['plug_in_by'] % 86_400)}")
                elif f["kind"] == "charging_stop":
                    fixes.append(f"charge {f['energy_wh'] / 1000:.1f} kWh at {f['charger_id']}")
            s.add_row(str(sf["vehicle_id"]), f"{sf['shortfall_wh'] / 1000:.1f}", "; ".join(fixes))
        console.print(s)
