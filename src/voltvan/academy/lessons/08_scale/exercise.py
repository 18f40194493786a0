"""Lesson 8 exercise: two Spark jobs over voltvan's lake.

Each function receives a Spark DataFrame and returns a new one; nothing is collected to the
driver. Replace each ``raise NotImplementedError`` with your job, then run
``voltvan academy check 8``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import DataFrame


def first_ingested(signals: DataFrame) -> DataFrame:
    """One row per (vehicle_id, ts, name): the one ingested first.

    ``signals`` has the raw lake's columns ``vehicle_id, ts, name, value, value_text,
    ingested_at``. A message re-delivered by the broker may be stored twice, once per worker,
    with different ``ingested_at`` (and, when the van re-sent a corrected value, a different
    value). A row with no ``ingested_at`` ranks after every row that has one. Return at least
    the columns ``vehicle_id, ts, name, value, value_text``.
    """
    raise NotImplementedError("keep, per (vehicle_id, ts, name), the row ingested first")


def km_per_van_day(trips: DataFrame) -> DataFrame:
    """Kilometres each van drove per day, from the derived ``trips`` table.

    ``trips`` is ``spark.read.parquet(".../derived/trips")``: one row per trip with
    ``distance_m`` and the ``date`` partition column. Return the columns
    ``vehicle_id, date, km``: one row per van and day that has trips.
    """
    raise NotImplementedError("sum the trips' distance per van and date, in km")
