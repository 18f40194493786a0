"""``voltvan csms``: the OCPP central system that applies a schedule to the chargers.

Apart from ``voltvan charge`` because it runs the schedule rather than making it: a long-lived
server (or, with ``--simulate``, a simulated night on a fast clock) with its own TLS and metrics
options.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from voltvan.cli._app import app, console
from voltvan.errors import InvalidInput

if TYPE_CHECKING:
    from voltvan.charging import CsmsConfig, Schedule


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
