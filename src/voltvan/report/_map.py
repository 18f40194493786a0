"""The data the map script draws: routes, depots, chargers and unassigned stops, with popups.

Popup and tooltip HTML is built and escaped here, in Python (Leaflet sets both as innerHTML), so
the page script stays a thin drawing layer and no id from an input file can inject markup.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape
from typing import Any

from voltvan.domain import Scenario, Stop, format_hhmm
from voltvan.plan import Plan, Visit
from voltvan.report._view import RouteView, window_text
from voltvan.scenario import stop_outliers


def _row(label: str, value: str) -> str:
    return f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>"


def _visit_popup(view: RouteView, seq: int | None, v: Visit, stop: Stop | None) -> str:
    kind = "charge stop" if v.kind == "charge" else "stop"
    rows = [
        _row("van", f"{view.van_id} · stop {seq}" if seq is not None else view.van_id),
        _row("arrival", format_hhmm(v.arrival_s)),
        _row("SoC on arrival", f"{v.soc * 100:.0f}%"),
    ]
    if v.kind == "stop":
        rows.append(_row("window", window_text(stop) or "—"))
        if v.start_s > v.arrival_s + 30:
            rows.append(_row("waits until", format_hhmm(v.start_s)))
        rows.append(_row("load on arrival", f"{v.load_kg:.0f} kg"))
    if v.charge_wh > 0:
        soc_after = (v.energy_wh + v.charge_wh) / view.battery_wh
        rows.append(_row("charged", f"{v.charge_wh / 1000:.1f} kWh → {soc_after * 100:.0f}%"))
        rows.append(_row("charging", f"{format_hhmm(v.start_s)}–{format_hhmm(v.departure_s)}"))
    return (
        f"<b>{escape(v.location_id)}</b> <small>{escape(kind)}</small>"
        f"<table>{''.join(rows)}</table>"
    )


def _depot_rows(views: list[RouteView]) -> str:
    if not views:
        return "<table>" + _row("vans out", "none") + "</table>"
    first = min(v.route.start_s for v in views)
    last = max(v.route.end_s for v in views)
    need = sum(v.route.energy_needed_wh for v in views)
    return (
        "<table>"
        + _row("vans out", str(len(views)))
        + _row("first leaves", format_hhmm(first))
        + _row("last back", format_hhmm(last))
        + _row("energy needed", f"{need / 1000:.0f} kWh")
        + "</table>"
    )


def map_data(plan: Plan, scenario: Scenario, views: list[RouteView]) -> dict[str, Any]:
    """A JSON-ready dict; coordinates are ``[lat, lon]`` as Leaflet takes them.

    ``view`` is the box the map opens on (``[[south, west], [north, east]]``, see
    :func:`view_bounds`); everything is drawn, even what lies outside it.
    """
    stops = {s.id: s for s in scenario.stops}
    routes: list[dict[str, Any]] = []
    charge_uses: dict[str, list[str]] = defaultdict(list)
    for view in views:
        visits = view.route.visits
        points = []
        for seq, v in view.sequence:
            label = f"stop {seq}" if seq is not None else "charge stop"
            points.append(
                {
                    "id": v.location_id,
                    "kind": v.kind,
                    "seq": seq,
                    "lat": v.lat,
                    "lon": v.lon,
                    "popup": _visit_popup(view, seq, v, stops.get(v.location_id)),
                    "tip": escape(
                        f"{v.location_id} · {view.van_id} {label} · {format_hhmm(v.arrival_s)}"
                    ),
                }
            )
            if v.kind == "charge":
                soc_after = (v.energy_wh + v.charge_wh) / view.battery_wh
                charge_uses[v.location_id].append(
                    f"{view.van_id} {format_hhmm(v.start_s)}–{format_hhmm(v.departure_s)}, "
                    f"+{v.charge_wh / 1000:.1f} kWh ({v.soc * 100:.0f}% → {soc_after * 100:.0f}%)"
                )
        routes.append(
            {
                "van": view.van_id,
                "colour": view.colour,
                "coords": [[v.lat, v.lon] for v in visits],
                "points": points,
                "tooltip": escape(
                    f"{view.van_id} · {view.model} · {view.num_stops} stops · "
                    f"{view.route.distance_m / 1000:.1f} km · min SoC {view.min_soc * 100:.0f}%"
                ),
            }
        )

    depots = [
        {
            "id": d.id,
            "lat": d.lat,
            "lon": d.lon,
            "popup": f"<b>{escape(d.id)}</b> <small>depot</small>"
            + (f"<br>{escape(d.name)}" if d.name else "")
            + _depot_rows([v for v in views if v.route.depot_id == d.id]),
        }
        for d in scenario.fleet.depots
    ]
    chargers = []
    for c in scenario.fleet.chargers:
        if c.kind != "public" and c.id not in charge_uses:
            continue
        uses = charge_uses.get(c.id, [])
        rows = [_row("power", f"{c.power_w / 1000:.0f} kW {c.current} × {c.connectors}")]
        rows += [_row("used by", u) for u in uses] or [_row("used by", "no van today")]
        chargers.append(
            {
                "id": c.id,
                "lat": c.lat,
                "lon": c.lon,
                "used": bool(uses),
                "popup": f"<b>{escape(c.id)}</b> <small>charger</small>"
                f"<table>{''.join(rows)}</table>",
            }
        )

    unassigned = []
    for u in plan.unassigned:
        s = stops.get(u.stop_id)
        if s is None:
            continue
        rows = [_row("window", window_text(s)), _row("reason", u.reason)]
        if s.weight_kg:
            rows.append(_row("weight", f"{s.weight_kg:.0f} kg"))
        unassigned.append(
            {
                "id": s.id,
                "lat": s.lat,
                "lon": s.lon,
                "tip": escape(f"{s.id} (unassigned)"),
                "popup": f"<b>{escape(s.id)}</b> <small>unassigned</small>"
                f"<table>{''.join(rows)}</table>",
            }
        )
    return {
        "routes": routes,
        "depots": depots,
        "chargers": chargers,
        "unassigned": unassigned,
        "view": view_bounds(plan, scenario),
    }


def view_bounds(plan: Plan, scenario: Scenario) -> list[list[float]]:
    """The depots, the stops and where the routes charge, but not stops far outside the others.

    One stop geocoded into the wrong town would otherwise zoom the map out so far that the day's
    routes shrink to a dot; that stop is still drawn (and ``scenario check`` points at it).
    """
    odd = {o.index for o in stop_outliers(scenario.stops, scenario.fleet.depots)}
    points = [(d.lat, d.lon) for d in scenario.fleet.depots]
    points += [(s.lat, s.lon) for i, s in enumerate(scenario.stops) if i not in odd]
    points += [(v.lat, v.lon) for r in plan.routes for v in r.charge_visits]
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]
