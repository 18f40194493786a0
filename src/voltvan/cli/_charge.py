"""``voltvan charge`` (the night's depot schedule from the plan) and ``voltvan csms`` (OCPP)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from voltvan.cli._app import app, console
from voltvan.errors import InvalidInput

if TYPE_CHECKING:
    from voltvan.charging import CsmsConfig, Schedule


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


@app.command("csms")
def csms_command(
    data: Annotated[
        Path,
        typer.Option(
            "--data",
            help="Folder with chargers.toml (ids, passwords; with --client-ca a charger may "
            "have none), optionally schedule.json; the state file csms.sqlite is kept here.",
        ),
    ],
    schedule_file: Annotated[
        Path | None,
        typer.Option(
            "--schedule",
            help="Schedule to apply (written by voltvan charge; default: DATA/schedule.json); "
            "re-plans rewrite it.",
        ),
    ] = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="TCP port.")] = 9000,
    simulate: Annotated[
        bool,
        typer.Option(
            "--simulate",
            help="Demo: play the night on simulated chargers (one per charger of the schedule; "
            "without DATA/chargers.toml they get passwords for the night) on a fast clock, "
            "then compare metered with planned energy.",
        ),
    ] = False,
    speed: Annotated[
        float,
        typer.Option("--speed", min=1.0, help="With --simulate: simulated seconds per second."),
    ] = 3600.0,
    night_of: Annotated[
        str | None,
        typer.Option(
            "--night-of",
            help="Date (YYYY-MM-DD) of the evening the schedule's clock starts at midnight of "
            "(local time; default today).",
        ),
    ] = None,
    certfile: Annotated[
        Path | None,
        typer.Option(
            "--certfile",
            help="Serve wss:// (OCPP security profile 2: TLS 1.2+ and the chargers' passwords) "
            "with this PEM certificate chain; needs --keyfile.",
        ),
    ] = None,
    keyfile: Annotated[
        Path | None, typer.Option("--keyfile", help="The PEM private key of --certfile.")
    ] = None,
    client_ca: Annotated[
        Path | None,
        typer.Option(
            "--client-ca",
            help="Security profile 3: chargers show a certificate signed by this PEM CA whose "
            "CN or DNS subjectAltName is their charger id (no password is asked, and "
            "chargers.toml may leave it out); needs --certfile.",
        ),
    ] = None,
    metrics_port: Annotated[
        int | None,
        typer.Option(
            "--metrics-port",
            min=1,
            max=65535,
            help="Serve Prometheus metrics on http://127.0.0.1:PORT/metrics (chargers, "
            "transactions, meter values, profile pushes, rejected frames).",
        ),
    ] = None,
) -> None:
    """Run the OCPP central system (1.6J and 2.0.1) that applies the schedule to the chargers."""
    import asyncio
    import datetime as dt

    from voltvan.charging import Csms, CsmsTls, read_csms_config, simulated_config
    from voltvan.charging import Schedule as _Schedule

    chargers_path = data / "chargers.toml"
    schedule_path = schedule_file or data / "schedule.json"
    schedule = (
        _Schedule.read_json(schedule_path)
        if schedule_file is not None or schedule_path.exists()
        else None
    )
    try:
        day = dt.date.fromisoformat(night_of) if night_of else dt.date.today()
    except ValueError as exc:
        raise InvalidInput(f"not a date: {night_of!r}", field="night-of") from exc
    day_start = dt.datetime.combine(day, dt.time()).astimezone().timestamp()
    if simulate:
        if schedule is None:
            raise InvalidInput(
                "--simulate needs a schedule (--schedule FILE, from voltvan charge)",
                file=schedule_path,
            )
        if chargers_path.exists():
            config = read_csms_config(chargers_path)
        else:
            config = simulated_config(schedule)
        data.mkdir(parents=True, exist_ok=True)
        _simulate(schedule, config, data, speed, day_start)
        return
    if not chargers_path.exists():
        raise InvalidInput(
            "file not found: it lists the chargers that may connect ([[charger]] id, password "
            "(optional with --client-ca); see docs/charging.md); --simulate runs without it",
            file=chargers_path,
        )
    if (certfile is None) != (keyfile is None):
        raise InvalidInput("--certfile and --keyfile go together", field="certfile")
    if client_ca is not None and certfile is None:
        raise InvalidInput("--client-ca needs --certfile and --keyfile (TLS)", field="client-ca")
    tls = None
    if certfile is not None and keyfile is not None:
        tls = CsmsTls(certfile, keyfile, client_ca)
        tls.context()  # a bad certificate or key stops here, before the server starts
    config = read_csms_config(chargers_path, client_certificates=client_ca is not None)
    csms = Csms(
        config,
        store_path=data / "csms.sqlite",
        schedule=schedule,
        schedule_out=schedule_path if schedule is not None else None,
        day_start_epoch=day_start,
        tls=tls,
    )

    async def serve() -> None:
        bound = await csms.start(host, port)
        stop_metrics = None
        if metrics_port is not None:
            from voltvan.web import serve_csms_metrics

            stop_metrics = serve_csms_metrics(csms, metrics_port)
        vans = f"{len(schedule.vans)} vans scheduled" if schedule else "no schedule"
        scheme = "ws" if tls is None else "wss"
        profile = 1 if tls is None else tls.profile
        console.print(
            f"OCPP central system on {scheme}://{host}:{bound}/<charger_id> "
            f"(security profile {profile}, {len(config.chargers)} chargers, {vans}); "
            "Ctrl-C stops it",
            highlight=False,
        )
        try:
            await asyncio.Event().wait()
        finally:
            if stop_metrics is not None:
                stop_metrics()
            await csms.stop()

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        console.print("stopped; state kept in " + str(data / "csms.sqlite"))


def _simulate(
    schedule: Schedule, config: CsmsConfig, data: Path, speed: float, day_start: float
) -> None:
    import asyncio

    from rich.live import Live

    from voltvan.charging import Csms, run_night
    from voltvan.domain import format_hhmm

    with Live(console=console, refresh_per_second=4) as live:

        def tick(csms: Csms, now_s: float) -> None:
            active = csms.store.active()
            power = sum(tx.power_w for tx in active)
            live.update(
                f"{format_hhmm(now_s % 86_400)}  {len(active)} sessions  {power / 1000:.1f} kW  "
                f"re-plans {len(csms.replans)}"
            )

        result = asyncio.run(
            run_night(
                schedule,
                config,
                data_dir=data,
                speed=speed,
                day_start_epoch=day_start,
                on_tick=tick,
            )
        )
    t = Table(title="Simulated night: planned vs metered")
    for col in ("van", "planned kWh", "metered kWh"):
        t.add_column(col, justify="right")
    for vid, planned in sorted(result.planned_wh.items()):
        t.add_row(vid, f"{planned / 1000:.2f}", f"{result.metered_wh.get(vid, 0.0) / 1000:.2f}")
    console.print(t)
    planned_kwh = sum(result.planned_wh.values()) / 1000
    metered_kwh = sum(result.metered_wh.values()) / 1000
    console.print(
        f"{len(config.chargers)} simulated chargers over WebSockets, {len(result.planned_wh)} "
        f"vans: planned {planned_kwh:.1f} kWh, metered {metered_kwh:.1f} kWh, "
        f"re-plans {len(result.replans)}; state in {data / 'csms-simulated.sqlite'}",
        highlight=False,
    )
