"""``matrix.csv``: road distances and times between locations, one pair per line.

Columns ``from, to, distance_m, duration_s``. Every ordered pair of distinct locations must be
present (a missing pair is an error rather than a silent guess); the diagonal defaults to zero.
"""

from __future__ import annotations

import csv
from pathlib import Path

from voltvan.domain import TravelMatrix
from voltvan.errors import InvalidInput
from voltvan.scenario._text import open_csv
from voltvan.scenario._units import compact, parse_number

COLUMNS = ("from", "to", "distance_m", "duration_s")


def read_matrix(path: Path, *, label: str) -> TravelMatrix:
    rows, header = open_csv(path, label=label, expected="from,to,distance_m,duration_s")
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InvalidInput(
            f"missing column {', '.join(missing)}", file=label, line=1, field=missing[0]
        )
    col = {h: i for i, h in enumerate(header)}
    ids: dict[str, int] = {}
    pairs: dict[tuple[int, int], tuple[float, float]] = {}
    try:
        for row in rows:
            line = rows.line_num
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) != len(header):
                raise InvalidInput(
                    f"has {len(row)} fields but the header has {len(header)}", file=label, line=line
                )
            a, b = row[col["from"]].strip(), row[col["to"]].strip()
            for name, value in (("from", a), ("to", b)):
                if not value:
                    raise InvalidInput(f"{name} is empty", file=label, line=line, field=name)
            try:
                dist = parse_number(row[col["distance_m"]], "distance_m")
                dur = parse_number(row[col["duration_s"]], "duration_s")
                for name, v in (("distance_m", dist), ("duration_s", dur)):
                    if v < 0:
                        raise InvalidInput(f"{name} must not be negative, got {v}", field=name)
            except InvalidInput as exc:
                raise exc.at(file=label, line=line) from None
            i, j = ids.setdefault(a, len(ids)), ids.setdefault(b, len(ids))
            if (i, j) in pairs:
                raise InvalidInput(
                    f"pair {a} -> {b} appears twice", file=label, line=line, field="to"
                )
            pairs[(i, j)] = (dist, dur)
    except csv.Error as exc:
        raise InvalidInput(f"not a valid CSV file: {exc}", file=label, line=rows.line_num) from None
    n = len(ids)
    names = list(ids)
    distance = [[0.0] * n for _ in range(n)]
    duration = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            got = pairs.get((i, j))
            if got is None:
                if i == j:
                    continue
                raise InvalidInput(
                    f"no entry from {names[i]} to {names[j]}", file=label, field="to"
                )
            distance[i][j], duration[i][j] = got
    return TravelMatrix(ids=tuple(names), distance_m=distance, duration_s=duration)


def write_matrix(matrix: TravelMatrix, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        for i, a in enumerate(matrix.ids):
            for j, b in enumerate(matrix.ids):
                dist, dur = matrix.distance_m[i][j], matrix.duration_s[i][j]
                w.writerow([a, b, repr(compact(float(dist))), repr(compact(float(dur)))])
