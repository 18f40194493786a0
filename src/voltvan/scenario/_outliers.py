"""Stops far outside where the others are: worth a look, and kept out of the map's frame.

A stop 30 km out when the day's others lie within 10 km of the city centre may be a real customer
or a geocode that picked the wrong town of the same street name. It is not refused (see
:mod:`voltvan.scenario._places` for what is), but ``scenario check`` and ``plan`` point at it, and
the report's map frames the other stops so that one such stop does not zoom out to a country.

Each stop's distance is measured to the nearest *anchor*: a depot or the middle of the stops (the
median latitude and longitude), so stops around a second depot or a depot at the edge of town are
not odd. A stop is odd when its distance is far above the median of all of them by the modified
z-score of Iglewicz and Hoaglin (1993), ``0.6745 (d - median) / MAD > 3.5``, and also more than
:data:`MIN_EXCESS_M` beyond the median: on a day with stops all over a city, most lie in a few
dense districts, so the outer districts are many MADs out and a robust rule alone would flag them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from voltvan.domain import Depot, Stop
from voltvan.errors import InputWarning, Location
from voltvan.scenario._places import FIELD, km_text, pair_text
from voltvan.travel import haversine_m

MODIFIED_Z = 3.5
"""Iglewicz and Hoaglin's cut for the modified z-score; 0.6745 makes the MAD estimate a sigma."""

MIN_EXCESS_M = 20_000.0
"""Distance beyond the median stop's that is odd in any case. Generated Berlin days, whose
scattered background stops reach the city's edge, stay below 14 km."""

MIN_STOPS = 10
"""Fewer stops than this say too little about where "the others" are: nothing is flagged."""


@dataclass(frozen=True, slots=True)
class Outlier:
    """A stop far outside the others: its index in the stops and how far out it is."""

    index: int
    distance_m: float
    median_m: float


def stop_outliers(stops: Sequence[Stop], depots: Sequence[Depot]) -> tuple[Outlier, ...]:
    """The stops far outside where the others are, in the order given (see the module docstring)."""
    if len(stops) < MIN_STOPS:
        return ()
    lat = np.array([s.lat for s in stops], dtype=float)
    lon = np.array([s.lon for s in stops], dtype=float)
    anchors = [(float(np.median(lat)), float(np.median(lon)))] + [(d.lat, d.lon) for d in depots]
    dist = np.min([haversine_m(lat, lon, a_lat, a_lon) for a_lat, a_lon in anchors], axis=0)
    median = float(np.median(dist))
    mad = float(np.median(np.abs(dist - median)))
    excess = dist - median
    odd = (excess > MIN_EXCESS_M) & (0.6745 * excess > MODIFIED_Z * mad)
    return tuple(Outlier(int(i), float(dist[i]), median) for i in np.flatnonzero(odd))


def outlier_warning(stop: Stop, outlier: Outlier, *, file: str, line: int) -> InputWarning:
    """The warning for one odd stop, naming the file, the line and the stop."""
    where = Location(file=file, line=line, field=FIELD)
    return InputWarning(
        f"{where}: stop {stop.id} at {pair_text(stop.lat, stop.lon)} is "
        f"{km_text(outlier.distance_m)} from the nearest depot or the middle of the stops, far "
        f"outside the others (half of them lie within {km_text(outlier.median_m)}): check its "
        "address"
    )
