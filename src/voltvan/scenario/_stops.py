"""``stops.csv``: one delivery per line, read with the line and column named on every error.

Columns (header names, any order): ``id, lat, lon`` are required; ``tw_start, tw_end`` and
further windows ``tw2_start, tw2_end``, ``tw3_...`` as ``HH:MM``; ``service_s`` (or
``service_min``); ``weight_kg``; ``volume_m3``; ``parcels``. Blank windows mean "any time".
``name``, ``address`` and ``note`` are carried for the run sheet; ``x_...`` columns are ignored.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from pathlib import Path

from voltvan.domain import DAY_S, Stop, TimeWindow
from voltvan.errors import InvalidInput
from voltvan.scenario._text import open_csv
from voltvan.scenario._units import compact, format_time, parse_number, parse_time

REQUIRED = ("id", "lat", "lon")
_OPTIONAL = {
    "tw_start", "tw_end", "service_s", "service_min", "weight_kg", "volume_m3", "parcels",
}  # fmt: skip
_FREE = ("name", "address", "note")
_EXTRA_TW = re.compile(r"^tw(\d+)_(start|end)$")
ANY_TIME = TimeWindow(0.0, float(DAY_S))


def read_stops(path: Path, *, label: str) -> tuple[tuple[Stop, ...], list[int]]:
    """The stops and the line each came from (for cross-checks that fail later)."""
    rows, header = open_csv(path, label=label, expected="id,lat,lon,...")
    _check_header(header, label)
    col = {h: i for i, h in enumerate(header)}
    windows = _window_columns(header, label)
    stops: list[Stop] = []
    lines: list[int] = []
    seen: dict[str, int] = {}
    try:
        for row in rows:
            line = rows.line_num
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) != len(header):
                raise InvalidInput(
                    f"has {len(row)} fields but the header has {len(header)}", file=label, line=line
                )
            try:
                stop = _stop(row, col, windows)
            except InvalidInput as exc:
                raise exc.at(file=label, line=line) from None
            if stop.id in seen:
                raise InvalidInput(
                    f"duplicate stop id {stop.id!r} (first on line {seen[stop.id]})",
                    file=label, line=line, field="id",
                )  # fmt: skip
            seen[stop.id] = line
            stops.append(stop)
            lines.append(line)
    except csv.Error as exc:
        raise InvalidInput(f"not a valid CSV file: {exc}", file=label, line=rows.line_num) from None
    return tuple(stops), lines


def _check_header(header: list[str], label: str) -> None:
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        shown = ",".join(header)[:60]
        raise InvalidInput(
            f"missing column {', '.join(missing)} (header is {shown!r})",
            file=label, line=1, field=missing[0],
        )  # fmt: skip
    seen: set[str] = set()
    for h in header:
        if h in seen:
            raise InvalidInput(f"column {h!r} appears twice", file=label, line=1, field=h)
        seen.add(h)
        known = h in REQUIRED or h in _OPTIONAL or h in _FREE or h.startswith("x_")
        if not known and not _EXTRA_TW.match(h):
            raise InvalidInput(
                f"unknown column {h!r} (prefix your own columns with x_)",
                file=label,
                line=1,
                field=h,
            )
    if "service_s" in seen and "service_min" in seen:
        raise InvalidInput(
            "give either service_s or service_min, not both",
            file=label,
            line=1,
            field="service_min",
        )


def _window_columns(header: list[str], label: str) -> list[tuple[str, str]]:
    """Pairs of (start, end) column names, first window first."""
    numbers = {1} if "tw_start" in header or "tw_end" in header else set()
    for h in header:
        m = _EXTRA_TW.match(h)
        if m:
            numbers.add(int(m.group(1)))
    pairs = []
    for n in sorted(numbers):
        start, end = ("tw_start", "tw_end") if n == 1 else (f"tw{n}_start", f"tw{n}_end")
        for c in (start, end):
            if c not in header:
                raise InvalidInput(f"missing column {c}", file=label, line=1, field=c)
        pairs.append((start, end))
    return pairs


def _stop(row: Sequence[str], col: dict[str, int], windows: list[tuple[str, str]]) -> Stop:
    def cell(name: str) -> str:
        return row[col[name]].strip() if name in col else ""

    stop_id = cell("id")
    if not stop_id:
        raise InvalidInput("stop id is empty", field="id")
    tws: list[TimeWindow] = []
    for start, end in windows:
        a, b = cell(start), cell(end)
        if not a and not b:
            continue
        if not a or not b:
            raise InvalidInput(
                f"{start} and {end} must both be given or both be blank",
                field=start if not a else end,
            )
        try:
            tws.append(TimeWindow(parse_time(a, start), parse_time(b, end)))
        except InvalidInput as exc:
            field = {"tw_start": start, "tw_end": end}.get(exc.where.field or "", exc.where.field)
            raise InvalidInput(f"stop {stop_id}: {exc.message}", field=field) from None
    if "service_min" in col:
        service_s = _num(cell("service_min"), "service_min", 0.0) * 60
    else:
        service_s = _num(cell("service_s"), "service_s", 0.0)
    return Stop(
        id=stop_id,
        lat=_num(cell("lat"), "lat", None),
        lon=_num(cell("lon"), "lon", None),
        time_windows=tuple(tws) or (ANY_TIME,),
        service_s=service_s,
        weight_kg=_num(cell("weight_kg"), "weight_kg", 0.0),
        volume_m3=_num(cell("volume_m3"), "volume_m3", 0.0),
        parcels=_parcels(cell("parcels")),
        name=cell("name"),
        address=cell("address"),
        note=cell("note"),
    )


def _parcels(text: str) -> int | None:
    if not text:
        return None
    n = parse_number(text, "parcels", integer=True)
    if n < 0:
        raise InvalidInput(f"parcels must not be negative, got {text}", field="parcels")
    return int(n)


def _num(text: str, field: str, default: float | None) -> float:
    if not text:
        if default is None:
            raise InvalidInput(f"{field} is empty", field=field)
        return default
    return parse_number(text, field)


def write_stops(stops: Sequence[Stop], path: Path) -> None:
    """Write stops so that :func:`read_stops` gives them back exactly."""
    extra = max((len(s.time_windows) for s in stops), default=1)
    header = ["id", "lat", "lon", "tw_start", "tw_end"]
    for n in range(2, extra + 1):
        header += [f"tw{n}_start", f"tw{n}_end"]
    header += ["service_s", "weight_kg", "volume_m3"]
    with_parcels = any(s.parcels is not None for s in stops)
    if with_parcels:
        header.append("parcels")
    free = [c for c in _FREE if any(getattr(s, c) for s in stops)]
    header += free
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for s in stops:
            cells: list[str] = [s.id, repr(s.lat), repr(s.lon)]
            tws = [] if s.time_windows == (ANY_TIME,) else list(s.time_windows)
            for n in range(extra):
                if n < len(tws):
                    cells += [format_time(tws[n].start_s), format_time(tws[n].end_s)]
                else:
                    cells += ["", ""]
            cells += [_fmt(s.service_s), _fmt(s.weight_kg), _fmt(s.volume_m3)]
            if with_parcels:
                cells.append("" if s.parcels is None else str(s.parcels))
            cells += [getattr(s, c) for c in free]
            w.writerow(cells)


def _fmt(x: float) -> str:
    return repr(compact(x))
