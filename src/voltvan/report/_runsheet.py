"""Run sheets: per van, the stops in driving order as a driver and a dispatcher read them.

The stop numbers are :attr:`RouteView.sequence`, the same numbers the map puts on the markers.
Each sheet is a ``<details>`` block (folded on screen, so the page stays short) that prints on
pages of its own: the page script unfolds the sheets before printing.
"""

from __future__ import annotations

from html import escape

from voltvan.domain import Scenario, Stop, format_hhmm
from voltvan.plan import Visit
from voltvan.report._view import RouteView, window_text
from voltvan.report._waiting import Waiting, duration_text, flag_text, why_text


def load_text(load: float, capacity: float | None, unit: str, digits: int) -> str:
    """``812 kg of 1,758 kg (46%)``; without a known capacity just the load."""
    if not capacity:
        return f"{load:,.{digits}f} {unit}"
    return f"{load:,.{digits}f} {unit} of {capacity:,.{digits}f} {unit} ({load / capacity:.0%})"


def _columns(scenario: Scenario) -> tuple[bool, bool, bool]:
    """Which optional columns the scenario fills: customer, parcels, note."""
    stops = scenario.stops
    return (
        any(s.name or s.address for s in stops),
        any(s.parcels is not None for s in stops),
        any(s.note for s in stops),
    )


def _customer(stop: Stop | None) -> str:
    if stop is None:
        return ""
    parts = [f"<b>{escape(stop.name)}</b>" if stop.name else "", escape(stop.address)]
    return "<br>".join(p for p in parts if p)


def _stop_row(
    number: int, v: Visit, stop: Stop | None, scenario: Scenario, cols: tuple[bool, bool, bool]
) -> str:
    wait = v.start_s - v.arrival_s
    cells = [
        f'<td class="vv-num">{number}</td>',
        f"<td>{format_hhmm(v.arrival_s)}</td>",
        f'<td class="vv-l">{escape(window_text(stop))}</td>',
        f"<td>{duration_text(wait) if wait >= 60 else ''}</td>",
        f'<td class="vv-l">{escape(v.location_id)}</td>',
    ]
    if cols[0]:
        cells.append(f'<td class="vv-l">{_customer(stop)}</td>')
    if cols[1]:
        parcels = stop.parcels if stop is not None else None
        cells.append(f"<td>{parcels if parcels is not None else ''}</td>")
    cells.append(f"<td>{f'{stop.weight_kg:.1f}' if stop is not None else '?'}</td>")
    cells.append(f"<td>{f'{stop.volume_m3:.3f}' if stop is not None else '?'}</td>")
    if cols[2]:
        cells.append(f'<td class="vv-l">{escape(stop.note) if stop is not None else ""}</td>')
    cells.append('<td class="vv-tick"></td>')
    return f'<tr data-stop="{escape(v.location_id)}">{"".join(cells)}</tr>'


def _charge_row(v: Visit, view: RouteView, width: int) -> str:
    after = (v.energy_wh + v.charge_wh) / view.battery_wh
    text = (
        f"Charge {v.charge_wh / 1000:.1f} kWh at {v.location_id}, "
        f"{format_hhmm(v.start_s)}–{format_hhmm(v.departure_s)}, "
        f"battery {v.soc:.0%} → {after:.0%}"
    )
    return (
        f'<tr class="vv-rs-charge"><td class="vv-num">⚡</td><td>{format_hhmm(v.arrival_s)}</td>'
        f'<td class="vv-l" colspan="{width - 2}">{escape(text)}</td></tr>'
    )


def _depot_row(label: str, t_s: float, width: int) -> str:
    return (
        f'<tr class="vv-rs-depot"><td class="vv-num">D</td><td>{format_hhmm(t_s)}</td>'
        f'<td class="vv-l" colspan="{width - 2}">{escape(label)}</td></tr>'
    )


def _depot_name(scenario: Scenario, depot_id: str) -> str:
    """``Berlin-Marienfelde depot (DEPOT)``, or ``depot DEPOT`` when it has no name."""
    for d in scenario.fleet.depots:
        if d.id == depot_id and d.name:
            return f"{d.name} ({d.id})"
    return f"depot {depot_id}"


