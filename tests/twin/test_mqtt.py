"""The twin's vans publish over a real broker; ingest and analytics find the twin's trips."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.report.plans import city_day
from tests.telemetry.broker import running_broker, start_worker, stop_worker, wait_for
from tests.telemetry.ingest_data import stored_rows
from voltvan.scenario import write_scenario
from voltvan.telemetry import derive, open_query
from voltvan.twin import TwinParams, simulate, stream_run

pytestmark = pytest.mark.mqtt
SIGNALS_PER_SAMPLE = 8


def test_trips_derived_from_the_broker_stream_match_the_truth(tmp_path: Path) -> None:
    plan, scenario = city_day(2, 10)
    write_scenario(scenario, tmp_path / "scn")
    run = simulate(scenario, plan, days=2, seed=4, params=TwinParams(fail_share=0.1))
    data = tmp_path / "data"
    with running_broker(tmp_path / "broker") as broker:
        worker = start_worker(broker, data, tmp_path / "scn" / "fleet.toml")
        sent = stream_run(run, scenario.fleet.date, broker.url, tmp_path / "out", speed=0.0)
        wait_for(lambda: stored_rows(data) >= sent * SIGNALS_PER_SAMPLE, what="all rows stored")
        stop_worker(worker)
    assert worker.returncode == 0
    derive(data)
    got = (
        open_query(data)
        .execute(
            "SELECT vehicle_id, strftime(start_ts, '%Y-%m-%dT%H:%M:%S.%g'), distance_m FROM trips "
            "ORDER BY vehicle_id, start_ts"
        )
        .fetchall()
    )
    with (tmp_path / "out" / "truth_trips.csv").open(encoding="utf-8") as f:
        truth = sorted(csv.DictReader(f), key=lambda r: (r["vehicle_id"], r["start_ts"]))
    assert len(truth) > 4
    assert [r[0] for r in got] == [t["vehicle_id"] for t in truth]
    for (_, start, dist), t in zip(got, truth, strict=True):
        assert start == t["start_ts"][:23]
        assert dist == pytest.approx(float(t["distance_m"]), rel=0.02)
