"""Reading a trip of the RSK Twizy data set as an :class:`ObservedTrip`, faults and all.

The data set (NaitMalek et al., CC BY 4.0; shipped as
``voltvan.academy.data_file("rsk-twizy-ev")``) logs a Renault Twizy at 1 Hz: CAN speed, BMS state
of charge, GPS fix and altitude, ambient temperature. Two trips carry real GPS faults (latitude 0,
longitude 1555.6, altitude -111 m for a minute). Speed therefore comes from the CAN bus, never from
GPS, and altitude is cleaned before it may cost or return energy: impossible fixes are dropped,
then samples more than :data:`ALTITUDE_OUTLIER_M` from a five-minute running median, then the rest
is interpolated and smoothed over half a minute (GPS altitude jitters by metres each second, which
would otherwise look like endless small climbs).
"""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import numpy as np

from voltvan.energy._fit import ObservedTrip
from voltvan.energy._physics import FloatArray
from voltvan.errors import InvalidInput

ALTITUDE_OUTLIER_M = 40.0
MEDIAN_WINDOW_S = 301
SMOOTH_WINDOW_S = 31
#: Samples averaged at each end to read a state of charge that steps in 0.02 % and jitters.
SOC_END_SAMPLES = 10
_COLUMNS = ("Time", "Soc", "Speed", "LAT", "LON", "ALT", "Temperature")


def _seconds(text: str, *, file: Path, line: int) -> float:
    try:
        h, m, s = (float(x) for x in text.split(":"))
    except ValueError:
        raise InvalidInput(
            f"{text!r} is not a time HH:MM:SS", file=file, line=line, field="Time"
        ) from None
    return h * 3600.0 + m * 60.0 + s


def _number(row: dict[str, str], column: str, *, file: Path, line: int) -> float:
    try:
        return float(row[column])
    except (TypeError, ValueError):
        raise InvalidInput(
            f"{row[column]!r} is not a number", file=file, line=line, field=column
        ) from None


def clean_altitude_m(
    time_s: FloatArray, lat: FloatArray, lon: FloatArray, altitude_m: FloatArray
) -> FloatArray | None:
    """A smooth altitude profile with GPS faults removed, or None when too little is usable."""
    from scipy.ndimage import median_filter, uniform_filter1d

    ok = (
        np.isfinite(altitude_m)
        & (np.abs(lat) <= 90.0)
        & (np.abs(lon) <= 180.0)
        & ~((lat == 0.0) | (lon == 0.0))
        & (altitude_m > -450.0)
        & (altitude_m < 9_000.0)
    )
    if ok.sum() < 0.5 * ok.size:
        return None
    median = median_filter(altitude_m[ok], size=MEDIAN_WINDOW_S, mode="nearest")
    idx = np.flatnonzero(ok)
    ok[idx[np.abs(altitude_m[ok] - median) > ALTITUDE_OUTLIER_M]] = False
    if ok.sum() < 0.5 * ok.size:
        return None
    filled = np.interp(time_s, time_s[ok], altitude_m[ok])
    return np.asarray(uniform_filter1d(filled, size=SMOOTH_WINDOW_S, mode="nearest"))


def read_rsk_trip(path: Path, *, battery_wh: float, mass_kg: float) -> ObservedTrip:
    """One CSV of the ``Analyzed`` folder; energy = SoC drop x usable battery energy."""
    return _read(path, battery_wh=battery_wh, mass_kg=mass_kg)[0]


def read_rsk_pieces(
    path: Path, *, battery_wh: float, mass_kg: float, piece_m: float = 5_000.0
) -> list[ObservedTrip]:
    """The same trip cut into pieces of about ``piece_m`` (the last one up to 1.5 times longer)."""
    trip, soc = _read(path, battery_wh=battery_wh, mass_kg=mass_kg)
    return split_trip(trip, soc, battery_wh=battery_wh, segment_m=piece_m)


def _read(path: Path, *, battery_wh: float, mass_kg: float) -> tuple[ObservedTrip, FloatArray]:
    path = Path(path)
    try:
        with path.open(newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise InvalidInput(
                    f"missing column {missing[0]}", file=path, line=1, field=missing[0]
                )
            rows = list(enumerate(reader, start=2))
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read a CSV trip: {exc}", file=path) from None
    if len(rows) < 2 * SOC_END_SAMPLES:
        raise InvalidInput("too few samples for a trip", file=path)
    cols = {c: np.array([_number(r, c, file=path, line=n) for n, r in rows]) for c in _COLUMNS[1:]}
    t = np.array([_seconds(r["Time"], file=path, line=n) for n, r in rows])
    t = t + 86_400.0 * np.concatenate([[0], np.cumsum(np.diff(t) < -43_200.0)])
    keep = np.concatenate([[True], np.diff(t) > 0])  # duplicate timestamps: first sample wins
    t = t - t[0]
    t, soc = t[keep], cols["Soc"][keep]
    speed = np.clip(cols["Speed"][keep] / 3.6, 0.0, None)
    altitude = clean_altitude_m(t, cols["LAT"][keep], cols["LON"][keep], cols["ALT"][keep])
    soc_drop = float(np.median(soc[:SOC_END_SAMPLES]) - np.median(soc[-SOC_END_SAMPLES:])) / 100.0
    trip = ObservedTrip(
        time_s=t,
        speed_mps=speed,
        altitude_m=altitude,
        ambient_c=float(np.mean(cols["Temperature"][keep])),
        mass_kg=mass_kg,
        observed_energy_wh=soc_drop * battery_wh,
        name=path.stem,
    )
    return trip, soc


def split_trip(
    trip: ObservedTrip, soc: FloatArray, *, battery_wh: float, segment_m: float
) -> list[ObservedTrip]:
    """Cut a trip into pieces of about ``segment_m``, each with the energy its SoC drop shows."""
    from scipy.ndimage import uniform_filter1d

    v, t = trip.speed_mps, trip.time_s
    dist = np.concatenate([[0.0], np.cumsum(0.5 * (v[1:] + v[:-1]) * np.diff(t))])
    smooth = uniform_filter1d(soc, size=SMOOTH_WINDOW_S * 2 - 1, mode="nearest")
    edges = np.searchsorted(dist, np.arange(0.0, dist[-1] - 0.5 * segment_m, segment_m))
    edges = np.append(edges, t.size - 1)
    pieces = []
    for k, (a, b) in enumerate(itertools.pairwise(edges)):
        alt = None if trip.altitude_m is None else trip.altitude_m[a : b + 1]
        pieces.append(
            ObservedTrip(
                time_s=t[a : b + 1] - t[a],
                speed_mps=v[a : b + 1],
                altitude_m=alt,
                ambient_c=trip.ambient_c,
                mass_kg=trip.mass_kg,
                observed_energy_wh=float(smooth[a] - smooth[b]) / 100.0 * battery_wh,
                name=f"{trip.name}#{k}",
            )
        )
    return pieces
