"""Assemble the one self-contained report page and write it.

Other capabilities add to the page through :class:`ReportSection` (the charging schedule adds
site power against the limit, for instance) instead of editing the report; a section's HTML is
trusted as given, since it comes from voltvan code, not from input files.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from string import Template

from voltvan import __version__
from voltvan.domain import Scenario
from voltvan.errors import InvalidInput
from voltvan.plan import Plan
from voltvan.report import _assets
from voltvan.report._charts import soc_chart_svg
from voltvan.report._footer import footer_html
from voltvan.report._map import map_data
from voltvan.report._runsheet import run_sheets_html
from voltvan.report._tables import (
    cards_html,
    legend_html,
    route_table_html,
    unassigned_table_html,
)
from voltvan.report._timeline import timeline_key_html, timeline_svg
from voltvan.report._view import route_views, summarise
from voltvan.report._waiting import waiting_html, waitings


@dataclass(frozen=True, slots=True)
class ReportSection:
    """An extra part of the report: a heading and a trusted HTML body (inline SVG is fine).

    The body must itself be offline: no ``http(s)`` sources, no external scripts.
    """

    title: str
    html: str


def _json_for_script(data: object) -> str:
    """JSON safe inside ``<script>``: no ``</script>`` or ``<!--`` can end the block early."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _subtitle(plan: Plan, scenario: Scenario) -> str:
    parts = [f"scenario {scenario.name or plan.scenario or '—'}"]
    if scenario.fleet.date:
        parts.append(scenario.fleet.date)
    parts.append(f"ambient {scenario.fleet.ambient_c:.0f} °C")
    parts.append(f"{len(scenario.stops)} stops, {len(scenario.fleet.vans)} vans")
    return " · ".join(parts)


def render_report(
    plan: Plan,
    scenario: Scenario,
    *,
    sections: Sequence[ReportSection] = (),
    title: str | None = None,
) -> str:
    """The report as one HTML string (what :func:`write_report` writes)."""
    views = route_views(plan, scenario)
    summary = summarise(plan, scenario, views)
    waits = waitings(views, scenario)
    page_title = title or f"voltvan plan — {scenario.name or plan.scenario or 'unnamed scenario'}"
    extra = "".join(
        f'<section class="vv-section"><h2>{escape(s.title)}</h2>'
        f'<div class="vv-section-body">{s.html}</div></section>'
        for s in sections
    )
    n_un = len(plan.unassigned)
    return Template(_assets.asset("report.html")).substitute(
        version=escape(__version__),
        title=escape(page_title),
        subtitle=escape(_subtitle(plan, scenario)),
        leaflet_css=_assets.leaflet_css(),
        report_css=_assets.report_css(),
        cards=cards_html(summary, waits),
        legend=legend_html(views, scenario),
        soc_chart=soc_chart_svg(views),
        timeline=timeline_svg(views, scenario) + timeline_key_html(),
        route_table=route_table_html(views),
        num_unassigned=f"{n_un} stop{'s' if n_un != 1 else ''}",
        unassigned_table=unassigned_table_html(plan, scenario),
        waiting_table=waiting_html(waits),
        run_sheets=run_sheets_html(views, scenario, waits),
        sections=extra,
        footer=footer_html(plan.stats),
        data_json=_json_for_script(map_data(plan, scenario, views)),
        leaflet_js=_assets.leaflet_js(),
        report_js=_assets.asset("report.js"),
    )


def write_report(
    plan: Plan,
    scenario: Scenario,
    out_path: Path,
    *,
    sections: Sequence[ReportSection] = (),
    title: str | None = None,
) -> Path:
    """Write the self-contained report (map, SoC chart, tables) to ``out_path`` and return it."""
    out_path = Path(out_path)
    if out_path.is_dir():
        raise InvalidInput("is a folder; give the report file name", file=out_path)
    html = render_report(plan, scenario, sections=sections, title=title)
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot write the report: {exc.strerror}", file=out_path) from exc
    return out_path
