"""The twin's HTML report: one offline page drawn from the ``twin.json`` document alone.

It wears the plan report's stylesheet (cards, tables, chart boxes) so the two read as one
product, and adds its own few rules for the bands and the histogram.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

from voltvan import __version__
from voltvan.errors import InvalidInput
from voltvan.report import report_css
from voltvan.twin._svg import band_key_html, lateness_svg, soc_band_svg

_TWIN_CSS = """
.vv-twin-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr));
  gap: 10px; }
.vv-twin-van { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: 6px 8px; }
.vv-twin-van h3 { margin: 0 0 2px; font-size: 13px; font-weight: 600; }
.vv-twin-van h3 small { color: var(--muted); font-weight: 400; margin-left: 6px; }
.vv-twin-van.vv-bad { border-color: var(--bad); }
svg.vv-twin-band, svg.vv-twin-hist { width: 100%; height: auto; display: block; }
svg.vv-twin-hist { max-width: 720px; }
svg.vv-twin-band text, svg.vv-twin-hist text { font-size: 10px; fill: var(--muted); }
svg .vv-grid { stroke: #e6e9ef; stroke-width: 1; }
svg .vv-reserve { stroke: var(--bad); stroke-width: 1.2; stroke-dasharray: 5 3; }
.vv-twin-p { fill: #0072b2; opacity: .22; }
.vv-twin-p50 { fill: none; stroke: #0072b2; stroke-width: 1.2; }
.vv-twin-plan { fill: none; stroke: #1d2430; stroke-width: 1.6; stroke-dasharray: 2 2; }
.vv-twin-bar { fill: var(--warn); }
.vv-k-band { background: #0072b2; opacity: .3; } .vv-k-p50 { border-top: 2px solid #0072b2; }
.vv-k-plan { border-top: 2px dashed #1d2430; } .vv-k-reserve { border-top: 2px dashed var(--bad); }
"""

_HEAD = (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
    '<meta name="generator" content="voltvan {version}">\n<title>{title}</title>\n'
    "<style>\n{css}\n</style>\n<style>{twin_css}</style>\n</head>\n<body>\n"
)


def _card(key: str, value: str, note: str = "", *, alert: bool = False) -> str:
    cls = "vv-card vv-alert" if alert else "vv-card"
    return (
        f'<div class="{cls}"><div class="vv-k">{escape(key)}</div>'
        f'<div class="vv-v">{escape(value)}</div><div class="vv-n">{escape(note)}</div></div>'
    )


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def _cards(s: Mapping[str, Any], days: int) -> str:
    return (
        '<div class="vv-cards">'
        + _card("On time", _pct(s["on_time_share"]), f"of {s['stops_planned']:,} planned stops")
        + _card(
            "Late stops",
            f"{s['late_stops']:,}",
            f"{s['minutes_late']:,.0f} min in all; worst {s['max_minutes_late']:.0f} min",
            alert=s["late_stops"] > 0,
        )
        + _card(
            "Stranded",
            f"{s['stranded_van_days']}",
            f"van-days of {s['van_days']}; {s['stranded_vans']} "
            + ("van" if s["stranded_vans"] == 1 else "vans"),
            alert=s["stranded_van_days"] > 0,
        )
        + _card("Lowest SoC", _pct(s["lowest_soc"]), "any van, any day")
        + _card("Not at home", f"{s['failed_deliveries']:,}", "failed deliveries")
        + _card("Energy", f"{s['energy_wh_per_day'] / 1000:,.0f} kWh", "per day, all vans")
        + _card("Distance", f"{s['distance_m_per_day'] / 1000:,.0f} km", "per day, all vans")
        + _card("Queueing", f"{s['queue_s'] / 60:,.0f} min", f"at chargers over {days} days")
        + _card("Over shift", f"{s['over_shift_van_days']}", "van-days back after the shift")
        + "</div>"
    )


_COLUMNS = (
    ("Van", "van_id", lambda v: escape(str(v))),
    ("On time", "on_time_share", _pct),
    ("Late stops", "late_stops", str),
    ("Min late", "minutes_late", lambda v: f"{v:,.0f}"),
    ("Stranded days", "stranded_days", str),
    ("Lowest SoC", "lowest_soc", _pct),
    ("Plan's lowest", "plan_min_soc", _pct),
    ("kWh/day", "energy_wh_per_day", lambda v: f"{v / 1000:.1f}"),
    ("km/day", "distance_m_per_day", lambda v: f"{v / 1000:.1f}"),
    ("Queue min", "queue_s", lambda v: f"{v / 60:.0f}"),
    ("Not at home", "failed_deliveries", str),
    ("Over shift days", "over_shift_days", str),
)


def _van_table(vans: list[Mapping[str, Any]]) -> str:
    head = "".join(
        f'<th class="{"vv-l" if k == "van_id" else ""}">{escape(label)}</th>'
        for label, k, _ in _COLUMNS
    )
    rows = []
    for v in vans:
        cells = []
        for _, k, say in _COLUMNS:
            cls = "vv-l" if k == "van_id" else ""
            if k == "stranded_days" and v[k] > 0:
                cls = "vv-bad"
            if k == "lowest_soc" and v[k] < v["reserve_soc"]:
                cls = "vv-low"
            cells.append(f'<td class="{cls}" data-v="{escape(str(v[k]))}">{say(v[k])}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<table class="vv-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _bands(vans: list[Mapping[str, Any]]) -> str:
    times = [t for v in vans for t in v["soc_band"]["t_s"] + v["plan_soc"]["t_s"]]
    if not times:
        return '<div class="vv-empty">No routes to show.</div>'
    t0, t1 = min(times), max(times)
    out = []
    for v in vans:
        bad = " vv-bad" if v["stranded_days"] else ""
        out.append(
            f'<div class="vv-twin-van{bad}"><h3>{escape(v["van_id"])}<small>lowest '
            f"{_pct(v['lowest_soc'])} · stranded {v['stranded_days']} days</small></h3>"
            f"{soc_band_svg(v, t0, t1)}</div>"
        )
    return f'<div class="vv-twin-grid">{"".join(out)}</div>'


def render_twin_html(doc: Mapping[str, Any]) -> str:
    """The report page for a ``twin.json`` document."""
    days = doc["days"]
    title = f"voltvan twin — {doc['scenario'] or 'unnamed scenario'}"
    p = doc["params"]
    sub = (
        f"{days} simulated day{'s' if days != 1 else ''} · seed {doc['seed']} · "
        f"{p['fail_share'] * 100:.0f}% not at home · chargers out of order: "
        f"{p['charger_outage'] * 100:.0f}% a day"
        + (f" and {', '.join(p['out_of_order'])}" if p["out_of_order"] else "")
        + (
            f" · {-p['ambient_offset_c']:g} °C colder than forecast"
            if p["ambient_offset_c"]
            else ""
        )
    )
    return (
        _HEAD.format(
            version=escape(__version__), title=escape(title), css=report_css(), twin_css=_TWIN_CSS
        )
        + f'<header><h1>{escape(title)}</h1><div class="vv-sub">{escape(sub)}</div></header>\n'
        + "<main>\n"
        + _cards(doc["summary"], days)
        + "<h2>State of charge over the simulated days <small>per van: the band holds 90% of "
        "the days</small></h2>"
        + band_key_html()
        + _bands(doc["vans"])
        + "<h2>Lateness <small>late stops by minutes past the end of their window</small></h2>"
        + f'<div class="vv-chartbox">{lateness_svg(doc["lateness_histogram"])}</div>'
        + "<h2>Vans <small>over all simulated days; energy and distance per day</small></h2>"
        + _van_table(doc["vans"])
        + "\n</main>\n<footer>Written by voltvan "
        + escape(__version__)
        + ". The twin's models and distributions are described in docs/twin.md.</footer>\n"
        + "</body>\n</html>\n"
    )


def write_twin_html(doc: Mapping[str, Any], path: Path) -> Path:
    try:
        path.write_text(render_twin_html(doc), encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot write the report: {exc.strerror}", file=path) from exc
    return path
