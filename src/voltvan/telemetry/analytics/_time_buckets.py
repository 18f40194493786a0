"""Time buckets that key the range joins (a sample inside a trip, a stop, a charging session).

A join on ``s.vehicle_id = t.vehicle_id AND s.ts BETWEEN t.start_ts AND t.end_ts`` is, to an
engine without range joins (Spark), a join on the van followed by a filter: every interval of
a van compared with every sample of that van over all days, which grows with the square of the
days in the lake. Adding the hour as a second equality key bounds it to one hour's samples per
interval. An interval is exploded into every bucket it overlaps (:func:`buckets_sql`), so one
spanning midnight or several hours still meets all its samples; a sample lies in exactly one
bucket, so it meets each interval once and aggregates over the join stay as they were. Only
monotonicity of :func:`bucket_sql` matters for that, not the width: an hour keeps the exploded
intervals few (a ten-hour charge is ten rows) and a bucket's samples few at 1 Hz.

Both engines run this text (DuckDB's ``unnest(generate_series(...))`` and ``epoch_us`` are
Spark's ``explode(sequence(...))`` and ``unix_micros`` through the dialect rewrite; Spark allows
no SQL function such as ``epoch`` inside ``explode``), so the joins have one definition.
"""

from __future__ import annotations

#: Width of a bucket.
BUCKET_S = 3600


def bucket_sql(ts: str) -> str:
    """The bucket of the timestamp expression ``ts`` (whole hours since the epoch)."""
    return f"CAST(floor(epoch_us({ts}) / {BUCKET_S * 1_000_000}) AS BIGINT)"


def buckets_sql(start: str, end: str) -> str:
    """A select-list item giving one row per bucket that ``[start, end]`` overlaps."""
    return f"unnest(generate_series({bucket_sql(start)}, {bucket_sql(end)}))"
