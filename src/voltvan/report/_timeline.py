"""The day timeline: one bar per van over its shift, showing where it waits and where it charges.

It shares the time axis of the SoC chart (same range and margins), so a drop on the chart and the
bar of the same van line up when the two are read one above the other.
"""

from __future__ import annotations

from html import escape

from voltvan.domain import Scenario, format_hhmm
from voltvan.report._charts import LEFT, RIGHT, WIDTH, time_range
from voltvan.report._view import RouteView

ROW_H = 18.0
BAR_H = 11.0
TOP = 8.0
AXIS_H = 24.0
MIN_WAIT_S = 120.0  # shorter waits would be sub-pixel noise on a day-long axis


def _rect(cls: str, x0: float, x1: float, y: float, h: float, tip: str) -> str:
    return (
        f'<rect class="{cls}" x="{x0:.1f}" y="{y:.1f}" width="{max(x1 - x0, 1.0):.1f}" '
        f'height="{h:.1f}"><title>{escape(tip)}</title></rect>'
    )


def timeline_svg(views: list[RouteView], scenario: Scenario) -> str:
    """An ``<svg id="vv-timeline">`` with one ``<g class="vv-tl" data-van=...>`` per route."""
    t0, t1 = time_range(views)
    plot_w = WIDTH - LEFT - RIGHT
    height = TOP + ROW_H * len(views) + AXIS_H

    def x(t_s: float) -> float:
        return LEFT + (min(max(t_s, t0), t1) - t0) / (t1 - t0) * plot_w

    shifts = {v.id: v.shift for v in scenario.fleet.vans}
    out = [
        f'<svg id="vv-timeline" viewBox="0 0 {WIDTH:.0f} {height:.0f}" role="img" '
        'aria-label="Each van\'s day: driving and serving, waiting, charging">'
    ]
    axis_y = TOP + ROW_H * len(views)
    hours = int((t1 - t0) // 3600)
    step_h = 1 if hours <= 14 else 2
    for h in range(0, hours + 1, step_h):
        xx = x(t0 + h * 3600.0)
        out.append(
            f'<line class="vv-grid" x1="{xx:.1f}" x2="{xx:.1f}" y1="{TOP}" y2="{axis_y:.1f}"/>'
            f'<text x="{xx:.1f}" y="{axis_y + 16:.1f}" text-anchor="middle">'
            f"{format_hhmm(t0 + h * 3600.0)}</text>"
        )
    for row, v in enumerate(views):
        r = v.route
        y = TOP + row * ROW_H + (ROW_H - BAR_H) / 2
        van = escape(v.van_id)
        out.append(f'<g class="vv-tl" data-van="{van}" style="--c:{v.colour}">')
        out.append(
            f'<text class="vv-tl-label" x="{LEFT - 6}" y="{y + BAR_H - 1:.1f}" '
            f'text-anchor="end">{van}</text>'
        )
        shift = shifts.get(v.van_id)
        if shift is not None:
            out.append(
                _rect("vv-tl-shift", x(shift.start_s), x(shift.end_s), y - 2, BAR_H + 4,
                      f"{v.van_id} shift {format_hhmm(shift.start_s)}–{format_hhmm(shift.end_s)}")
            )  # fmt: skip
        out.append(
            _rect("vv-tl-work", x(r.start_s), x(r.end_s), y, BAR_H,
                  f"{v.van_id}: leaves {format_hhmm(r.start_s)}, back {format_hhmm(r.end_s)}, "
                  f"{v.num_stops} stops, {r.distance_m / 1000:.1f} km")
        )  # fmt: skip
        for visit in r.visits:
            if visit.start_s - visit.arrival_s >= MIN_WAIT_S:
                out.append(
                    _rect("vv-tl-wait", x(visit.arrival_s), x(visit.start_s), y, BAR_H,
                          f"{v.van_id} waits at {visit.location_id} "
                          f"{format_hhmm(visit.arrival_s)}–{format_hhmm(visit.start_s)}")
                )  # fmt: skip
            if visit.kind == "charge":
                out.append(
                    _rect("vv-tl-charge", x(visit.start_s), x(visit.departure_s), y, BAR_H,
                          f"{v.van_id} charges {visit.charge_wh / 1000:.1f} kWh at "
                          f"{visit.location_id} {format_hhmm(visit.start_s)}–"
                          f"{format_hhmm(visit.departure_s)}")
                )  # fmt: skip
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def timeline_key_html() -> str:
    return (
        '<div class="vv-tl-key">'
        '<span><i class="vv-k-work"></i>driving and serving</span>'
        '<span><i class="vv-k-wait"></i>waiting for a window</span>'
        '<span><i class="vv-k-charge"></i>charging</span>'
        '<span><i class="vv-k-shift"></i>shift</span></div>'
    )
