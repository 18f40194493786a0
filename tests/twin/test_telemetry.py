"""The twin's telemetry, stored and analysed like a real van's, gives back the twin's trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.report.plans import city_day
from voltvan.telemetry import derive, open_query, open_store, write_samples
from voltvan.twin import TwinParams, day_start, iso, simulate, true_trips, van_samples


def test_trips_from_the_twins_telemetry_match_its_truth(tmp_path: Path) -> None:
    """Trip count exact per van, each trip's distance within 2 % (here: from the odometer)."""
    plan, scenario = city_day(3, 24)
    run = simulate(scenario, plan, days=1, seed=3, params=TwinParams(fail_share=0.2))
    day = run.days[0]
    midnight = day_start(scenario.fleet.date, day.day)
    with open_store(tmp_path) as store:
        for vd in day.vans:
            samples = van_samples(vd, ambient_c=day.ambient_c, odometer_m=12_345)
            result = write_samples(store, vd.van_id, [(iso(midnight, t), s) for t, s in samples])
            assert result.rejected == 0
    derive(tmp_path)
    con = open_query(tmp_path)
    got = con.execute(
        "SELECT vehicle_id, epoch(start_ts), distance_m, distance_source FROM trips "
        "ORDER BY vehicle_id, start_ts"
    ).fetchall()
    truth = sorted(
        (t for vd in day.vans for t in true_trips(vd)), key=lambda t: (t.van_id, t.start_s)
    )
    assert len(truth) >= 2 * len(day.vans)  # a real day, not one trip per van
    assert [r[0] for r in got] == [t.van_id for t in truth]
    t0 = midnight.timestamp()
    for (_, start, dist, source), t in zip(got, truth, strict=True):
        assert start - t0 == pytest.approx(t.start_s, abs=0.01)
        assert dist == pytest.approx(t.distance_m, rel=0.02)
        assert source == "odometer"
