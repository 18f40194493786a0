"""The plug sheet the depot staff follow: which van on which connector, from when to when, and
every re-plug (a staff visit), as rows, as CSV (``plugs.csv``, docs/formats/schedule.md) and as
an HTML table for the charging report.

Drivers plug in when they arrive and unplug when they leave; a plug-in after the arrival or an
unplug before the departure is done by staff. The staff actions at one connector at one
instant (unplug one van, plug in the next) are one re-plug.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from voltvan.charging._schedule import Schedule
from voltvan.domain import DAY_S, format_hhmm
from voltvan.errors import InvalidInput
from voltvan.files import write_atomic

TIME_TOL_S = 1.0
"""A plug-in within this of the arrival (an unplug within this of the departure) is the
driver's."""
PLUG_COLUMNS = (
    "connector_id",
    "vehicle_id",
    "plug_in",
    "plug_in_by",
    "plug_out",
    "plug_out_by",
    "plug_in_s",
    "plug_out_s",
)


@dataclass(frozen=True, slots=True)
class PlugRow:
    """One van on one connector from ``plug_in_s`` to ``plug_out_s`` (night's clock)."""

    connector_id: str
    vehicle_id: str
    plug_in_s: float
    plug_out_s: float


@dataclass(frozen=True, slots=True)
class Replug:
    """A staff visit at one connector: unplug ``unplug`` and/or plug in ``plug_in``."""

    time_s: float
    connector_id: str
    unplug: str | None
    plug_in: str | None


def plug_sheet(schedule: Schedule) -> list[PlugRow]:
    """The schedule's sessions, by connector and time (vans without a plug are not on it)."""
    rows = [
        PlugRow(v.connector_id, v.vehicle_id, v.plug_in, v.plug_out)
        for v in schedule.vans
        if v.connector_id is not None and v.plug_in is not None and v.plug_out is not None
    ]
    return sorted(rows, key=lambda r: (r.connector_id, r.plug_in_s, r.vehicle_id))


def by_staff(schedule: Schedule, row: PlugRow) -> tuple[bool, bool]:
    """Whether staff plug the van in, and whether staff unplug it."""
    v = schedule.van(row.vehicle_id)
    return row.plug_in_s > v.arrival + TIME_TOL_S, row.plug_out_s < v.departure - TIME_TOL_S


def replugs(schedule: Schedule, rows: Sequence[PlugRow] | None = None) -> list[Replug]:
    """Every staff visit the sheet asks for, in time order."""
    visits: dict[tuple[str, float], tuple[str | None, str | None]] = {}
    for row in plug_sheet(schedule) if rows is None else rows:
        late_in, early_out = by_staff(schedule, row)
        if late_in:
            key = _visit_key(visits, row.connector_id, row.plug_in_s)
            visits[key] = (visits.get(key, (None, None))[0], row.vehicle_id)
        if early_out:
            key = _visit_key(visits, row.connector_id, row.plug_out_s)
            visits[key] = (row.vehicle_id, visits.get(key, (None, None))[1])
    return sorted(
        (Replug(t, cid, out, into) for (cid, t), (out, into) in visits.items()),
        key=lambda r: (r.time_s, r.connector_id),
    )


def _visit_key(
    visits: dict[tuple[str, float], tuple[str | None, str | None]], cid: str, t: float
) -> tuple[str, float]:
    for key in visits:
        if key[0] == cid and abs(key[1] - t) <= TIME_TOL_S:
            return key
    return (cid, t)


def _clock(t_s: float) -> str:
    return format_hhmm(t_s % DAY_S)


def plugs_csv(schedule: Schedule) -> str:
    """The sheet as CSV: clock times for people, seconds on the night's clock for programs."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(PLUG_COLUMNS)
    for row in plug_sheet(schedule):
        late_in, early_out = by_staff(schedule, row)
        w.writerow(
            [
                row.connector_id,
                row.vehicle_id,
                _clock(row.plug_in_s),
                "staff" if late_in else "driver",
                _clock(row.plug_out_s),
                "staff" if early_out else "driver",
                f"{row.plug_in_s:g}",
                f"{row.plug_out_s:g}",
            ]
        )
    return buf.getvalue()


def write_plugs_csv(schedule: Schedule, path: Path) -> None:
    write_atomic(path, plugs_csv(schedule))


def read_plugs_csv(path: Path) -> list[PlugRow]:
    """The rows of a ``plugs.csv``, times from its seconds columns."""
    rows = []
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            missing = set(PLUG_COLUMNS) - set(reader.fieldnames or ())
            if missing:
                raise InvalidInput(
                    f"missing columns {sorted(missing)}", file=path, line=1, field=min(missing)
                )
            for line, rec in enumerate(reader, start=2):
                field = "plug_in_s"
                try:
                    plug_in = float(rec["plug_in_s"])
                    field = "plug_out_s"
                    plug_out = float(rec["plug_out_s"])
                except (TypeError, ValueError) as exc:
                    raise InvalidInput(
                        f"bad value {rec.get(field)!r}", file=path, line=line, field=field
                    ) from exc
                rows.append(PlugRow(rec["connector_id"], rec["vehicle_id"], plug_in, plug_out))
    except FileNotFoundError as exc:
        raise InvalidInput("file not found", file=path) from exc
    return rows


def staffed_text(schedule: Schedule) -> str:
    if not schedule.staffed_s:
        return "any time (none given)"
    return ", ".join(f"{_clock(a)}-{_clock(b)}" for a, b in schedule.staffed_s)


def plugs_html(schedule: Schedule) -> str:
    """The plug sheet and the re-plugs as HTML tables (for the charging report)."""
    visits = replugs(schedule)
    head = (
        f"<h3>Plug sheet</h3><p>{len(visits)} re-plug(s) by staff · staffed: "
        f"{escape(staffed_text(schedule))}</p>"
    )
    sheet = ["<table><tr><th>connector</th><th>van</th><th>plug in</th><th>by</th>"]
    sheet.append("<th>plug out</th><th>by</th></tr>")
    for row in plug_sheet(schedule):
        late_in, early_out = by_staff(schedule, row)
        sheet.append(
            f"<tr><td>{escape(row.connector_id)}</td><td>{escape(row.vehicle_id)}</td>"
            f"<td>{_clock(row.plug_in_s)}</td><td>{'staff' if late_in else 'driver'}</td>"
            f"<td>{_clock(row.plug_out_s)}</td><td>{'staff' if early_out else 'driver'}</td></tr>"
        )
    sheet.append("</table>")
    if not visits:
        return head + "".join(sheet)
    table = ["<h3>Re-plugs</h3><table><tr><th>time</th><th>connector</th>"]
    table.append("<th>unplug</th><th>plug in</th></tr>")
    for r in visits:
        table.append(
            f"<tr><td>{_clock(r.time_s)}</td><td>{escape(r.connector_id)}</td>"
            f"<td>{escape(r.unplug or '')}</td><td>{escape(r.plug_in or '')}</td></tr>"
        )
    table.append("</table>")
    return head + "".join(table) + "".join(sheet)
