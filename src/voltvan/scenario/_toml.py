"""Reading a TOML file so that every error can name the line it comes from.

``tomllib`` gives values without positions, so :class:`TomlSource` finds lines again in the text:
the n-th ``[[vans]]`` header and the ``key =`` line inside it. That is enough for files written by
hand in the documented shape; inline tables fall back to the line of their header.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from voltvan.errors import InvalidInput
from voltvan.scenario._text import read_text

_HEADER = re.compile(r"^\s*\[")
_TOML_POS = re.compile(r"line (\d+)")


class TomlSource:
    """A parsed TOML file plus the means to point at a table entry's key."""

    def __init__(self, path: Path, *, label: str | None = None) -> None:
        self.path = path
        self.label = label or path.name
        text = read_text(path, label=self.label)
        try:
            self.data: dict[str, Any] = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            m = _TOML_POS.search(str(exc))
            raise InvalidInput(
                f"not valid TOML: {exc}", file=self.label, line=int(m.group(1)) if m else None
            ) from None
        self._lines = text.splitlines()

    def line(
        self, table: str | None, index: int | None = None, key: str | None = None
    ) -> int | None:
        """1-based line of ``key`` in the ``index``-th ``[[table]]`` (or ``[table]``, or top)."""
        start, end = self._section(table, index)
        if start is None:
            return None
        if key is not None:
            pattern = re.compile(rf"""^\s*["']?{re.escape(key)}["']?\s*=""")
            for i in range(start if table is None else start + 1, end):
                if pattern.match(self._lines[i]):
                    return i + 1
        return start + 1 if table is not None else None

    def _section(self, table: str | None, index: int | None) -> tuple[int | None, int]:
        n = len(self._lines)
        if table is None:
            end = next((i for i, t in enumerate(self._lines) if _HEADER.match(t)), n)
            return 0, end
        if index is None:
            header = re.compile(rf"^\s*\[\s*{re.escape(table)}\s*\]")
        else:
            header = re.compile(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]")
        hits = [i for i, t in enumerate(self._lines) if header.match(t)]
        k = 0 if index is None else index
        if k >= len(hits):
            top = re.compile(rf"""^\s*["']?{re.escape(table.split(".")[-1])}["']?\s*=""")
            first = next((i for i, t in enumerate(self._lines) if top.match(t)), None)
            return first, (first + 1 if first is not None else n)
        start = hits[k]
        end = next((i for i in range(start + 1, n) if _is_sibling_header(self._lines[i], table)), n)
        return start, end

    @contextmanager
    def entry(
        self, table: str | None, index: int | None = None, *, keys: Mapping[str, str] | None = None
    ) -> Iterator[None]:
        """Place any InvalidInput raised inside at the line of its field in this entry.

        ``keys`` maps domain field names (``battery_wh``) to the key the file used
        (``battery_kwh``), so the message names what the user wrote.
        """
        try:
            yield
        except InvalidInput as exc:
            if exc.where.file is not None:
                raise
            field = exc.where.field
            key = (keys or {}).get(field, field) if field is not None else None
            raise InvalidInput(
                exc.message, file=self.label, line=self.line(table, index, key), field=key
            ) from exc


def _is_sibling_header(text: str, table: str) -> bool:
    """A header that ends the entry: anything but a sub-table of the same table."""
    if not _HEADER.match(text):
        return False
    name = text.strip().strip("[]").strip()
    return not name.startswith(table + ".")


def check_keys(
    data: Mapping[str, Any],
    allowed: set[str],
    *,
    where: str,
    source: TomlSource,
    table: str | None,
    index: int | None = None,
) -> None:
    """Refuse unknown keys (usually typos that would otherwise silently fall back to defaults)."""
    for key in data:
        if key not in allowed:
            raise InvalidInput(
                f"unknown key {key!r} in {where} (known: {', '.join(sorted(allowed))})",
                file=source.label,
                line=source.line(table, index, key),
                field=key,
            )
