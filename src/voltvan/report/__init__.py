"""The HTML report a dispatcher reads: routes on a map, state of charge over the day, tables.

One self-contained file (Leaflet inlined, no tile server, no CDN) that opens offline from
``file://``. Other capabilities add their own parts with :class:`ReportSection`.
"""

from voltvan.report._assets import report_css as report_css
from voltvan.report._charging import charging_chart_html as charging_chart_html
from voltvan.report._charging import charging_chart_svg as charging_chart_svg
from voltvan.report._charging import charging_section as charging_section
from voltvan.report._html import ReportSection as ReportSection
from voltvan.report._html import render_report as render_report
from voltvan.report._html import write_report as write_report

__all__ = [
    "ReportSection",
    "charging_chart_html",
    "charging_chart_svg",
    "charging_section",
    "render_report",
    "report_css",
    "write_report",
]
