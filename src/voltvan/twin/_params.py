"""What the twin varies and by how much: the knobs of its random day, with their defaults.

Every spread is the sigma of a mean-one lognormal factor (``exp(sigma Z - sigma^2 / 2)``), so the
plan's number is the average of the twin's and the tail is long on the slow, heavy side, as real
travel and service times are (``docs/twin.md`` gives the sources for the defaults).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from voltvan.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class TwinParams:
    """The twin's random day.

    ``leg_sigma_free``/``leg_sigma_peak``: spread of leg times at free flow and at the slowest hour
    of the speed profile (linear in between). ``service_sigma``: spread of service times.
    ``fail_share``: share of deliveries where nobody is at home; such an attempt takes
    ``failed_attempt_s`` and the parcel stays on board. ``style_sigma``: a driver's style for the
    whole day, ``leg_energy_sigma``: each leg's own scatter, ``payload_sigma``: the real weight
    of each stop's parcels against the declared one. ``ambient_sigma_c``: error of the forecast
    temperature (normal), ``ambient_offset_c`` shifts every day (a colder week than planned).
    ``charger_outage``: chance that a public charger is out of order on a given day;
    ``out_of_order`` names chargers that are out on every day. ``sample_s``: step of the state
    of charge grid of the report's bands. ``breakdown_share``: chance that a van breaks down on a
    given day (at a time drawn uniformly over its planned route); ``breakdowns``: (van id, time
    of day in s) of breakdowns on every day.
    """

    leg_sigma_free: float = 0.10
    leg_sigma_peak: float = 0.30
    service_sigma: float = 0.40
    fail_share: float = 0.05
    failed_attempt_s: float = 90.0
    style_sigma: float = 0.06
    leg_energy_sigma: float = 0.05
    payload_sigma: float = 0.15
    ambient_sigma_c: float = 2.0
    ambient_offset_c: float = 0.0
    charger_outage: float = 0.0
    out_of_order: tuple[str, ...] = ()
    sample_s: float = 300.0
    breakdown_share: float = 0.0
    breakdowns: tuple[tuple[str, float], ...] = ()

    def __post_init__(self) -> None:
        for name in (
            "leg_sigma_free",
            "leg_sigma_peak",
            "service_sigma",
            "style_sigma",
            "leg_energy_sigma",
            "payload_sigma",
            "ambient_sigma_c",
            "failed_attempt_s",
        ):
            value = getattr(self, name)
            if not (
                math.isfinite(value) and 0.0 <= value <= (3600.0 if name.endswith("_s") else 2.0)
            ):
                raise InvalidInput(f"{name} must be a number in its range, got {value}", field=name)
        for name in ("fail_share", "charger_outage", "breakdown_share"):
            value = getattr(self, name)
            if not (math.isfinite(value) and 0.0 <= value <= 1.0):
                raise InvalidInput(f"{name} must lie in [0, 1], got {value}", field=name)
        if not (math.isfinite(self.ambient_offset_c) and abs(self.ambient_offset_c) <= 40.0):
            raise InvalidInput(
                f"ambient_offset_c must lie in [-40, 40] °C, got {self.ambient_offset_c}",
                field="ambient_offset_c",
            )
        if not (math.isfinite(self.sample_s) and 10.0 <= self.sample_s <= 3600.0):
            raise InvalidInput(
                f"sample_s must lie in [10, 3600] s, got {self.sample_s}", field="sample_s"
            )
        for van_id, t_s in self.breakdowns:
            if not (math.isfinite(t_s) and 0.0 <= t_s <= 2 * 86_400.0):
                raise InvalidInput(
                    f"breakdown of {van_id} at {t_s} s is not a time of day", field="breakdowns"
                )
        object.__setattr__(self, "breakdowns", tuple((v, float(t)) for v, t in self.breakdowns))
        object.__setattr__(self, "out_of_order", tuple(self.out_of_order))
        object.__setattr__(self, "ambient_offset_c", self.ambient_offset_c + 0.0)  # never -0.0

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["out_of_order"] = list(self.out_of_order)
        out["breakdowns"] = [[v, t] for v, t in self.breakdowns]
        return out
