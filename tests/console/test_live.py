"""The live picture: new signal files are read once each, the fleet folds their rows, and the
day's history comes one point per minute."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pytest

from voltvan.console import LiveFleet
from voltvan.telemetry import LiveTail, day_series, live_rows, open_store, write_samples

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LAT = "Vehicle.CurrentLocation.Latitude"
LON = "Vehicle.CurrentLocation.Longitude"
SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current"
SPEED = "Vehicle.Speed"
MIDNIGHT = datetime(2026, 3, 2, tzinfo=UTC)


Sample = tuple[datetime, dict[str, float]]


def sample(minute: float, *, speed: float = 30.0, soc: float = 80.0) -> Sample:
    signals = {LAT: 52.5 + minute / 1000, LON: 13.4, SOC: soc, SPEED: speed}
    return T0 + timedelta(minutes=minute), signals


def write(data: Path, van: str, samples: list[tuple[datetime, dict[str, object]]]) -> None:
    with open_store(data, writer_id="test") as store:
        write_samples(store, van, samples)


def test_the_tail_reads_each_new_file_once(tmp_path: Path) -> None:
    write(tmp_path, "V1", [sample(0)])
    tail = LiveTail(tmp_path, ["2026-03-02"])
    tail.skip_existing()
    assert tail.poll() is None
    write(tmp_path, "V1", [sample(1, soc=79.0)])
    table = tail.poll()
    assert table is not None
    rows = list(live_rows(table))
    assert {(v, n) for v, _, n, _ in rows} == {("V1", LAT), ("V1", LON), ("V1", SOC), ("V1", SPEED)}
    assert all(ts == T0 + timedelta(minutes=1) for _, ts, _, _ in rows)
    assert tail.poll() is None  # the same file is not read again


def test_the_tail_skips_compacted_files_and_other_signals(tmp_path: Path) -> None:
    tail = LiveTail(tmp_path, ["2026-03-02"])
    assert tail.poll() is None  # no folder yet
    folder = tmp_path / "signals" / "date=2026-03-02"
    write(tmp_path, "V1", [(T0, {SOC: 70.0, "Vehicle.Exterior.AirTemperature": 5.0})])
    (first,) = folder.glob("*.parquet")
    first.rename(folder / "1-compacted.parquet")
    write(tmp_path, "V2", [(T0, {SOC: 60.0, "Vehicle.Exterior.AirTemperature": 5.0})])
    table = tail.poll()
    assert table is not None
    assert list(live_rows(table)) == [("V2", T0, SOC, 60.0)]


def test_the_fleet_keeps_the_newest_position_and_counts_stillness() -> None:
    fleet = LiveFleet(MIDNIGHT)
    samples = (sample(0), sample(1, speed=0.0), sample(5, speed=0.5))
    rows = [("V1", ts, n, v) for ts, signals in samples for n, v in signals.items()]
    assert fleet.apply(rows) == {"V1"}
    van = fleet.vans["V1"]
    assert (van.lat, van.speed_kmh) == (pytest.approx(52.505), 0.5)
    assert van.ts == T0 + timedelta(minutes=5)
    still = fleet.stillness(T0 + timedelta(minutes=31))["V1"]
    assert still.since == T0 + timedelta(minutes=1)
    assert still.duration_s == pytest.approx(30 * 60)
    fleet.apply([("V1", T0 + timedelta(minutes=6), SPEED, 25.0)])
    assert fleet.stillness(T0 + timedelta(minutes=31)) == {}
    late = [("V1", T0, LAT, 10.0)]
    fleet.apply(late)
    assert van.lat == pytest.approx(52.505)  # a late position never moves the van back
    assert fleet.soc()["V1"].soc == pytest.approx(0.80)
    assert fleet.soc()["V1"].at_s == 9 * 3600 + 6 * 60


def test_the_plot_series_keep_one_point_a_minute() -> None:
    fleet = LiveFleet(MIDNIGHT)
    fleet.apply([("V1", T0 + timedelta(seconds=s), SOC, 80.0 - s / 100) for s in (0, 20, 50, 70)])
    assert fleet.vans["V1"].soc_series == [(32_450.0, 79.5), (32_470.0, 79.3)]


def test_day_series_buckets_a_minute(tmp_path: Path) -> None:
    write(tmp_path, "V1", [sample(m / 2, speed=10.0 * m, soc=80.0 - m) for m in range(4)])
    rows = day_series(tmp_path, MIDNIGHT, MIDNIGHT + timedelta(days=1))
    got = {(t.astimezone(UTC), n): v for _, t, n, v in rows}
    assert got[(T0, SPEED)] == pytest.approx(5.0)  # mean of 0 and 10
    assert got[(T0, SOC)] == pytest.approx(79.0)  # the last of 80 and 79
    assert got[(T0 + timedelta(minutes=1), SOC)] == pytest.approx(77.0)
    assert day_series(tmp_path, T0 + timedelta(hours=1), T0 + timedelta(hours=2)) == []


def test_poll_returns_a_table_of_four_columns(tmp_path: Path) -> None:
    tail = LiveTail(tmp_path, ["2026-03-02"])
    write(tmp_path, "V1", [sample(0)])
    table = tail.poll()
    assert isinstance(table, pa.Table)
    assert table.column_names == ["vehicle_id", "ts", "name", "value"]
