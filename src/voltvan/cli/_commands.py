"""Imports every command module; each line attaches one capability's commands to the app."""

from __future__ import annotations

from voltvan.cli import _report_plan  # noqa: F401
from voltvan.cli import _scenario  # noqa: F401
from voltvan.cli import _plan  # noqa: F401
from voltvan.cli import _solve  # noqa: F401
from voltvan.cli import _charge  # noqa: F401
from voltvan.cli import _telemetry  # noqa: F401
from voltvan.cli import _analytics  # noqa: F401
