"""Reference solution of lesson 6."""

KM_FROM_ODOMETER_SQL = """
SELECT vehicle_id, (max(value) - min(value)) / 1000 AS km
FROM signals
WHERE name = 'Vehicle.TraveledDistance'
GROUP BY vehicle_id
"""

WH_PER_KM_SQL = """
SELECT vehicle_id, sum(energy_wh) / (sum(distance_m) / 1000) AS wh_per_km
FROM trips
GROUP BY vehicle_id
"""

LONGEST_TRIP_SQL = """
SELECT vehicle_id, start_ts, distance_m
FROM trips
ORDER BY distance_m DESC
LIMIT 1
"""
