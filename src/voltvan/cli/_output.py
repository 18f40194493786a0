"""How a command prints rows: a table that fits the terminal for people, CSV or JSON for machines.

Every report goes through :func:`emit`, so ``--csv`` and ``--json`` mean the same everywhere:
all columns, raw values (SI-scaled as the header says, times in RFC 3339), one row per row.
The table shows the same rows but leaves out the least important columns when the terminal
is too narrow to show them whole, and says which ones it left out. Notes (what could not be
computed, and why) go below the table, or to stderr when stdout carries CSV or JSON.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

import typer
from rich.cells import cell_len
from rich.markup import escape
from rich.table import Table

from voltvan.cli._app import console, console_err
from voltvan.errors import InvalidInput

CsvOpt = Annotated[
    bool, typer.Option("--csv", help="Print CSV (every column, one row per line) to stdout.")
]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print JSON (a list of objects, one per row) to stdout.")
]


class Output(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def output(as_csv: bool, as_json: bool) -> Output:
    """The format the ``--csv``/``--json`` switches ask for (at most one of them)."""
    if as_csv and as_json:
        raise InvalidInput("give --csv or --json, not both", field="--json")
    return Output.csv if as_csv else Output.json if as_json else Output.table


@dataclass(frozen=True, slots=True)
class Col:
    """A column: its header (also the CSV header and the JSON key) and how it gives way.

    ``drop`` 0 keeps the column at any width; among the others, the highest number leaves a
    too-narrow table first. Text columns (``left``) are aligned left, numbers right.
    """

    name: str
    drop: int = 0
    left: bool = False


def emit(
    title: str,
    columns: Sequence[Col | str],
    rows: Sequence[Sequence[Any]],
    fmt: Output,
    *,
    empty: str = "no rows",
    notes: Sequence[str] = (),
    cells: Callable[[Any], str] | None = None,
) -> None:
    """Print ``rows`` under ``columns`` in ``fmt``; ``notes`` say what the rows lack and why.

    ``cells`` turns a value into table text (default :func:`cell`: rounded for reading).
    """
    cols = [c if isinstance(c, Col) else Col(c) for c in columns]
    if fmt is Output.csv:
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(c.name for c in cols)
        w.writerows([_plain(v) for v in r] for r in rows)
    elif fmt is Output.json:
        names = [c.name for c in cols]
        records = [dict(zip(names, (_jsonable(v) for v in r), strict=True)) for r in rows]
        sys.stdout.write(json.dumps(records, indent=1, ensure_ascii=False) + "\n")
    else:
        table, dropped = fitted_table(title, cols, rows, console.width, cells or cell)
        console.print(table)
        if not rows:
            console.print(empty, highlight=False)
        if dropped:
            notes = [
                f"not shown at {console.width} columns: {', '.join(dropped)} "
                "(see --csv or --json, or widen the terminal)",
                *notes,
            ]
    out = console if fmt is Output.table else console_err
    for note in notes:
        out.print(f"note: {escape(note)}", highlight=False, soft_wrap=fmt is not Output.table)


def fitted_table(
    title: str,
    cols: Sequence[Col],
    rows: Sequence[Sequence[Any]],
    width: int,
    cells: Callable[[Any], str],
) -> tuple[Table, list[str]]:
    """The table with the columns that fit ``width`` whole, and the names of those left out.

    A column fits when its longest word does (text and headers wrap at spaces). Rich would
    rather shrink the widest columns and cut through words ("2021-07" / "-01"), so the widths
    are set here: every column gets its longest word, and the room left goes to the columns
    whose lines are longer, in proportion.
    """
    texts = [[cells(v) for v in r] for r in rows]
    shown = list(range(len(cols)))
    while True:
        lo = [_longest(cols[i].name, [t[i] for t in texts], str.split) for i in shown]
        if sum(lo) + 3 * len(shown) + 1 <= width or not any(cols[i].drop for i in shown):
            break
        shown.remove(max((i for i in shown if cols[i].drop), key=lambda i: (cols[i].drop, i)))
    hi = [_longest(cols[i].name, [t[i] for t in texts], str.splitlines) for i in shown]
    widths = _share(lo, hi, width - 3 * len(shown) - 1)
    table = Table(title=title)
    for k, i in enumerate(shown):
        # A word too long for any width (a long path) is folded, never cut off.
        justify: Literal["left", "right"] = "left" if cols[i].left else "right"
        table.add_column(cols[i].name, justify=justify, overflow="fold", width=widths[k])
    for t in texts:
        table.add_row(*(escape(t[i]) for i in shown))
    return table, [c.name for i, c in enumerate(cols) if i not in shown]


def _longest(header: str, values: Sequence[str], split: Callable[[str], list[str]]) -> int:
    return max((cell_len(w) for v in (header, *values) for w in split(v)), default=1)


def _share(lo: Sequence[int], hi: Sequence[int], room: int) -> Sequence[int | None]:
    """Widths from ``lo`` up towards ``hi`` within ``room``; none (Rich's own) if all fit."""
    if sum(hi) <= room:
        return [None] * len(hi)
    spare = max(0, room - sum(lo))
    want = [max(0, h - w) for w, h in zip(lo, hi, strict=True)]
    return [w + spare * x // max(1, sum(want)) for w, x in zip(lo, want, strict=True)]


def cell(v: Any) -> str:
    """A value as a table shows it: thousands separators, one decimal, UTC to the second."""
    if v is None:
        return "-"
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}"
    if isinstance(v, float):
        return "-" if not math.isfinite(v) else f"{v:,.1f}"
    if isinstance(v, datetime):
        return v.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if v.tzinfo else f"{v:%F %T}"
    return str(v)


def _plain(v: Any) -> Any:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return ""
    if isinstance(v, datetime | date | time):
        return v.isoformat()
    return v


def exact(v: Any) -> str:
    """A value as it is (for SQL results): nothing rounded, NULL as an empty cell."""
    return "" if v is None else str(v)


def _jsonable(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None  # JSON has no NaN
    if isinstance(v, datetime | date | time):
        return v.isoformat()
    if v is None or isinstance(v, bool | int | float | str):
        return v
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, timedelta):
        return v.total_seconds()
    if isinstance(v, bytes):
        return v.hex()
    if isinstance(v, list | tuple):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    return str(v)  # UUID, intervals ...: their text, never a crash
