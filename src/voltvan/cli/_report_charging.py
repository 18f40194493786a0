"""``voltvan report charging``: the charging sessions and, from them, each battery's health.

The state of health compares the capacity the sessions show with the nominal one, so it needs
each van's nominal capacity; the notes say for which vans it is missing and how to give it.
"""

from __future__ import annotations

from voltvan.cli._analytics import (
    BatteryOpt,
    DataOpt,
    FleetOpt,
    TypeOpt,
    capacities,
    fleet_info,
    vans_text,
)
from voltvan.cli._output import Col, CsvOpt, JsonOpt, Output, emit, output
from voltvan.cli._reports import (
    NO_ROWS,
    DayOpt,
    VehicleOpt,
    blank_energy_note,
    derived,
    kwh,
    pct,
    report_app,
)


@report_app.command("charging")
def report_charging(
    data: DataOpt,
    vehicle: VehicleOpt = None,
    day: DayOpt = None,
    as_csv: CsvOpt = False,
    as_json: JsonOpt = False,
    fleet: FleetOpt = None,
    vehicle_type: TypeOpt = None,
    battery_wh: BatteryOpt = None,
) -> None:
    """Charging sessions (start/end SoC, energy, peak power) and a state-of-health estimate.

    The state of health is a second table, shown without --csv/--json only.
    """
    from voltvan.telemetry import estimate_health

    fmt = output(as_csv, as_json)
    sessions = derived(data, "charging_sessions", vehicle, day)
    rows = [
        (s["vehicle_id"], s["start_ts"], s["end_ts"], s["duration_s"] / 60,
         pct(s["start_soc"]), pct(s["end_soc"]), kwh(s["energy_wh"]), s["energy_source"],
         kwh(s["peak_power_w"]), s["source"])
        for s in sessions
    ]  # fmt: skip
    cols: list[Col | str] = [
        Col("vehicle", left=True), Col("start", left=True), Col("end", 5, left=True),
        Col("min", 3), "SoC start %", "SoC end %", "kWh", Col("kWh from", 8, left=True),
        Col("peak kW", 6), Col("detected by", 7, left=True),
    ]  # fmt: skip
    vans = sorted({s["vehicle_id"] for s in sessions})
    caps = capacities(fleet_info(fleet, vehicle_type, vans), battery_wh, vans)
    no_cap = sorted({s["vehicle_id"] for s in sessions if s["energy_wh"] is None})
    notes = blank_energy_note("the sessions of " + vans_text(no_cap), no_cap)
    unknown = [v for v in vans if v not in caps]
    if unknown:
        notes.append(
            f"no state of health for {vans_text(unknown)}: it compares the capacity the sessions "
            "show with the nominal one; give --fleet, --vehicle-type or --battery-wh"
        )
    emit("Charging sessions", cols, rows, fmt, empty=NO_ROWS, notes=notes)
    health = estimate_health(sessions, caps)
    if health and fmt is Output.table:
        health_cols: list[Col | str] = [
            Col("vehicle", left=True), "sessions", "SoC seen", "capacity kWh", "nominal kWh",
            "SoH %", "conf.",
        ]  # fmt: skip
        health_rows = [
            (h.vehicle_id, h.num_sessions, h.soc_observed, h.capacity_wh / 1000,
             h.nominal_wh / 1000, 100 * h.soh, h.confidence)
            for h in health
        ]  # fmt: skip
        emit("Battery state of health", health_cols, health_rows, fmt)
