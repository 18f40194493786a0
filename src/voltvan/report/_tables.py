"""The HTML around the map and chart: summary cards, van legend, route and unassigned tables.

Every value that came from an input file goes through ``escape``; numbers carry a ``data-v``
attribute with the raw value so the page can sort columns numerically.
"""

from __future__ import annotations

from html import escape

from voltvan.domain import Scenario, format_hhmm
from voltvan.plan import Plan
from voltvan.report._view import RouteView, Summary, window_text
from voltvan.report._waiting import Waiting, duration_text


def _card(key: str, value: str, note: str = "", *, alert: bool = False, warn: bool = False) -> str:
    cls = "vv-card vv-alert" if alert else "vv-card vv-warn" if warn else "vv-card"
    return (
        f'<div class="{cls}"><div class="vv-k">{escape(key)}</div>'
        f'<div class="vv-v">{escape(value)}</div><div class="vv-n">{escape(note)}</div></div>'
    )


def _waiting_card(waits: list[Waiting]) -> str:
    total = sum(w.total_s for w in waits)
    flagged = [w for w in waits if w.flagged]
    note = (
        f"{len(flagged)} van{'s' if len(flagged) != 1 else ''} wait an hour or more "
        f"while {len(flagged[0].unused_vans)} stay unused"
        if flagged
        else "all vans, for time windows or chargers"
    )
    return _card("Waiting", duration_text(total), note, warn=bool(flagged))


def cards_html(s: Summary, waits: list[Waiting]) -> str:
    total_stops = s.stops_served + s.stops_unassigned
    served_pct = 100.0 * s.stops_served / total_stops if total_stops else 100.0
    return (
        '<div class="vv-cards">'
        + _card("Vans used", f"{s.vans_used}", f"of {s.vans_total} in the fleet")
        + _card("Stops served", f"{s.stops_served}", f"{served_pct:.1f}% of {total_stops}")
        + _card(
            "Unassigned",
            f"{s.stops_unassigned}",
            "see the list below" if s.stops_unassigned else "every stop is served",
            alert=s.stops_unassigned > 0,
        )
        + _card("Distance", f"{s.distance_m / 1000:,.1f} km", "all routes")
        + _card("Energy", f"{s.energy_wh / 1000:,.1f} kWh", "driven, from the battery")
        + _card(
            "Lowest SoC",
            f"{s.min_soc * 100:.0f}%" if s.min_soc is not None else "—",
            (f"van {s.min_soc_van}" if s.min_soc_van else "")
            + (f"; {s.num_below_reserve} below the reserve" if s.num_below_reserve else "")
            + (f"; {s.num_near_reserve} near the reserve" if s.num_near_reserve else ""),
            alert=s.num_below_reserve > 0,
            warn=s.num_near_reserve > 0,
        )
        + _card(
            "Charge stops",
            f"{s.num_charges}",
            f"{s.charged_wh / 1000:,.1f} kWh on the road" if s.num_charges else "none needed",
        )
        + _waiting_card(waits)
        + "</div>"
    )


def legend_html(views: list[RouteView], scenario: Scenario) -> str:
    vans = "".join(
        f'<label><input type="checkbox" class="vv-toggle" data-van="{escape(v.van_id)}" checked>'
        f'<span class="vv-swatch" style="--c:{v.colour}"></span>{escape(v.van_id)}'
        f'<span class="vv-meta">{v.num_stops} · {v.min_soc * 100:.0f}%</span></label>'
        for v in views
    )
    has_public = any(c.kind == "public" for c in scenario.fleet.chargers)
    return (
        '<aside class="vv-legend" aria-label="Legend and van toggles">'
        "<h3>Key</h3>"
        '<div class="vv-key"><span class="vv-icon vv-depot" style="margin:0">D</span>depot</div>'
        '<div class="vv-key"><span class="vv-dot"></span>stop (van colour)</div>'
        '<div class="vv-key"><span class="vv-dot vv-dot-charge"></span>charge stop on a route</div>'
        + (
            '<div class="vv-key"><span class="vv-icon vv-charger" style="margin:0">\u26a1</span>'
            "public charger</div>"
            if has_public
            else ""
        )
        + '<div class="vv-key"><span class="vv-icon vv-unassigned" style="margin:0">\u2716</span>'
        "unassigned stop</div>"
        '<h3 style="margin-top:12px">Vans <span class="vv-meta">stops · min SoC</span></h3>'
        '<div><button type="button" id="vv-all">all</button>'
        '<button type="button" id="vv-none">none</button></div>' + vans + "</aside>"
    )


