"""Waiting explained: how long each van stands idle, why, and when that deserves a second look.

A plan that keeps a van waiting for hours for time windows to open while other vans stay at the
depot has traded drivers' hours for one van fewer; the planner counts waiting as free, a
dispatcher may not. This module says so per van, in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from voltvan.domain import Scenario, format_hhmm
from voltvan.report._view import RouteView

LONG_WAIT_S = 3600.0
"""A van waiting this long or longer in a day is flagged when the fleet has unused vans."""
MIN_WAIT_S = 60.0  # a stop with a shorter wait is not counted among the stops waited at


def duration_text(t_s: float) -> str:
    """``2 h 05 min``, ``35 min``, ``0 min``: how people say a length of time."""
    minutes = round(t_s / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


@dataclass(frozen=True, slots=True)
class LongestWait:
    location_id: str
    number: int | None
    from_s: float
    until_s: float


@dataclass(frozen=True, slots=True)
class Waiting:
    """One van's idle time (s) by cause, and its longest single wait."""

    view: RouteView
    for_windows_s: float
    for_windows_stops: int
    for_charger_s: float
    charging_s: float
    longest: LongestWait | None
    unused_vans: tuple[str, ...]

    @property
    def total_s(self) -> float:
        """Idle time: waiting for windows and for a free charger (charging itself is work)."""
        return self.for_windows_s + self.for_charger_s

    @property
    def share(self) -> float:
        day = self.view.route.duration_s
        return self.total_s / day if day > 0 else 0.0

    @property
    def flagged(self) -> bool:
        """Waits an hour or more while some van of the fleet is not used at all."""
        return self.total_s >= LONG_WAIT_S and bool(self.unused_vans)


def unused_vans(views: list[RouteView], scenario: Scenario) -> tuple[str, ...]:
    """Vans of the fleet that serve no stop today."""
    busy = {v.van_id for v in views if v.num_stops > 0}
    return tuple(v.id for v in scenario.fleet.vans if v.id not in busy)


def waiting_of(view: RouteView, unused: tuple[str, ...]) -> Waiting:
    windows_s = charger_s = charging_s = 0.0
    windows_n = 0
    longest: LongestWait | None = None
    for number, v in view.sequence:
        wait = max(v.start_s - v.arrival_s, 0.0)
        if v.kind == "charge":
            charger_s += wait
            charging_s += v.departure_s - v.start_s
        else:
            windows_s += wait
            windows_n += wait >= MIN_WAIT_S
        if wait >= MIN_WAIT_S and (longest is None or wait > longest.until_s - longest.from_s):
            longest = LongestWait(v.location_id, number, v.arrival_s, v.start_s)
    return Waiting(view, windows_s, windows_n, charger_s, charging_s, longest, unused)


def waitings(views: list[RouteView], scenario: Scenario) -> list[Waiting]:
    unused = unused_vans(views, scenario)
    return [waiting_of(v, unused) for v in views if v.num_stops > 0]


def why_text(w: Waiting) -> str:
    """The causes of a van's waiting in one line, largest first."""
    parts = []
    if w.for_windows_s >= MIN_WAIT_S:
        stops = f"{w.for_windows_stops} stop{'s' if w.for_windows_stops != 1 else ''}"
        parts.append(
            (w.for_windows_s, f"{duration_text(w.for_windows_s)} early at {stops}, "
             "waiting for the time window to open")
        )  # fmt: skip
    if w.for_charger_s >= MIN_WAIT_S:
        parts.append(
            (w.for_charger_s, f"{duration_text(w.for_charger_s)} waiting for a free charger")
        )
    if not parts:
        return "no waiting"
    return "; ".join(text for _, text in sorted(parts, key=lambda p: -p[0]))


def longest_text(w: Waiting) -> str:
    if w.longest is None:
        return "—"
    lw = w.longest
    where = f"stop {lw.number} ({lw.location_id})" if lw.number else f"charger {lw.location_id}"
    return (
        f"{duration_text(lw.until_s - lw.from_s)} at {where}, "
        f"{format_hhmm(lw.from_s)}–{format_hhmm(lw.until_s)}"
    )


def flag_text(w: Waiting) -> str:
    """The plain-words warning of a flagged van (empty when it is not flagged)."""
    if not w.flagged:
        return ""
    n = len(w.unused_vans)
    shown = ", ".join(w.unused_vans[:5]) + (" …" if n > 5 else "")
    return (
        f"Waits {duration_text(w.total_s)} while {n} van{'s' if n != 1 else ''} "
        f"{'stay' if n != 1 else 'stays'} unused ({shown})."
    )


def waiting_html(items: list[Waiting]) -> str:
    """The waiting table: per van, idle time, its share of the day, why, and any flag.

    The flag column is there only when some van is flagged, with one note that says why.
    """
    if not items:
        return '<p class="vv-empty">No van is on the road.</p>'
    flags = any(w.flagged for w in items)
    rows = []
    for w in items:
        flag = flag_text(w)
        v = w.view
        cls = ' class="vv-flagged"' if flag else ""
        rows.append(
            f'<tr data-van="{escape(v.van_id)}"{cls}>'
            f'<td class="vv-l"><span class="vv-swatch" style="--c:{v.colour}"></span> '
            f"{escape(v.van_id)}</td>"
            f'<td data-v="{w.total_s:.0f}">{duration_text(w.total_s)}</td>'
            f'<td data-v="{w.share:.4f}">{w.share * 100:.0f}%</td>'
            f'<td class="vv-l vv-wrap">{escape(why_text(w))}</td>'
            f'<td class="vv-l">{escape(longest_text(w))}</td>'
            f'<td data-v="{w.charging_s:.0f}">'
            f"{duration_text(w.charging_s) if w.charging_s else '—'}</td>"
            + (f'<td class="vv-l vv-wrap">{"<b>⚠</b> " + escape(flag) if flag else ""}</td>'
               if flags else "")
            + "</tr>"
        )  # fmt: skip
    head = (
        '<th class="vv-l">Van</th><th>Waiting</th><th>Of its day</th><th class="vv-l">Why</th>'
        '<th class="vv-l">Longest wait</th><th>Charging</th>'
        + ('<th class="vv-l">Worth a look</th>' if flags else "")
    )
    note = (
        '<p class="vv-note"><b>⚠</b> The planner counts waiting as free, so it saves vans by '
        "letting others wait. Giving some stops of a flagged van to an unused one would shorten "
        "its driver's day.</p>"
        if flags
        else ""
    )
    return (
        '<table class="vv-table vv-sortable" id="vv-waiting">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>" + note
    )
