"""Opening input files with errors a user can act on: missing, binary, not UTF-8, no header."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

from voltvan.errors import InvalidInput

if TYPE_CHECKING:
    from _csv import Reader


def read_text(path: Path, *, label: str) -> str:
    """The file's text; a missing, unreadable or binary file is one clear InvalidInput."""
    if not path.exists():
        raise InvalidInput("file not found", file=label)
    if not path.is_file():
        raise InvalidInput("is not a file", file=label)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read file: {exc.strerror}", file=label) from None
    if b"\x00" in raw[:65536]:
        raise InvalidInput("not a text file (binary content)", file=label)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InvalidInput("not a UTF-8 text file", file=label, line=line) from None
    return text


def sniff_delimiter(text: str) -> str:
    """Comma, or the semicolon/tab that spreadsheets in many locales write instead."""
    header = text.split("\n", 1)[0]
    if "," in header:
        return ","
    if ";" in header:
        return ";"
    return "\t" if "\t" in header else ","


def open_csv(path: Path, *, label: str, expected: str) -> tuple[Reader, list[str]]:
    """The CSV rows after the header, and the stripped header; ``expected`` describes it.

    The reader's ``line_num`` gives the file line of the row last read.
    """
    text = read_text(path, label=label)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    try:
        header = [h.strip() for h in next(rows)]
    except StopIteration:
        raise InvalidInput(f"empty file: expected a header line ({expected})", file=label) from None
    except csv.Error as exc:
        raise InvalidInput(f"not a CSV file: {exc}", file=label, line=1) from None
    return rows, header