def _num(value: float, text: str, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f'<td data-v="{value:.6g}"{attr}>{escape(text)}</td>'


def _load_cell(load: float, share: float | None, unit: str, digits: int) -> str:
    """``812 kg · 46%`` of the van's capacity; sorted by the share when it is known."""
    text = f"{load:,.{digits}f} {unit}" + (f" · {share:.0%}" if share is not None else "")
    return _num(share if share is not None else load, text)


def route_table_html(views: list[RouteView]) -> str:
    if not views:
        return '<p class="vv-empty">The plan has no routes.</p>'
    head = (
        '<th class="vv-l">Van</th><th class="vv-l">Model</th><th>Stops</th><th>km</th>'
        "<th>kWh used</th><th>Weight loaded</th><th>Volume loaded</th>"
        "<th>Start</th><th>End</th><th>Hours</th><th>Waiting h</th><th>Start SoC</th>"
        "<th>Min SoC</th><th>End SoC</th><th>Charge stops</th><th>kWh charged</th>"
    )
    rows = []
    for v in views:
        r = v.route
        low = "vv-bad" if v.is_below_reserve else "vv-low" if v.is_near_reserve else ""
        rows.append(
            f'<tr data-van="{escape(v.van_id)}">'
            f'<td class="vv-l"><span class="vv-swatch" style="--c:{v.colour}"></span> '
            f"{escape(v.van_id)}</td>"
            f'<td class="vv-l">{escape(v.model)}</td>'
            + _num(v.num_stops, str(v.num_stops))
            + _num(r.distance_m, f"{r.distance_m / 1000:.1f}")
            + _num(r.energy_wh, f"{r.energy_wh / 1000:.1f}")
            + _load_cell(v.load_kg, v.load_share_kg, "kg", 0)
            + _load_cell(v.load_m3, v.load_share_m3, "m³", 1)
            + _num(r.start_s, format_hhmm(r.start_s))
            + _num(r.end_s, format_hhmm(r.end_s))
            + _num(r.duration_s, f"{r.duration_s / 3600:.1f}")
            + _num(v.waiting_s, f"{v.waiting_s / 3600:.1f}")
            + _num(r.visits[0].soc, f"{r.visits[0].soc * 100:.0f}%")
            + _num(v.min_soc, f"{v.min_soc * 100:.0f}%", low)
            + _num(r.visits[-1].soc, f"{r.visits[-1].soc * 100:.0f}%")
            + _num(v.num_charges, str(v.num_charges))
            + _num(r.charged_wh, f"{r.charged_wh / 1000:.1f}" if r.charged_wh else "—")
            + "</tr>"
        )
    return (
        '<table class="vv-table vv-sortable" id="vv-routes">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def unassigned_table_html(plan: Plan, scenario: Scenario) -> str:
    if not plan.unassigned:
        return '<p class="vv-empty">None: every stop is on a route.</p>'
    stops = {s.id: s for s in scenario.stops}
    rows = []
    for u in plan.unassigned:
        s = stops.get(u.stop_id)
        weight = f"{s.weight_kg:.0f}" if s is not None else "?"
        rows.append(
            f'<tr data-stop="{escape(u.stop_id)}"><td class="vv-l">{escape(u.stop_id)}</td>'
            f'<td class="vv-l">{escape(window_text(s) or "?")}</td>'
            f'<td data-v="{s.weight_kg if s is not None else 0:.6g}">{weight}</td>'
            f'<td class="vv-l">{escape(u.reason)}</td></tr>'
        )
    return (
        '<table class="vv-table vv-sortable" id="vv-unassigned">'
        '<thead><tr><th class="vv-l">Stop</th><th class="vv-l">Window</th><th>kg</th>'
        '<th class="vv-l">Reason</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
