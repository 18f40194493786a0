"""The public surface of voltvan.telemetry and voltvan.web: every exported name resolves."""

from __future__ import annotations

import voltvan.telemetry as telemetry
import voltvan.web as web


def test_exported_names_resolve_and_are_public() -> None:
    """__all__ lists real objects, each once, none of them private."""
    for module in (telemetry, web):
        assert len(set(module.__all__)) == len(module.__all__)
        for name in module.__all__:
            assert not name.startswith("_") and getattr(module, name) is not None


def test_store_and_query_entry_points_are_exported() -> None:
    """The names the analytics part and the CLI build on are public."""
    for name in ("open_store", "open_query", "write_samples", "register_view_hook", "Store"):
        assert name in telemetry.__all__
    assert web.__all__ == [
        "JsonFormatter",
        "WebSettings",
        "create_app",
        "log_json",
        "serve_csms_metrics",
        "serve_ingest_metrics",
    ]


def test_analytics_entry_points_are_exported() -> None:
    """Derive, alerts, GPS cleaning, import and calibration are reachable from the package."""
    for name in (
        "derive",
        "AnalyticsParams",
        "flag_gps_faults",
        "import_rsk_twizy",
        "low_soc_alerts",
        "calibrate",
        "estimate_health",
    ):
        assert name in telemetry.__all__
