"""The time-bucketed range join finds exactly the pairs of the plain range join, however many
hours (or days) an interval spans and wherever a sample sits on a bucket's edge."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from voltvan.telemetry.analytics import time_bucket_sql, time_buckets_sql
from voltvan.telemetry.store._duck import connect

T0 = datetime(2026, 3, 2, 21, 0, tzinfo=UTC)


def test_bucketed_join_equals_range_join() -> None:
    rng = random.Random(7)
    con = connect()
    con.execute("CREATE TABLE iv (id INT, start_ts TIMESTAMPTZ, end_ts TIMESTAMPTZ)")
    con.execute("CREATE TABLE s (ts TIMESTAMPTZ)")
    edges = [T0 + timedelta(hours=h) for h in range(8)]  # 21:00 .. 04:00, midnight included
    samples = edges + [e - timedelta(microseconds=1) for e in edges]
    samples += [T0 + timedelta(seconds=rng.uniform(0, 8 * 3600)) for _ in range(300)]
    con.executemany("INSERT INTO s VALUES (?)", [[t] for t in samples])
    intervals = [(0, edges[2], edges[4]), (1, edges[3], edges[3])]  # midnight to 01:00; a point
    for k in range(2, 60):
        a = T0 + timedelta(seconds=rng.uniform(0, 7 * 3600))
        intervals.append((k, a, a + timedelta(seconds=rng.choice([0, 30, 3600, 4 * 3600]))))
    con.executemany("INSERT INTO iv VALUES (?, ?, ?)", intervals)
    plain = con.execute(
        "SELECT id, s.ts FROM iv JOIN s ON s.ts BETWEEN start_ts AND end_ts ORDER BY ALL"
    ).fetchall()
    bucketed = con.execute(f"""
        SELECT id, s.ts
        FROM (SELECT *, {time_buckets_sql("start_ts", "end_ts")} AS b FROM iv) i
        JOIN (SELECT ts, {time_bucket_sql("ts")} AS b FROM s) s
          ON s.b = i.b AND s.ts BETWEEN start_ts AND end_ts
        ORDER BY ALL""").fetchall()
    assert len(plain) > 300
    assert bucketed == plain  # nothing lost at an edge, nothing met twice
    midnight = [r for r in bucketed if r[0] == 0]
    assert midnight[0][1] == edges[2] and midnight[-1][1] == edges[4]
