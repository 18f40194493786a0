"""The twin's random numbers: one stream per van and day, and the shapes drawn from them.

Each van's day has its own generator, seeded from ``(seed, day, van number)``, so what one van
draws never depends on when SimPy wakes the others: the same seed gives the same day, and adding
a van does not change the days of the others.
"""

from __future__ import annotations

import math

import numpy as np

from voltvan.travel import TravelParams, speed_factor
from voltvan.twin._params import TwinParams

#: The stream of a day's shared draws (weather, chargers out of order), apart from the vans'.
DAY_STREAM = 1_000_000
#: The stream of a day's breakdowns (drawn only when ``breakdown_share`` is set).
BREAKDOWN_STREAM = 2_000_000


def day_rng(seed: int, day: int, stream: int) -> np.random.Generator:
    """The generator of one van (``stream`` = its number) or of the day (``DAY_STREAM``)."""
    return np.random.default_rng(np.random.SeedSequence([seed, day, stream]))


def mean_one(rng: np.random.Generator, sigma: float) -> float:
    """A lognormal factor with mean 1: ``exp(sigma Z - sigma^2 / 2)``."""
    if sigma <= 0.0:
        return 1.0
    return math.exp(sigma * float(rng.standard_normal()) - 0.5 * sigma * sigma)


def leg_sigma(params: TwinParams, travel: TravelParams, t_s: float) -> float:
    """Spread of a leg's time when it starts at ``t_s``: wider the slower the hour.

    Congestion is 0 at the fastest hour of the speed profile and 1 at the slowest; the spread
    moves linearly from ``leg_sigma_free`` to ``leg_sigma_peak`` with it (travel times scatter
    most in the rush hours).
    """
    slowest = min(travel.speed_kmh_by_hour) / travel.reference_kmh
    factor = float(speed_factor(t_s, travel))
    congestion = 0.0 if slowest >= 1.0 else min(1.0, max(0.0, (1.0 - factor) / (1.0 - slowest)))
    return params.leg_sigma_free + (params.leg_sigma_peak - params.leg_sigma_free) * congestion
