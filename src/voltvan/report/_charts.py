"""The state-of-charge chart as inline SVG, drawn in Python so the page needs no chart library.

One line per van over the time of day, the reserve of each vehicle type as a dashed line, and
charging shown as thick rising segments with a marker, so a dispatcher sees at a glance which van
runs close to its reserve and where it recharges.
"""

from __future__ import annotations

import itertools
import math
from html import escape

from voltvan.domain import format_hhmm
from voltvan.report._view import RouteView

WIDTH = 1000.0
HEIGHT = 340.0
LEFT, RIGHT, TOP, BOTTOM = 48.0, 96.0, 14.0, 30.0


def time_range(views: list[RouteView]) -> tuple[float, float]:
    times = [p.t_s for v in views for p in v.soc_curve]
    if not times:
        return 8 * 3600.0, 18 * 3600.0
    lo = math.floor(min(times) / 3600.0) * 3600.0
    hi = math.ceil(max(times) / 3600.0) * 3600.0
    return lo, max(hi, lo + 3600.0)


def soc_chart_svg(views: list[RouteView]) -> str:
    """An ``<svg id="vv-soc-chart">`` with one ``<g class="vv-soc" data-van=...>`` per route."""
    t0, t1 = time_range(views)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def x(t_s: float) -> float:
        return LEFT + (t_s - t0) / (t1 - t0) * plot_w

    def y(soc: float) -> float:
        return TOP + (1.0 - min(max(soc, 0.0), 1.0)) * plot_h

    out: list[str] = [
        f'<svg id="vv-soc-chart" viewBox="0 0 {WIDTH:.0f} {HEIGHT:.0f}" '
        'role="img" aria-label="State of charge over the day per van">'
    ]
    out.append('<g class="vv-axis">')
    for pct in range(0, 101, 20):
        yy = y(pct / 100)
        out.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{yy:.1f}" y2="{yy:.1f}" class="vv-grid"/>'
        )
        out.append(f'<text x="{LEFT - 6}" y="{yy + 4:.1f}" text-anchor="end">{pct}%</text>')
    hours = int((t1 - t0) // 3600)
    step_h = 1 if hours <= 14 else 2
    for h in range(0, hours + 1, step_h):
        xx = x(t0 + h * 3600.0)
        out.append(
            f'<line x1="{xx:.1f}" x2="{xx:.1f}" y1="{TOP}" y2="{TOP + plot_h}" class="vv-grid"/>'
        )
        out.append(
            f'<text x="{xx:.1f}" y="{TOP + plot_h + 18}" text-anchor="middle">'
            f"{format_hhmm(t0 + h * 3600.0)}</text>"
        )
    out.append(
        f'<text x="{LEFT - 40}" y="{TOP + plot_h / 2}" text-anchor="middle" '
        f'transform="rotate(-90 {LEFT - 40} {TOP + plot_h / 2})">SoC</text>'
    )
    out.append("</g>")

    for reserve in sorted({v.reserve_fraction for v in views if v.reserve_fraction > 0}):
        yy = y(reserve)
        out.append(
            f'<line class="vv-reserve" x1="{LEFT}" x2="{LEFT + plot_w}" '
            f'y1="{yy:.1f}" y2="{yy:.1f}"/>'
            f'<text class="vv-reserve-label" x="{LEFT + plot_w + 6}" y="{yy + 4:.1f}">'
            f"reserve {reserve * 100:.0f}%</text>"
        )

    for v in views:
        van = escape(v.van_id)
        pts = " ".join(f"{x(p.t_s):.1f},{y(p.soc):.1f}" for p in v.soc_curve)
        title = (
            f"{v.van_id} ({v.route.vehicle_type_id}): min SoC {v.min_soc * 100:.0f}%, "
            f"{v.num_charges} charge stop(s)"
        )
        out.append(
            f'<g class="vv-soc" data-van="{van}" style="--c:{v.colour}">'
            f"<title>{escape(title)}</title>"
            f'<polyline points="{pts}"/>'
        )
        curve = v.soc_curve
        for a, b in itertools.pairwise(curve):
            if b.charging:
                out.append(
                    f'<line class="vv-charge-seg" x1="{x(a.t_s):.1f}" y1="{y(a.soc):.1f}" '
                    f'x2="{x(b.t_s):.1f}" y2="{y(b.soc):.1f}"/>'
                    f'<circle class="vv-charge-dot" cx="{x(b.t_s):.1f}" cy="{y(b.soc):.1f}" r="4">'
                    f"<title>{van} charged to {b.soc * 100:.0f}% at "
                    f"{format_hhmm(b.t_s)}</title></circle>"
                )
        if curve and len(views) <= 12:
            last = curve[-1]
            out.append(
                f'<text class="vv-end-label" x="{x(last.t_s) + 4:.1f}" y="{y(last.soc) + 4:.1f}">'
                f"{van}</text>"
            )
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)
