"""``voltvan report trips``: one row per trip, so a person can follow a van's day leg by leg.

Energy is blank where the SoC was seen but no capacity is known; the note under the table says
which vans and how to give the capacity.
"""

from __future__ import annotations

from voltvan.cli._analytics import DataOpt, vans_text
from voltvan.cli._output import Col, CsvOpt, JsonOpt, emit, output
from voltvan.cli._reports import (
    NO_ROWS,
    DayOpt,
    VehicleOpt,
    blank_energy_note,
    derived,
    div,
    kwh,
    pct,
    report_app,
)


@report_app.command("trips")
def report_trips(
    data: DataOpt,
    vehicle: VehicleOpt = None,
    day: DayOpt = None,
    as_csv: CsvOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Trips: start and end (UTC), duration, driving time, distance (and its source), energy."""
    fmt = output(as_csv, as_json)
    rows = [
        (t["vehicle_id"], t["start_ts"], t["end_ts"], div(t["duration_s"], 60),
         div(t["driving_s"], 60), div(t["distance_m"], 1000), t["distance_source"],
         t["gps_faults"], kwh(t["energy_wh"]), t["wh_per_km"], pct(t["start_soc"]),
         pct(t["end_soc"]))
        for t in derived(data, "trips", vehicle, day)
    ]  # fmt: skip
    cols: list[Col | str] = [
        Col("vehicle", left=True), Col("start", left=True), Col("end", 5, left=True),
        Col("min", 3), Col("driving min", 7), "km", Col("km from", 8, left=True),
        Col("gps faults", 9), "kWh", "Wh/km", Col("SoC start %", 4), Col("SoC end %", 2),
    ]  # fmt: skip
    no_cap = sorted({r[0] for r in rows if r[8] is None and None not in (r[10], r[11])})
    notes = blank_energy_note("the trips of " + vans_text(no_cap), no_cap)
    emit("Trips", cols, rows, fmt, empty=NO_ROWS, notes=notes)
