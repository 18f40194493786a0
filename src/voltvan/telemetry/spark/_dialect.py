"""DuckDB SQL of the derived tables, made runnable by Spark SQL, so both engines run one text.

Spark 4 accepts almost all of it (window clauses, ``FILTER``, ``bool_or``, ``IS DISTINCT FROM``,
``GROUP BY ALL``, ``::`` casts, correlated subqueries). What differs, rewritten here:

* ``epoch(ts)`` (seconds, with the fraction): a temporary SQL function of the same name
  (:data:`FUNCTIONS`), so the text stays as is;
* ``arg_min(x, key)`` / ``arg_max``: Spark's ``min_by`` / ``max_by`` keep a row whose ``x`` is
  null, DuckDB skips it, so the key is blanked where ``x`` is null;
* ``last_value(x IGNORE NULLS)``: Spark takes ``last_value(x, true)``;
* ``unnest(generate_series(a, b))`` in a select list (one row per value from ``a`` to ``b``,
  both included): Spark's ``explode(sequence(a, b))`` (the time buckets of the range joins);
* ``epoch_us(ts)`` (integer microseconds): Spark's ``unix_micros(ts)`` (a built-in, so it may
  stand inside ``explode``, where Spark refuses SQL functions such as ``epoch``);
* a named window ``WINDOW w AS (... ROWS UNBOUNDED PRECEDING)`` that ``lead`` also uses: Spark
  allows no frame for ``lead``/``lag``, so the frame is dropped. The default frame (from the
  partition's start to the current row's peers) is the same here, as the derived-table windows
  order by time within a van and times are unique there (the signals are deduplicated).

Anything else DuckDB-only fails loudly in Spark's parser; the engine-equality tests run every
table through both engines.
"""

from __future__ import annotations

import re

#: Run once per Spark session before any rewritten query.
FUNCTIONS = (
    "CREATE OR REPLACE TEMPORARY FUNCTION epoch(t TIMESTAMP) RETURNS DOUBLE "
    "RETURN unix_micros(t) / 1e6",
)

_CALL = re.compile(r"\b(arg_min|arg_max|last_value)\s*\(", re.IGNORECASE)
_NAMED_FRAME = re.compile(
    r"(\bWINDOW\s+\w+\s+AS\s*\([^()]*?)\s+ROWS\s+UNBOUNDED\s+PRECEDING\s*\)", re.IGNORECASE
)
_IGNORE_NULLS = re.compile(r"\s+IGNORE\s+NULLS\s*$", re.IGNORECASE)
_SERIES = re.compile(r"\bunnest\s*\(\s*generate_series\s*\(", re.IGNORECASE)
_EPOCH_US = re.compile(r"\bepoch_us\s*\(", re.IGNORECASE)


def _close(sql: str, open_at: int) -> int:
    """Index of the parenthesis closing the one at ``open_at`` (quotes respected)."""
    depth, quoted = 0, False
    for i in range(open_at, len(sql)):
        c = sql[i]
        if c == "'":
            quoted = not quoted
        elif quoted:
            continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
    raise ValueError(f"unbalanced parenthesis at {open_at} in SQL: {sql[open_at : open_at + 60]}")


def _split_args(args: str) -> list[str]:
    """Top-level comma-separated arguments."""
    out, depth, quoted, start = [], 0, False, 0
    for i, c in enumerate(args):
        if c == "'":
            quoted = not quoted
        elif quoted:
            continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "," and depth == 0:
            out.append(args[start:i].strip())
            start = i + 1
    out.append(args[start:].strip())
    return out


def to_spark(sql: str) -> str:
    """``sql`` (DuckDB) as Spark SQL; see the module docstring for what changes."""
    out: list[str] = []
    pos = 0
    while (m := _CALL.search(sql, pos)) is not None:
        open_at = m.end() - 1
        close_at = _close(sql, open_at)
        inner = to_spark(sql[open_at + 1 : close_at])
        name = m.group(1).lower()
        if name == "last_value":
            bare = _IGNORE_NULLS.sub("", inner)
            call = f"last_value({bare}, true)" if bare != inner else f"last_value({inner})"
        else:
            value, key = _split_args(inner)
            spark = "min_by" if name == "arg_min" else "max_by"
            call = f"{spark}({value}, CASE WHEN ({value}) IS NOT NULL THEN {key} END)"
        out.append(sql[pos : m.start()] + call)
        pos = close_at + 1
    out.append(sql[pos:])
    renamed = _EPOCH_US.sub("unix_micros(", _SERIES.sub("explode(sequence(", "".join(out)))
    return _NAMED_FRAME.sub(r"\1)", renamed)
