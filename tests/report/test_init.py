"""The public surface of voltvan.report is exactly what the package re-exports."""

from __future__ import annotations

import voltvan.report

HOMES = {
    "ReportSection": "voltvan.report._html",
    "render_report": "voltvan.report._html",
    "write_report": "voltvan.report._html",
    "report_css": "voltvan.report._assets",  # the stylesheet other pages (the twin's) wear
    "charging_chart_html": "voltvan.report._charging",
    "charging_chart_svg": "voltvan.report._charging",
    "charging_section": "voltvan.report._charging",
}


def test_public_names_are_exported_and_importable() -> None:
    """__all__ lists the public names and each resolves on the package."""
    assert sorted(voltvan.report.__all__) == sorted(HOMES)
    for name in voltvan.report.__all__:
        assert getattr(voltvan.report, name).__module__ == HOMES[name]
