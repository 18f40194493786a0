"""Charging sessions, battery health, daily energy and derived tables on synthetic streams."""

from __future__ import annotations

import itertools
import math
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from tests.telemetry.analytics_data import T0, Row, rows_from_series, write_signals
from voltvan.telemetry import (
    BATTERY_POWER,
    ENERGY_KWH,
    IS_CHARGING,
    LATITUDE,
    LONGITUDE,
    ODOMETER,
    SOC,
    SPEED,
)
from voltvan.telemetry.analytics._charging_detect import ChargingParams, sessions_sql
from voltvan.telemetry.analytics._charging_sessions import charging_sessions
from voltvan.telemetry.analytics._daily import daily_energy_sql, driving_time_sql
from voltvan.telemetry.analytics._derived import DERIVED_TABLES, connect, derive
from voltvan.telemetry.analytics._health import estimate_health

NOMINAL_WH = 60_000.0
TRUE_CAPACITY_WH = 54_000.0  # a battery at 90 % state of health


def _charge(van: str, start: datetime, soc0: float, power_w: float, dur_s: int) -> list[Row]:
    """A parked van charging at constant battery power; SoC follows the true capacity."""
    soc = [soc0 + 100.0 * power_w * i / 3600.0 / TRUE_CAPACITY_WH for i in range(0, dur_s, 10)]
    rows = rows_from_series(van, SOC, soc, start=start, step_s=10)
    rows += rows_from_series(van, BATTERY_POWER, [power_w] * len(soc), start=start, step_s=10)
    rows += rows_from_series(van, IS_CHARGING, [1.0] * len(soc), start=start, step_s=10)
    rows += rows_from_series(van, SPEED, [0.0] * len(soc), start=start, step_s=10)
    end = start + timedelta(seconds=len(soc) * 10)
    rows += [(van, end, IS_CHARGING, 0.0), (van, end, BATTERY_POWER, 0.0)]
    return rows


@pytest.fixture
def three_charges(tmp_path: Path) -> Path:
    rows: list[Row] = []
    for day, (soc0, power) in enumerate([(20.0, 11_000.0), (35.0, 7_400.0), (15.0, 22_000.0)]):
        rows += _charge("V1", T0 + timedelta(days=day, hours=12), soc0, power, 3600)
    write_signals(tmp_path, rows)
    return tmp_path


def test_sessions_from_charging_flag(three_charges: Path) -> None:
    """Three sessions with the right start SoC, energy (integral of power) and peak power."""
    table = charging_sessions(connect(three_charges)).to_pylist()
    assert len(table) == 3
    first = table[0]
    assert first["source"] == "is_charging"
    assert first["start_soc"] == pytest.approx(0.20, abs=1e-6)
    assert first["energy_wh"] == pytest.approx(11_000.0, rel=0.01)
    assert first["energy_source"] == "power"
    assert [s["peak_power_w"] for s in table] == [11_000.0, 7_400.0, 22_000.0]
    assert first["end_soc"] == pytest.approx(0.20 + 11_000 / TRUE_CAPACITY_WH, abs=0.005)


def test_state_of_health_recovers_true_capacity(three_charges: Path) -> None:
    """SoH from the sessions is 0.90 within 1 %, with a usable confidence."""
    sessions = charging_sessions(connect(three_charges)).to_pylist()
    (est,) = estimate_health(sessions, {"V1": NOMINAL_WH})
    assert est.soh == pytest.approx(0.90, abs=0.01)
    assert est.num_sessions == 3
    assert 0.2 < est.confidence <= 1.0


def test_health_ignores_sessions_whose_energy_comes_from_soc() -> None:
    """A session whose energy was itself computed from SoC says nothing about capacity."""
    sessions = [
        {"vehicle_id": "V1", "start_soc": 0.2, "end_soc": 0.8, "energy_wh": 36_000.0,
         "energy_source": "soc"},
    ]  # fmt: skip
    assert estimate_health(sessions, {"V1": NOMINAL_WH}) == []


