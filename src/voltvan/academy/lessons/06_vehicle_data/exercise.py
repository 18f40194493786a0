"""Lesson 6 exercise: three fleet questions, each one SQL query over voltvan's Parquet lake.

Each constant is a DuckDB query run on a connection from ``voltvan.telemetry.open_query``
(views ``signals``, ``trips``, ``daily_energy``, ...; columns in docs/formats/telemetry.md).
Replace each TODO with your query, then run ``voltvan academy check 6``.
"""

#: Kilometres each van drove, from the raw odometer signal (``Vehicle.TraveledDistance``, in m)
#: alone: one row per van, columns ``vehicle_id, km``.
KM_FROM_ODOMETER_SQL = "TODO"

#: Energy per km of each van over all its trips: the trips' energy over their distance (so a
#: long trip weighs more than a short one). One row per van, columns ``vehicle_id, wh_per_km``.
WH_PER_KM_SQL = "TODO"

#: The fleet's longest trip by distance: one row, columns ``vehicle_id, start_ts, distance_m``.
LONGEST_TRIP_SQL = "TODO"
