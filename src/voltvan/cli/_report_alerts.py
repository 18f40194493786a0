"""``voltvan report alerts``: what needs a dispatcher's eye now, judged at one moment of the day.

Low SoC needs the plan (the SoC is set against the rest of the route) and high consumption needs
each van's type (the trip is compared with its energy model); without them those alerts are
left out and the notes say so, rather than reporting a quiet fleet.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from voltvan.cli._analytics import DataOpt, FleetOpt, TypeOpt, fleet_info, vehicle_ids
from voltvan.cli._output import Col, CsvOpt, JsonOpt, emit, output
from voltvan.cli._reports import report_app
from voltvan.errors import InvalidInput


@report_app.command("alerts")
def report_alerts(
    data: DataOpt,
    plan: Annotated[
        Path | None, typer.Option("--plan", help="plan.json of the day (for the SoC alert).")
    ] = None,
    fleet: FleetOpt = None,
    vehicle_type: TypeOpt = None,
    now: Annotated[
        str | None,
        typer.Option("--now", help="Judge at this RFC 3339 time; default: the newest signal."),
    ] = None,
    tz: Annotated[
        str, typer.Option("--tz", help="Time zone of the plan's times of day (IANA name).")
    ] = "UTC",
    as_csv: CsvOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Alerts: SoC too low for the rest of the planned route, long stops, high consumption."""
    from zoneinfo import ZoneInfo

    from voltvan.plan import Plan
    from voltvan.telemetry import (
        derived_rows,
        high_consumption_alerts,
        latest_soc,
        long_stop_alerts,
        low_soc_alerts,
        match_observed,
        newest_signal_ts,
        observed_trips,
        open_query,
    )

    fmt = output(as_csv, as_json)
    con = open_query(data)
    state = latest_soc(con)
    if now is not None:
        try:
            at = datetime.fromisoformat(now)
        except ValueError:
            raise InvalidInput(f"{now!r} is not an RFC 3339 time", field="--now") from None
    else:
        at = newest_signal_ts(con) or datetime.now(UTC)
    if at.tzinfo is None:
        raise InvalidInput(f"{now!r} needs a time zone offset", field="--now")
    local = at.astimezone(ZoneInfo(tz))
    now_s = local.hour * 3600 + local.minute * 60 + local.second
    day = at.astimezone(UTC).date().isoformat()
    the_plan = Plan.read_json(plan) if plan is not None else None
    alerts = low_soc_alerts(the_plan, state, now_s) if the_plan is not None else []
    stops = derived_rows(con, "stops", day=day)
    alerts += long_stop_alerts(stops, plan=the_plan)
    info = fleet_info(fleet, vehicle_type, vehicle_ids(data))
    notes = []
    if the_plan is None:
        notes.append("no low-SoC alerts: they set the SoC against the planned route; give --plan")
    if info.mass_kg:
        trips = derived_rows(con, "trips", day=day)
        trips = [t for t in trips if t["vehicle_id"] in info.mass_kg]
        obs = observed_trips(con, trips, mass_kg=info.mass_kg)
        keyed = [(t["vehicle_id"], t["start_ts"], o) for t, o in match_observed(trips, obs)]
        alerts += high_consumption_alerts(keyed, info.consumption)
    else:
        notes.append(
            "no high-consumption alerts: they compare each trip with the energy model of the "
            "van's type; give --fleet or --vehicle-type"
        )
    rows = [(a.kind, a.vehicle_id, a.ts, a.severity, a.message) for a in alerts]
    cols: list[Col | str] = [
        Col("alert", left=True), Col("vehicle", left=True), Col("since", 2, left=True),
        Col("severity", 1, left=True), Col("what", left=True),
    ]  # fmt: skip
    emit(f"Alerts at {at.isoformat()}", cols, rows, fmt, empty="no alerts", notes=notes)