def test_soc_rise_while_parked_is_a_session(tmp_path: Path) -> None:
    """A van that sends only SoC and speed: a parked SoC rise of 30 points is one session."""
    soc = [40.0] * 60 + [40.0 + 0.1 * i for i in range(300)] + [70.0] * 60
    rows = rows_from_series("V2", SOC, soc, step_s=10)
    rows += rows_from_series("V2", SPEED, [0.0] * len(soc), step_s=10)
    write_signals(tmp_path, rows)
    (s,) = charging_sessions(connect(tmp_path), battery_wh={"V2": NOMINAL_WH}).to_pylist()
    assert s["source"] == "soc"
    assert s["start_soc"] == pytest.approx(0.40, abs=0.002)
    assert s["end_soc"] == pytest.approx(0.699, abs=0.002)
    assert s["energy_wh"] == pytest.approx(0.299 * NOMINAL_WH, rel=0.01)


def test_driving_day_has_no_session(tmp_path: Path) -> None:
    """SoC falling while driving, with stops, never makes a charging session."""
    soc = [80.0 - 0.01 * i for i in range(3000)]
    speed = [0.0 if (i // 300) % 2 else 40.0 for i in range(3000)]
    rows = rows_from_series("V3", SOC, soc) + rows_from_series("V3", SPEED, speed)
    write_signals(tmp_path, rows)
    assert charging_sessions(connect(tmp_path)).num_rows == 0


def test_derive_writes_queryable_views(tmp_path: Path) -> None:
    """derive() writes trips and daily energy per day; the views read them back with Wh/km."""
    speed = [0.0] * 300 + [36.0] * 1000 + [0.0] * 300  # 10 km at 10 m/s
    soc = [80.0] * 300 + [80.0 - 0.002 * i for i in range(1000)] + [78.0] * 300
    rows = rows_from_series("V1", SPEED, speed) + rows_from_series("V1", SOC, soc)
    write_signals(tmp_path, rows)
    summary = derive(tmp_path, battery_wh={"V1": NOMINAL_WH})
    assert summary.rows["trips"] == 1
    con = connect(tmp_path)
    (day, dist, wh_km) = con.execute(
        "SELECT day::VARCHAR, distance_m, wh_per_km FROM daily_energy"
    ).fetchone() or (None, None, None)
    assert day == T0.date().isoformat()
    assert dist == pytest.approx(10_000, rel=0.01)
    # 2 SoC points of 60 kWh = 1,200 Wh over 10 km
    assert wh_km == pytest.approx(120.0, rel=0.02)
    assert con.execute("SELECT distance_source FROM trips").fetchall() == [("speed",)]


def test_empty_derived_views_have_columns(tmp_path: Path) -> None:
    """Before any derive, the views exist, are empty and already have their columns."""
    write_signals(tmp_path, rows_from_series("V1", SPEED, [0.0] * 10))
    con = connect(tmp_path)
    assert con.execute("SELECT count(*) FROM charging_sessions").fetchone() == (0,)
    cols = [r[0] for r in con.execute("DESCRIBE trips").fetchall()]
    assert {"vehicle_id", "distance_m", "energy_wh", "wh_per_km"} <= set(cols)


def test_flag_only_path_matches_full_path(three_charges: Path) -> None:
    """When every van sends IsCharging the fast SQL finds the same sessions as the full one."""
    con = connect(three_charges)
    cols = "vehicle_id, start_ts, end_ts, round(power_wh), peak_power_w"
    fast = con.execute(f"SELECT {cols} FROM ({sessions_sql(flag_only=True)}) ORDER BY 2").fetchall()
    full = con.execute(f"SELECT {cols} FROM ({sessions_sql()}) ORDER BY 2").fetchall()
    assert len(fast) == 3
    assert fast == full


def test_exact_duplicates_change_no_result(tmp_path: Path) -> None:
    """A redelivered file (every row twice) leaves trips, driving time and energy unchanged."""
    speed = [0.0] * 300 + [36.0] * 1000 + [0.0] * 300
    soc = [80.0] * 300 + [80.0 - 0.002 * i for i in range(1000)] + [78.0] * 300
    odo = [1000.0 + 10.0 * max(0, min(i - 300, 1000)) for i in range(1600)]
    rows = rows_from_series("V1", SPEED, speed) + rows_from_series("V1", SOC, soc)
    rows += rows_from_series("V1", ODOMETER, odo)
    once, twice = tmp_path / "once", tmp_path / "twice"
    write_signals(once, rows)
    write_signals(twice, rows)
    write_signals(twice, rows, part="part-1")
    results = []
    for data in (once, twice):
        derive(data, battery_wh={"V1": NOMINAL_WH})
        con = connect(data)
        results.append(
            (
                con.execute("SELECT distance_m, driving_s, energy_wh FROM trips").fetchall(),
                con.execute(driving_time_sql()).fetchall(),
                con.execute(daily_energy_sql()).fetchall(),
            )
        )
    assert results[0] == results[1]
    assert results[0][0][0][0] == pytest.approx(10_000.0)  # from the odometer


def test_daily_sql_from_raw_signals(tmp_path: Path) -> None:
    """Driving time and odometer distance per day straight from the raw rows."""
    speed = [0.0] * 100 + [36.0] * 600 + [0.0] * 100
    odo = [5000.0 + 10.0 * max(0, min(i - 100, 600)) for i in range(800)]
    kwh = [50.0 - 0.0002 * max(0, min(i - 100, 600)) for i in range(800)]
    rows = rows_from_series("V1", SPEED, speed) + rows_from_series("V1", ODOMETER, odo)
    rows += rows_from_series("V1", ENERGY_KWH, kwh)
    write_signals(tmp_path, rows)
    con = connect(tmp_path)
    ((_, _, driving_s),) = con.execute(driving_time_sql()).fetchall()
    assert driving_s == pytest.approx(600.0)
    ((_, _, dist, energy, _, wh_km),) = con.execute(daily_energy_sql()).fetchall()
    assert dist == pytest.approx(6000.0)
    assert energy == pytest.approx(120.0)
    assert wh_km == pytest.approx(20.0)


def test_gps_distance_per_van_in_one_pass(tmp_path: Path) -> None:
    """Two vans' GPS tracks are cleaned separately; a latitude-0 fault costs neither distance."""
    rows: list[Row] = []
    for van, lon0 in (("A", 13.40), ("B", 13.50)):
        n = 900  # 15 min at 10 m/s north = 8,990 m
        lat = [52.50 + i * 10.0 / 111_195.0 for i in range(n)]
        if van == "B":
            lat[400:404] = [0.0] * 4
        rows += rows_from_series(van, SPEED, [36.0] * n)
        rows += rows_from_series(van, LATITUDE, lat)
        rows += rows_from_series(van, LONGITUDE, [lon0] * n)
    write_signals(tmp_path, rows)
    derive(tmp_path)
    got = (
        connect(tmp_path)
        .execute("SELECT vehicle_id, distance_m, distance_source, gps_faults FROM trips ORDER BY 1")
        .fetchall()
    )
    assert [(v, s, f) for v, _, s, f in got] == [("A", "gps", 0), ("B", "gps", 4)]
    for _, dist, _, _ in got:
        assert dist == pytest.approx(8_990.0, rel=0.01)


def _across_midnight(data: Path) -> None:
    """Parked 23:30-23:50, a 30 min trip at 10 m/s using 2 SoC points, parked until 00:40."""
    speed = [0.0] * 1200 + [36.0] * 1800 + [0.0] * 1200
    soc = [80.0] * 1200 + [80.0 - 2.0 * i / 1800 for i in range(1800)] + [78.0] * 1200
    start = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    rows = rows_from_series("V1", SPEED, speed, start=start)
    write_signals(data, rows + rows_from_series("V1", SOC, soc, start=start))


def test_trip_across_midnight_is_derived_on_its_start_day(tmp_path: Path) -> None:
    """One trip, in the first day's partition and daily energy; none the next day; deriving
    either day alone writes the same files as deriving both."""
    full, alone = tmp_path / "full", tmp_path / "alone"
    for data in (full, alone):
        _across_midnight(data)
    derive(full, battery_wh={"V1": NOMINAL_WH})
    con = connect(full)
    ((day, start, end, dur, dist, wh),) = con.execute(
        "SELECT CAST(start_ts AS DATE)::VARCHAR, start_ts, end_ts, duration_s, distance_m, "
        "energy_wh FROM trips"
    ).fetchall()
    assert (day, dur) == ("2026-03-02", pytest.approx(1800.0))
    assert (start.hour, end.hour, end.minute) == (23, 0, 20)
    assert dist == pytest.approx(18_000.0)
    assert wh == pytest.approx(1_200.0, rel=0.01)
    assert con.execute("SELECT day::VARCHAR, trips, distance_m FROM daily_energy").fetchall() == [
        ("2026-03-02", 1, pytest.approx(18_000.0))
    ]
    stops = "SELECT CAST(start_ts AS DATE)::VARCHAR, duration_s FROM stops ORDER BY start_ts"
    assert con.execute(stops).fetchall() == [("2026-03-02", 1200.0), ("2026-03-03", 1199.0)]
    for day in ("2026-03-03", "2026-03-02"):  # the later day first, as a nightly job would
        derive(alone, days=[day], battery_wh={"V1": NOMINAL_WH})
    for table in DERIVED_TABLES:
        for day in ("2026-03-02", "2026-03-03"):
            part = Path("derived", table, f"date={day}", "part-0.parquet")
            assert pq.read_table(alone / part).equals(pq.read_table(full / part)), part


def _overnight_charges(data: Path, nights: int) -> None:
    """A van charging at 3.7 kW from 19:00 to 05:00 UTC each night, driving in between."""
    rows: list[Row] = []
    for night in range(nights):
        rows += _charge("V1", T0 + timedelta(days=night, hours=13), 20.0, 3_700.0, 36_000)
    write_signals(data, rows)


def test_overnight_charge_is_one_session_of_its_start_day(tmp_path: Path) -> None:
    """19:00-05:00 is one session in the first day's partition with the whole SoC gain, energy
    and peak power, none the next day; the day alone gives what all data gives, and deriving
    either day alone writes the same files as deriving both."""
    full, alone = tmp_path / "full", tmp_path / "alone"
    for data in (full, alone):
        _overnight_charges(data, 1)
    derive(full, battery_wh={"V1": NOMINAL_WH})
    con = connect(full)
    sessions = con.execute(
        "SELECT CAST(start_ts AS DATE)::VARCHAR, start_ts, end_ts, start_soc, end_soc, "
        "energy_wh, energy_source, peak_power_w FROM charging_sessions"
    ).fetchall()
    ((day, start, end, soc0, soc1, wh, wh_from, peak),) = sessions
    assert (day, start.hour, end.hour, end.day - start.day) == ("2026-03-02", 19, 5, 1)
    assert (soc0, wh_from, peak) == (pytest.approx(0.20), "power", 3_700.0)
    assert wh == pytest.approx(37_000.0, rel=0.001)
    assert soc1 == pytest.approx(0.20 + 37_000.0 / TRUE_CAPACITY_WH, abs=0.001)
    assert charging_sessions(con, day="2026-03-02").equals(charging_sessions(con))
    for day in ("2026-03-03", "2026-03-02"):  # the later day first, as a nightly job would
        derive(alone, days=[day], battery_wh={"V1": NOMINAL_WH})
    for day in ("2026-03-02", "2026-03-03"):
        part = Path("derived", "charging_sessions", f"date={day}", "part-0.parquet")
        assert pq.read_table(alone / part).equals(pq.read_table(full / part)), part
    second = full / "derived" / "charging_sessions" / "date=2026-03-03" / "part-0.parquet"
    assert pq.read_table(second).num_rows == 0


def test_state_of_health_from_overnight_sessions(tmp_path: Path) -> None:
    """Three overnight charges across midnight count as three whole sessions for the SoH."""
    _overnight_charges(tmp_path, 3)
    derive(tmp_path)
    con = connect(tmp_path)
    sql = "SELECT vehicle_id, start_soc, end_soc, energy_wh, energy_source FROM charging_sessions"
    cols = ["vehicle_id", "start_soc", "end_soc", "energy_wh", "energy_source"]
    sessions = [dict(zip(cols, r, strict=True)) for r in con.execute(sql).fetchall()]
    (est,) = estimate_health(sessions, {"V1": NOMINAL_WH})
    assert est.num_sessions == 3
    assert est.soh == pytest.approx(0.90, abs=0.005)
    assert est.soc_observed == pytest.approx(3 * 37_000.0 / TRUE_CAPACITY_WH, abs=0.01)


def _random_van(rng: random.Random, van: str, kind: str, start: datetime) -> list[Row]:
    """Charging (short and overnight), driving, parking, blips and silences at random sample
    steps; ``kind`` says what decides charging: the flag, battery power, or SoC alone."""
    rows: list[Row] = []
    t = start + timedelta(seconds=rng.randint(0, 7200))
    soc = rng.uniform(10.0, 60.0)
    for _ in range(rng.randint(4, 14)):
        what = rng.choice(["charge", "charge", "drive", "park", "gap", "blip"])
        if what == "gap":
            t += timedelta(seconds=rng.randint(100, 5000))
            continue
        step = rng.choice([10, 30, 60, 300, 700])
        dur = {"charge": rng.choice([600, 4 * 3600, 9 * 3600]), "drive": 3600}.get(what, 1800)
        power = {"charge": rng.uniform(2e3, 11e3), "drive": -rng.uniform(5e3, 2e4)}.get(what, 0)
        if what == "blip":
            dur, power = 60, 3e3
        for i in range(max(1, dur // step)):
            soc = min(100.0, max(0.0, soc + 100.0 * power * step / 3600.0 / TRUE_CAPACITY_WH))
            sample = [(SOC, round(soc / 0.05) * 0.05)] if kind == "soc" or i % 2 == 0 else []
            if i % 3 == 0 or what == "drive":
                sample.append((SPEED, 40.0 if what == "drive" else 0.0))
            if kind != "soc":
                sample.append((BATTERY_POWER, power))
            if kind == "flag":
                sample.append((IS_CHARGING, 1.0 if what == "charge" else 0.0))
            if kind == "power" and i % 4 == 0:
                sample.append((ENERGY_KWH, soc * TRUE_CAPACITY_WH / 1e5))
            rows += [(van, t, name, value) for name, value in sample]
            t += timedelta(seconds=step)
    return rows


def _session_key(s: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(
        round(v, 6) if isinstance(v, float) else v
        for k, v in s.items()
        if k not in ("energy_wh", "duration_s")
    )


@pytest.mark.parametrize("seed", range(4))
def test_day_sessions_match_sessions_over_all_data(tmp_path: Path, seed: int) -> None:
    """Whatever the streams, the sessions each day finds are those over all data that start on
    that day, also with contexts so small (none, minutes) that the windows cut through them."""
    rng = random.Random(seed)
    midnight = datetime(2026, 3, 3, tzinfo=UTC)
    rows: list[Row] = []
    for k, kind in enumerate(["flag", "flag", "power", "power", "soc", "soc"]):
        rows += _random_van(rng, f"V{k}", kind, midnight - timedelta(hours=6))
    write_signals(tmp_path, rows)
    con = connect(tmp_path)
    caps = {f"V{k}": NOMINAL_WH for k in range(6)}
    params = ChargingParams(max_gap_s=400) if seed % 2 else ChargingParams()
    full = charging_sessions(con, params, battery_wh=caps).to_pylist()
    assert {s["source"] for s in full} == {"is_charging", "power", "soc"}
    days = sorted({r[1].date() for r in rows})
    assert len(days) > 1
    minute = timedelta(minutes=1)
    for day, contexts in itertools.product(days, [(), (minute * 0, minute * 5), (minute * 30,)]):
        got = charging_sessions(
            con, params, day=day.isoformat(), battery_wh=caps, contexts=contexts
        ).to_pylist()
        want = [s for s in full if s["start_ts"].date() == day]
        assert [_session_key(s) for s in got] == [_session_key(s) for s in want], contexts
        assert [s["energy_wh"] for s in got] == pytest.approx([s["energy_wh"] for s in want])


def test_some_rows_redelivered_change_no_result(tmp_path: Path) -> None:
    """Every 20th row stored a second time (a re-delivered message written by a second worker):
    trips, stops, sessions and daily energy are those of the lake without the repeats."""
    from tests.telemetry.spark.fleet_data import write_fleet

    caps = {f"V{k:02d}": 38_500.0 for k in range(8)}
    clean, repeated = tmp_path / "clean", tmp_path / "repeated"
    write_fleet(clean, seed=3, duplicates=False)
    write_fleet(repeated, seed=3, duplicates=True)
    tables = {}
    for data in (clean, repeated):
        derive(data, battery_wh=caps)
        con = connect(data)
        tables[data] = {
            t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
            for t in ("trips", "stops", "charging_sessions", "daily_energy")
        }
    assert len(tables[clean]["trips"]) > 50
    for table, rows in tables[clean].items():
        got = tables[repeated][table]
        assert len(got) == len(rows), table
        for a, b in zip(got, rows, strict=True):
            assert all(
                math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9)
                if isinstance(x, float) and isinstance(y, float)
                else x == y
                for x, y in zip(a, b, strict=True)
            ), (table, a, b)
