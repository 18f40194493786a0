"""Imports every command module; each one attaches one capability's commands to the app."""

from __future__ import annotations

from voltvan.cli import (
    _analytics,  # noqa: F401  (import, derive, report trips|energy|charging|alerts)
    _charge,  # noqa: F401  (charge, csms)
    _plan,  # noqa: F401  (plan, demo)
    _report_plan,  # noqa: F401  (render)
    _scenario,  # noqa: F401  (scenario generate|check)
    _solve,  # noqa: F401  (solve)
    _telemetry,  # noqa: F401  (ingest, serve, query, store)
)
