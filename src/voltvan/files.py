"""Reading and writing the small JSON and text files voltvan exchanges, with errors users act on.

Bottom layer beside :mod:`voltvan.domain`: plans, schedules and tariffs all read JSON the same way,
so a missing or broken file always gives the same one-line error naming the file and line.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from voltvan.errors import InvalidInput


def read_json(path: Path) -> Any:
    """The parsed JSON of ``path``; a missing file or bad JSON is one InvalidInput."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InvalidInput("file not found", file=path) from exc
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"not JSON: {exc.msg}", file=path, line=exc.lineno) from exc


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path`` and rename it over: all or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
