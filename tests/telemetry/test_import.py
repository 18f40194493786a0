"""Import of the real Rabat Twizy logs: samples, dead letters, GPS faults and trip distances."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import data_path
from voltvan.errors import InvalidInput
from voltvan.telemetry import import_rsk_twizy, read_rsk_twizy_csv
from voltvan.telemetry.analytics._derived import build_trips_and_stops, connect, days_with_signals
from voltvan.telemetry.analytics._gps import path_length_m
from voltvan.telemetry.analytics._trips import TripParams

FAULTY_LAT = "T1/T1_06_30_2021_2.csv"  # latitude 0 for 4 s at 10:32:43
SIGNALS_PER_SAMPLE = 6


def _twizy(name: str) -> Path:
    return data_path("real", "rsk-twizy-ev", "Analyzed", *name.split("/"))


def _can_integral_m(path: Path) -> float:
    """Trapezoid integral of the CAN speed column, read straight from the CSV (independent)."""
    with path.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    t = np.array([sum(int(x) * m for x, m in zip(r["Time"].split(":"), (3600, 60, 1), strict=True))
                  for r in rows], float)  # fmt: skip
    v = np.array([float(r["Speed"]) for r in rows]) / 3.6
    return float(np.sum(0.5 * (v[1:] + v[:-1]) * np.diff(t)))


def _trips(data_dir: Path) -> list[dict[str, object]]:
    con = connect(data_dir)
    out: list[dict[str, object]] = []
    for day in days_with_signals(data_dir):
        out += build_trips_and_stops(con, TripParams(), day)[0].to_pylist()
    return out


def test_real_trip_imports_every_sample(tmp_path: Path) -> None:
    """The faulty Twizy trip gives 5,903 samples x 6 signals, all stored, none rejected."""
    summary = import_rsk_twizy(_twizy(FAULTY_LAT), tmp_path, vehicle_id="twizy-1")
    assert summary.samples == 5903
    assert summary.stored == 5903 * SIGNALS_PER_SAMPLE
    assert summary.rejected == 0
    n = connect(tmp_path).execute("SELECT count(DISTINCT ts) FROM signals").fetchone()
    assert n == (5903,)


def test_latitude_zero_is_flagged_and_distance_matches_can_speed(tmp_path: Path) -> None:
    """Cleaned GPS distance is within 6 % of the CAN-speed integral (uncleaned: 7,600 km)."""
    path = _twizy(FAULTY_LAT)
    import_rsk_twizy(path, tmp_path, vehicle_id="twizy-1")
    (trip,) = _trips(tmp_path)
    can_m = _can_integral_m(path)
    assert trip["distance_source"] == "gps"
    assert int(trip["gps_faults"]) >= 4  # type: ignore[call-overload]
    assert float(trip["distance_m"]) == pytest.approx(can_m, rel=0.06)  # type: ignore[arg-type]
    con = connect(tmp_path)
    zero = con.execute(
        "SELECT count(*) FROM signals WHERE name = 'Vehicle.CurrentLocation.Latitude' AND value = 0"
    ).fetchone()
    assert zero == (4,)  # in range, so stored: the analytics must exclude them
    lat, lon = (
        np.array(
            [r[0] for r in con.execute(
                f"SELECT value FROM signals WHERE name = 'Vehicle.CurrentLocation.{c}' ORDER BY ts"
            ).fetchall()]
        )
        for c in ("Latitude", "Longitude")
    )  # fmt: skip
    assert path_length_m(lat, lon) > 7_000_000  # what the distance would be without cleaning


def test_out_of_range_longitude_is_rejected_with_reason(tmp_path: Path) -> None:
    """Longitude 1555.6 for 3 s goes to the dead letters as out_of_range; distances stay right."""
    src = _twizy("T1/T1_07_01_2021.csv")
    lines = src.read_text().splitlines()
    for i in (2000, 2001, 2002):
        cells = lines[i].split(",")
        cells[6] = "1555.600000"
        lines[i] = ",".join(cells)
    crafted = tmp_path / "T1_07_01_2021.csv"
    crafted.write_text("\n".join(lines) + "\n")
    data = tmp_path / "data"
    summary = import_rsk_twizy(crafted, data, vehicle_id="twizy-1")
    assert summary.rejected == 3
    con = connect(data)
    assert con.execute("SELECT reason, n FROM rejected_counts").fetchall() == [("out_of_range", 3)]
    (trip,) = _trips(data)
    assert float(trip["distance_m"]) == pytest.approx(_can_integral_m(src), rel=0.06)  # type: ignore[arg-type]


def test_all_real_trips_match_can_distance(tmp_path: Path) -> None:
    """Every one of the 7 real trips: cleaned GPS distance within 7 % of the CAN integral."""
    folder = data_path("real", "rsk-twizy-ev", "Analyzed")
    import_rsk_twizy(folder, tmp_path, vehicle_id="twizy-1")
    trips = sorted(_trips(tmp_path), key=lambda t: str(t["start_ts"]))
    files = sorted(folder.rglob("*.csv"), key=lambda p: read_rsk_twizy_csv(p).samples[0].ts)
    assert len(trips) == len(files) == 7
    for trip, f in zip(trips, files, strict=True):
        assert float(trip["distance_m"]) == pytest.approx(_can_integral_m(f), rel=0.07), f.name  # type: ignore[arg-type]


def test_reimport_stores_nothing_twice(tmp_path: Path) -> None:
    """Importing the same file again only counts duplicates."""
    path = _twizy("T1/T1_07_01_2021.csv")
    import_rsk_twizy(path, tmp_path, vehicle_id="twizy-1")
    again = import_rsk_twizy(path, tmp_path, vehicle_id="twizy-1")
    assert again.stored == 0
    assert again.duplicates == 4535 * SIGNALS_PER_SAMPLE


def test_corrupt_dates_are_repaired_from_the_file_name() -> None:
    """Rows dated 90/02/2032 get the file's date (10 rows in T1_03_29_2021)."""
    log = read_rsk_twizy_csv(_twizy("T1/T1_03_29_2021.csv"))
    assert log.repaired_dates == 10
    assert {s.ts.date().isoformat() for s in log.samples} == {"2021-03-29"}


def test_missing_column_names_the_field(tmp_path: Path) -> None:
    """A log without the Soc column is refused, naming file, line 1 and the column."""
    bad = tmp_path / "bad.csv"
    shutil.copy(_twizy("T1/T1_07_01_2021.csv"), bad)
    bad.write_text(bad.read_text().replace("Soc,", "Charge,", 1))
    with pytest.raises(InvalidInput, match=r"bad.csv, line 1, field Soc"):
        read_rsk_twizy_csv(bad)


def test_non_numeric_value_names_line_and_field(tmp_path: Path) -> None:
    """A speed of 'fast' on line 3 is refused with file, line and field."""
    bad = tmp_path / "bad.csv"
    lines = _twizy("T1/T1_07_01_2021.csv").read_text().splitlines()[:5]
    cells = lines[2].split(",")
    cells[3] = "fast"
    lines[2] = ",".join(cells)
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(InvalidInput, match=r"line 3, field Speed: 'fast' is not a number"):
        read_rsk_twizy_csv(bad)
