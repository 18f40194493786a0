"""The depot night at a glance: site power against the limit and the tariff, as a self-contained
SVG, a standalone page and a section of the dispatcher's report.

Rendering a :class:`voltvan.charging.Schedule` belongs here, above charging: charging computes the
schedule and knows nothing of pages. ``voltvan.charging`` is imported when a chart is drawn, not
when the report package loads, so a plan report does not pay for the LP solver's import.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

from voltvan.domain import format_hhmm
from voltvan.report._html import ReportSection

if TYPE_CHECKING:
    from voltvan.charging import Schedule

_W, _H = 860, 320
_L, _R, _T, _B = 60, 60, 20, 40


def charging_chart_svg(schedule: Schedule) -> str:
    """Stepped site power (charging on top of base load), the limit, and the price per kWh."""
    n = max(1, schedule.num_slots)
    site = schedule.site_power_w()
    base = [schedule.base_load_w[k] if k < len(schedule.base_load_w) else 0.0 for k in range(n)]
    top_w = max([*site, schedule.site_limit_w, 1.0]) * 1.1
    top_price = max([*schedule.prices_per_kwh, 0.01]) * 1.2
    pw, ph = _W - _L - _R, _H - _T - _B

    def x(k: float) -> float:
        return _L + pw * k / n

    def y(w: float) -> float:
        return _T + ph * (1 - w / top_w)

    def yp(p: float) -> float:
        return _T + ph * (1 - p / top_price)

    def steps(values: list[float], f: Callable[[float], float]) -> str:
        pts = []
        for k, v in enumerate(values):
            pts.append(f"{x(k):.1f},{f(v):.1f}")
            pts.append(f"{x(k + 1):.1f},{f(v):.1f}")
        return " ".join(pts)

    area = f"{x(0):.1f},{y(0):.1f} " + steps(site, y) + f" {x(n):.1f},{y(0):.1f}"
    base_area = f"{x(0):.1f},{y(0):.1f} " + steps(base, y) + f" {x(n):.1f},{y(0):.1f}"
    ticks = []
    every = max(1, round(3600 * 2 / schedule.slot_s))
    for k in range(0, n + 1, every):
        label = format_hhmm(schedule.slot_start(k) % 86_400)
        ticks.append(f'<text x="{x(k):.1f}" y="{_H - _B + 16}" text-anchor="middle">{label}</text>')
    for frac in (0.0, 0.25, 0.5, 0.75, 1.0):
        w = top_w * frac
        ticks.append(
            f'<text x="{_L - 6}" y="{y(w) + 4:.1f}" text-anchor="end">{w / 1000:.0f}</text>'
        )
        p = top_price * frac
        ticks.append(f'<text x="{_W - _R + 6}" y="{yp(p) + 4:.1f}">{p:.2f}</text>')
    cur = escape(schedule.tariff.currency)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {_H}" '
        f'font-family="sans-serif" font-size="11" role="img" '
        f'aria-label="site power over the night against the limit and the tariff">'
        f'<rect x="{_L}" y="{_T}" width="{pw}" height="{ph}" fill="#fafafa" stroke="#ccc"/>'
        f'<polygon points="{area}" fill="#4c9be8" fill-opacity="0.75"/>'
        f'<polygon points="{base_area}" fill="#999" fill-opacity="0.6"/>'
        f'<line x1="{_L}" x2="{_W - _R}" y1="{y(schedule.site_limit_w):.1f}" '
        f'y2="{y(schedule.site_limit_w):.1f}" stroke="#d62728" stroke-dasharray="6 4" '
        f'stroke-width="2"/>'
        f'<polyline points="{steps(list(schedule.prices_per_kwh), yp)}" fill="none" '
        f'stroke="#ff7f0e" stroke-width="2"/>'
        + "".join(ticks)
        + f'<text x="{_L}" y="{_T - 6}">kW (blue: site power, grey: building, '
        f"red: limit)</text>"
        f'<text x="{_W - _R}" y="{_T - 6}" text-anchor="end">price {cur}/kWh (orange)</text>'
        "</svg>"
    )


def charging_chart_html(schedule: Schedule, *, title: str = "voltvan depot charging") -> str:
    """A standalone page with the chart and the cost summary (opens offline)."""
    from voltvan.charging import plugs_html

    c = schedule.cost()
    cur = escape(schedule.tariff.currency)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title>"
        "</head><body style='font-family:sans-serif'>"
        f"<h1>{escape(title)}</h1>{charging_chart_svg(schedule)}"
        f"<p>energy {c['energy']:.2f} {cur} · demand {c['demand']:.2f} {cur} · "
        f"peak {c['peak_kw']:.1f} kW of {schedule.site_limit_w / 1000:.1f} kW · "
        f"{len(schedule.shortfalls)} van(s) short</p>{plugs_html(schedule)}</body></html>\n"
    )


def charging_section(schedule: Schedule) -> ReportSection:
    """The chart and the cost line as a section of the plan report."""
    from voltvan.charging import plugs_html

    c = schedule.cost()
    cur = escape(schedule.tariff.currency)
    met = sum(1 for v in schedule.vans if v.shortfall_wh <= 0)
    body = (
        charging_chart_svg(schedule)
        + f"<p>{met} of {len(schedule.vans)} vans get their route energy · energy "
        f"{c['energy']:.2f} {cur} · demand {c['demand']:.2f} {cur} · peak "
        f"{c['peak_kw']:.1f} kW of {schedule.site_limit_w / 1000:.1f} kW</p>" + plugs_html(schedule)
    )
    return ReportSection(title="Depot charging tonight", html=body)
