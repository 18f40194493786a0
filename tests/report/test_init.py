"""The public surface of voltvan.report is exactly what the package re-exports."""

from __future__ import annotations

import voltvan.report


def test_public_names_are_exported_and_importable() -> None:
    """__all__ lists the three public names and each resolves on the package."""
    assert sorted(voltvan.report.__all__) == ["ReportSection", "render_report", "write_report"]
    for name in voltvan.report.__all__:
        assert getattr(voltvan.report, name).__module__ == "voltvan.report._html"
