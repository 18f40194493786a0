"""Write a run's ``twin.json`` and ``report.html`` into an output folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from voltvan.errors import InvalidInput
from voltvan.twin._html import write_twin_html


def write_outputs(doc: dict[str, Any], out_dir: Path) -> tuple[Path, Path]:
    """``twin.json`` (stable bytes: no clock, fixed rounding and key order) and the report."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        json_path = out_dir / "twin.json"
        json_path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", "utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot write the twin's files: {exc.strerror}", file=out_dir) from exc
    return json_path, write_twin_html(doc, out_dir / "report.html")
