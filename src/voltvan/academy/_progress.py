"""The learner's progress, one JSON file in the workspace: ``DIR/.academy-progress.json``.

``{"version": 1, "lessons": {"1": {"started": ..., "checks": 3, "passed": ...}}}``, times in
RFC 3339 (UTC). A missing or unreadable file is no progress yet; it is never fatal, since the
exercises themselves are what matters.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from voltvan.files import write_atomic

PROGRESS_FILE = ".academy-progress.json"
PROGRESS_VERSION = 1


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def read_progress(workspace: Path) -> dict[str, dict[str, Any]]:
    """Per lesson number (as a string): ``started``, ``checks``, ``passed`` (time or None)."""
    try:
        data = json.loads((workspace / PROGRESS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    lessons = data.get("lessons") if isinstance(data, dict) else None
    return {k: v for k, v in lessons.items() if isinstance(v, dict)} if lessons else {}


def record(
    workspace: Path, number: int, *, started: bool = False, passed: bool | None = None
) -> None:
    """Note a start or a check (``passed`` True/False) of lesson ``number``."""
    lessons = read_progress(workspace)
    entry = lessons.setdefault(str(number), {"started": None, "checks": 0, "passed": None})
    if started and not entry.get("started"):
        entry["started"] = _now()
    if passed is not None:
        entry["checks"] = int(entry.get("checks") or 0) + 1
        if passed and not entry.get("passed"):
            entry["passed"] = _now()
    text = json.dumps({"version": PROGRESS_VERSION, "lessons": lessons}, indent=2, sort_keys=True)
    write_atomic(workspace / PROGRESS_FILE, text + "\n")
