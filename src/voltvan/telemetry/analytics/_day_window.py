"""Rows that belong to the UTC day they start on, found from a window around that day.

Trips, stops and charging sessions run past midnight; each is written whole with the day it
starts on, and deriving one day alone must give the rows that all data would. Reading all data
for every day is too slow, so a day is read with some context on each side. What is found next
to a window edge could differ from what all data gives (a trip seen from its middle, a charge
whose start lies before the window), so the query of each kind of row says, per row, whether
its start and its end are *settled*: cannot depend on data beyond the window. A van with an
unsettled row touching the day is read again with more context, at worst all of its data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from voltvan.errors import InvalidInput
from voltvan.telemetry.store import Connection, fetch_arrow

if TYPE_CHECKING:
    import pyarrow as pa

#: Context read on each side of a day, widened for the vans whose rows it cannot settle (half a
#: day sees the evening before and the morning after); after the last, all of a van's data.
DAY_CONTEXTS = (timedelta(hours=12), timedelta(days=3))


def ts_sql(t: datetime) -> str:
    """A UTC timestamp literal (built from a datetime, so nothing user-typed reaches the SQL)."""
    return f"TIMESTAMPTZ '{t.astimezone(UTC).isoformat(sep=' ')}'"


def day_bounds(day: str) -> tuple[datetime, datetime]:
    """Start and end of a UTC day ``YYYY-MM-DD``."""
    try:
        start = datetime.combine(date.fromisoformat(day), time(), tzinfo=UTC)
    except ValueError:
        raise InvalidInput(f"{day!r} is not a YYYY-MM-DD date", field="day") from None
    return start, start + timedelta(days=1)


@dataclass(frozen=True, slots=True)
class RowsQuery:
    """One kind of row that starts on a day and may run past it.

    ``sql(where)`` selects the rows in the signals matching ``where`` (a filter on ``ts`` and
    ``vehicle_id`` starting with ``AND``), with ``vehicle_id``, ``start_ts``, ``end_ts`` and
    the booleans ``settled_start`` and ``settled_end``. An edge of the window is a silence
    itself, and so settles the rows next to it, when none of the van's ``samples`` (SQL of
    ``vehicle_id, ts``: the samples the rows are made of) lies within ``gap_s`` beyond it.
    ``keep`` filters the final rows, once settled: a condition that a row cut by the window
    could fail (too short, too small) but the whole row passes.
    """

    sql: Callable[[str], str]
    samples: str
    gap_s: float
    keep: str = "true"


def _window_sql(
    query: RowsQuery, start: datetime, end: datetime, context: timedelta | None, vans: str
) -> str:
    """The rows over the day plus ``context``, each marked ``redo`` when its van needs more.

    A van is redone when an unsettled row touches the day: only then could the rows starting
    on the day differ from those over all data.
    """
    if context is None:
        where, open_sql = vans, "SELECT NULL::VARCHAR AS vehicle_id, false AS ob, false AS oa"
    else:
        lo, hi, gap = start - context, end + context, timedelta(seconds=query.gap_s)
        where = f" AND ts >= {ts_sql(lo)} AND ts < {ts_sql(hi)}{vans}"
        open_sql = f"""SELECT vehicle_id, bool_or(ts < {ts_sql(lo)}) AS ob,
                bool_or(ts >= {ts_sql(hi)}) AS oa
            FROM ({query.samples}) WHERE true {vans}
              AND ((ts >= {ts_sql(lo - gap)} AND ts < {ts_sql(lo)})
                OR (ts >= {ts_sql(hi)} AND ts <= {ts_sql(hi + gap)}))
            GROUP BY vehicle_id"""
    return f"""
    WITH found AS ({query.sql(where)}), open_edges AS ({open_sql}), marked AS (
        SELECT found.*, (settled_start OR NOT coalesce(e.ob, false))
                  AND (settled_end OR NOT coalesce(e.oa, false)) AS settled
        FROM found LEFT JOIN open_edges e USING (vehicle_id)
    ), van AS (
        SELECT vehicle_id,
            bool_or(NOT settled AND end_ts >= {ts_sql(start)} AND start_ts < {ts_sql(end)})
                AS redo
        FROM marked GROUP BY vehicle_id
    )
    SELECT marked.* EXCLUDE (settled_start, settled_end, settled), van.redo
    FROM marked JOIN van USING (vehicle_id)
    WHERE redo OR (start_ts >= {ts_sql(start)} AND start_ts < {ts_sql(end)} AND ({query.keep}))
    """


def day_rows(
    con: Connection,
    day: str,
    query: RowsQuery,
    *,
    vehicle_id: str | None = None,
    contexts: Sequence[timedelta] = DAY_CONTEXTS,
) -> pa.Table:
    """The rows of ``query`` that start on ``day`` (UTC), as over all data, by van and start.

    Reads the day with the first of ``contexts``; vans it cannot settle are read again with the
    next, and after the last with all their data.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    start, end = day_bounds(day)
    vans: list[str] | None = None if vehicle_id is None else [vehicle_id]
    done: list[pa.Table] = []
    for context in (*contexts, None):
        if vans is not None:
            con.register("_window_vans", pa.table({"vehicle_id": pa.array(vans, pa.string())}))
        try:
            vans_sql = "" if vans is None else " AND vehicle_id IN (SELECT * FROM _window_vans)"
            table = fetch_arrow(con, _window_sql(query, start, end, context, vans_sql))
        finally:
            if vans is not None:
                con.unregister("_window_vans")
        redo = table["redo"]
        done.append(table.filter(pc.invert(redo)).drop_columns(["redo"]))
        vans = sorted(set(table.filter(redo)["vehicle_id"].to_pylist()))
        if not vans:
            break
    else:  # unreachable: over all of a van's data every row is settled
        raise AssertionError(f"rows of {vans} on {day} did not settle")
    out = pa.concat_tables(done)
    return out.take(pc.sort_indices(out, [("vehicle_id", "ascending"), ("start_ts", "ascending")]))
