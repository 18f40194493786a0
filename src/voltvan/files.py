"""Reading and writing the small JSON and text files voltvan exchanges, with errors users act on.

Bottom layer beside :mod:`voltvan.domain`: plans, schedules and tariffs all read JSON the same way,
so a missing or broken file always gives the same one-line error naming the file and line.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
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


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it over: all or nothing, and durable
    once it returns (the bytes and the folder entry are fsynced). Text is written as UTF-8.

    The file gets the permissions a plain write would give it (the mode of the file it replaces,
    else 0666 less the umask), so a group that may read the user's files may read these too.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_beside(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        with os.fdopen(fd, "wb") as fh:
            if path.exists():
                os.fchmod(fh.fileno(), stat.S_IMODE(path.stat().st_mode))
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def fsync_dir(path: Path) -> None:
    """Make a rename or a new entry in the folder ``path`` durable, not just the file's bytes."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _create_beside(path: Path) -> tuple[int, Path]:
    """A new, exclusive temporary file in ``path``'s folder, created 0666 so the umask applies.

    ``tempfile.mkstemp`` would create it 0600, which the rename then gives the output file.
    """
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")