def _facts(view: RouteView, waiting: Waiting | None, parcels: int | None) -> str:
    r = view.route
    facts = [
        ("Leaves", format_hhmm(r.start_s)),
        ("Back", format_hhmm(r.end_s)),
        ("Stops", str(view.num_stops)),
        ("Distance", f"{r.distance_m / 1000:.1f} km"),
        ("Weight loaded", load_text(view.load_kg, view.payload_kg, "kg", 0)),
        ("Volume loaded", load_text(view.load_m3, view.cargo_m3, "m³", 1)),
    ]
    if parcels is not None:
        facts.append(("Parcels", str(parcels)))
    facts.append(("Lowest battery", f"{view.min_soc:.0%}"))
    if waiting is not None:
        facts.append(("Waiting", why_text(waiting)))
    body = "".join(f"<div><dt>{escape(k)}</dt><dd>{escape(v)}</dd></div>" for k, v in facts)
    flag = flag_text(waiting) if waiting is not None else ""
    return f'<dl class="vv-rs-facts">{body}</dl>' + (
        f'<p class="vv-rs-flag"><b>⚠ Worth a look:</b> {escape(flag)}</p>' if flag else ""
    )


def run_sheet_html(view: RouteView, scenario: Scenario, waiting: Waiting | None) -> str:
    """One van's sheet: a summary line, the facts of its day and the table of its stops."""
    stops = {s.id: s for s in scenario.stops}
    cols = _columns(scenario)
    head = ['<th class="vv-num">#</th><th>Arrive</th><th class="vv-l">Window</th><th>Wait</th>']
    head.append('<th class="vv-l">Stop</th>')
    head += ['<th class="vv-l">Customer</th>'] if cols[0] else []
    head += ["<th>Parcels</th>"] if cols[1] else []
    head.append("<th>kg</th><th>m³</th>")
    head += ['<th class="vv-l">Note</th>'] if cols[2] else []
    head.append('<th class="vv-tick">Done</th>')
    width = 8 + sum(cols)
    r = view.route
    depot = _depot_name(scenario, r.depot_id)
    rows = [_depot_row(f"Leave {depot}", r.start_s, width)]
    mine = [stops.get(i) for i in r.stop_ids]
    for number, v in view.sequence:
        if number is None:
            rows.append(_charge_row(v, view, width))
        else:
            rows.append(_stop_row(number, v, stops.get(v.location_id), scenario, cols))
    rows.append(_depot_row(f"Back at {depot}", r.end_s, width))
    counts = [s.parcels for s in mine if s is not None]
    parcels = sum(c for c in counts if c is not None) if cols[1] and counts else None
    van = escape(view.van_id)
    summary = (
        f'<summary><span class="vv-swatch" style="--c:{view.colour}"></span> '
        f"<b>Van {van}</b> · {escape(view.model)} · {view.num_stops} stops · "
        f"{format_hhmm(r.start_s)}–{format_hhmm(r.end_s)}"
        f'<button type="button" class="vv-print-one" data-van="{van}">Print</button></summary>'
    )
    return (
        f'<details class="vv-runsheet" data-van="{van}">{summary}'
        f'<h3 class="vv-rs-title">Run sheet · van {van} · {escape(view.model)}</h3>'
        + _facts(view, waiting, parcels)
        + f'<table class="vv-table vv-rs-table"><thead><tr>{"".join(head)}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></details>"
    )


def run_sheets_html(views: list[RouteView], scenario: Scenario, waits: list[Waiting]) -> str:
    by_van = {w.view.van_id: w for w in waits}
    sheets = [run_sheet_html(v, scenario, by_van.get(v.van_id)) for v in views if v.num_stops > 0]
    if not sheets:
        return '<p class="vv-empty">No van is on the road.</p>'
    return (
        '<div class="vv-rs-tools"><button type="button" id="vv-print-sheets">'
        'Print all run sheets</button> <button type="button" id="vv-open-sheets">'
        "Unfold all</button></div>" + "".join(sheets)
    )
