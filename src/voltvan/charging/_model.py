"""The depot charging problem as plain, validated data: vans to charge, connectors, site, tariff.

The scheduler, the baselines, the checker and the OCPP re-planner all read the same
:class:`DepotProblem`, so that each of them can be compared with the others on equal terms.
Times are seconds after midnight of the *evening* the vans come back (a departure at 07:00 the
next morning is ``31 * 3600``); energies are battery-side Wh; powers are W.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

from voltvan.domain import DAY_S, CurrentKind, Tariff
from voltvan.errors import InvalidInput

DEFAULT_TAPER: tuple[tuple[float, float], ...] = ((0.0, 1.0), (0.8, 1.0), (1.0, 0.3))


def _need(ok: bool, message: str, field_name: str) -> None:
    if not ok:
        raise InvalidInput(message, field=field_name)


def _finite_non_negative(value: float, field_name: str, owner: str) -> None:
    _need(
        isinstance(value, int | float) and math.isfinite(value),
        f"{owner}: {field_name} must be a finite number, got {value!r}",
        field_name,
    )
    _need(value >= 0, f"{owner}: {field_name} must not be negative, got {value}", field_name)


@dataclass(frozen=True, slots=True)
class Taper:
    """Maximum charging power as a fraction of the van's limit, piecewise linear in SoC.

    Batteries accept less power as they fill (constant-current then constant-voltage). The curve
    must be concave so that it equals the minimum of its segment lines: that is what lets the LP
    state it as linear constraints on the energy already delivered.
    """

    points: tuple[tuple[float, float], ...] = DEFAULT_TAPER

    def __post_init__(self) -> None:
        pts = self.points
        _need(len(pts) >= 2, "taper needs at least two points", "taper")
        _need(
            all(0.0 <= s <= 1.0 and 0.0 < f <= 1.0 for s, f in pts),
            "taper points must be (soc in [0, 1], power fraction in (0, 1])",
            "taper",
        )
        _need(pts[0][0] == 0.0 and pts[-1][0] == 1.0, "taper must span SoC 0 to 1", "taper")
        slopes = [
            (f1 - f0) / (s1 - s0) for (s0, f0), (s1, f1) in itertools.pairwise(pts) if s1 > s0
        ]
        _need(
            all(s1 > s0 for (s0, _), (s1, _) in itertools.pairwise(pts)),
            "taper SoC points must increase",
            "taper",
        )
        _need(
            all(b <= a + 1e-12 for a, b in itertools.pairwise(slopes)),
            "taper must be concave (its slope may only fall as SoC rises)",
            "taper",
        )

    def fraction(self, soc: float) -> float:
        """Power fraction allowed at a state of charge (clamped to [0, 1])."""
        soc = min(max(soc, 0.0), 1.0)
        for (s0, f0), (s1, f1) in zip(self.points, self.points[1:], strict=False):
            if soc <= s1:
                return f0 + (f1 - f0) * (soc - s0) / (s1 - s0)
        return self.points[-1][1]

    def lines(self) -> list[tuple[float, float]]:
        """``(intercept, slope)`` of each falling segment: fraction <= a + b * soc."""
        out = []
        for (s0, f0), (s1, f1) in zip(self.points, self.points[1:], strict=False):
            slope = (f1 - f0) / (s1 - s0)
            if slope < 0:
                out.append((f0 - slope * s0, slope))
        return out


@dataclass(frozen=True, slots=True)
class ChargeRequest:
    """One van's night: when it is at the depot, what it holds and what its route needs.

    ``energy_needed_wh`` is the energy the battery must hold at departure (route energy plus
    reserve); ``ceiling_wh`` caps what the scheduler may put in (e.g. 90 % of the battery, unless
    the route needs more). ``charger_id`` pins the van to one charger (a fixed parking bay).
    """

    vehicle_id: str
    battery_wh: float
    arrival_s: float
    departure_s: float
    soc_arrival: float
    energy_needed_wh: float
    max_ac_power_w: float = 11_000.0
    max_dc_power_w: float = 50_000.0
    ceiling_wh: float | None = None
    charger_id: str | None = None
    taper: Taper = field(default_factory=Taper)

    def __post_init__(self) -> None:
        owner = f"van {self.vehicle_id}"
        _need(bool(self.vehicle_id), "vehicle_id must not be empty", "vehicle_id")
        for name in (
            "battery_wh",
            "arrival_s",
            "departure_s",
            "energy_needed_wh",
            "max_ac_power_w",
            "max_dc_power_w",
        ):
            _finite_non_negative(getattr(self, name), name, owner)
        _need(self.battery_wh > 0, f"{owner}: battery_wh must be positive", "battery_wh")
        _need(
            self.departure_s > self.arrival_s,
            f"{owner}: departure ({self.departure_s:.0f} s) is not after arrival "
            f"({self.arrival_s:.0f} s)",
            "departure",
        )
        _need(
            0.0 <= self.soc_arrival <= 1.0,
            f"{owner}: soc_arrival must lie in [0, 1], got {self.soc_arrival}",
            "soc_arrival",
        )
        _need(
            self.energy_needed_wh <= self.battery_wh,
            f"{owner}: needs {self.energy_needed_wh:.0f} Wh but its battery holds only "
            f"{self.battery_wh:.0f} Wh",
            "energy_needed_wh",
        )
        if self.ceiling_wh is not None:
            _finite_non_negative(self.ceiling_wh, "ceiling_wh", owner)

    @property
    def energy_arrival_wh(self) -> float:
        return self.soc_arrival * self.battery_wh

    @property
    def cap_wh(self) -> float:
        """Most energy the battery may hold at departure: the ceiling, raised to the need."""
        ceiling = self.battery_wh if self.ceiling_wh is None else self.ceiling_wh
        return min(self.battery_wh, max(ceiling, self.energy_needed_wh))

    @property
    def required_wh(self) -> float:
        """Energy the depot must deliver for the route."""
        return max(0.0, self.energy_needed_wh - self.energy_arrival_wh)

    @property
    def room_wh(self) -> float:
        """Energy the depot may deliver at most."""
        return max(0.0, self.cap_wh - self.energy_arrival_wh)

    def max_power_w(self, current: CurrentKind) -> float:
        return self.max_dc_power_w if current == "DC" else self.max_ac_power_w


@dataclass(frozen=True, slots=True)
class Connector:
    """One plug of a depot charger; ``id`` is ``"<charger_id>/<n>"`` with OCPP's 1-based n."""

    charger_id: str
    number: int
    power_w: float
    current: CurrentKind = "AC"

    def __post_init__(self) -> None:
        owner = f"charger {self.charger_id}"
        _finite_non_negative(self.power_w, "power_w", owner)
        _need(self.power_w > 0, f"{owner}: power_w must be positive", "power_w")
        _need(self.number >= 1, f"{owner}: connector numbers start at 1", "connector")

    @property
    def id(self) -> str:
        return f"{self.charger_id}/{self.number}"


@dataclass(frozen=True, slots=True)
class DepotProblem:
    """A night at one depot: requests, connectors, site limit, base load and tariff.

    ``base_load_w`` is the building's own load per slot (empty: none); ``start_s`` and
    ``num_slots`` fix the slot grid, which covers every request unless given explicitly.
    """

    requests: tuple[ChargeRequest, ...]
    connectors: tuple[Connector, ...]
    site_limit_w: float
    tariff: Tariff = field(default_factory=Tariff)
    slot_s: float = 900.0
    efficiency: float = 0.93
    base_load_w: tuple[float, ...] = ()
    start_s: float | None = None
    num_slots: int | None = None
    staffed_s: tuple[tuple[float, float], ...] = ()

    def __post_init__(self) -> None:
        for a, b in self.staffed_s:
            _need(
                0 <= a < DAY_S and 0 < b - a <= DAY_S,
                f"depot: staffed hours ({a:.0f} s, {b:.0f} s) must start within the day and "
                "last more than nothing and at most a day",
                "staffed",
            )
        _finite_non_negative(self.site_limit_w, "site_limit_w", "depot")
        _need(self.site_limit_w > 0, "depot: site_limit_w must be positive", "site_limit_w")
        _need(self.slot_s >= 60, f"slot length must be at least 60 s, got {self.slot_s}", "slot_s")
        _need(0 < self.efficiency <= 1, "efficiency must lie in (0, 1]", "efficiency")
        for b in self.base_load_w:
            _finite_non_negative(b, "base_load_w", "depot")
        ids = [r.vehicle_id for r in self.requests]
        dup = {i for i in ids if ids.count(i) > 1}
        _need(not dup, f"duplicate vehicle_id {sorted(dup)}", "vehicle_id")
        cids = [c.id for c in self.connectors]
        _need(len(set(cids)) == len(cids), "duplicate connector", "connector")
        chargers = {c.charger_id for c in self.connectors}
        for r in self.requests:
            _need(
                r.charger_id is None or r.charger_id in chargers,
                f"van {r.vehicle_id}: unknown charger id {r.charger_id!r} "
                f"(known: {', '.join(sorted(chargers))})",
                "charger_id",
            )

    @property
    def grid_start_s(self) -> float:
        if self.start_s is not None:
            return self.start_s
        if not self.requests:
            return 0.0
        return math.floor(min(r.arrival_s for r in self.requests) / self.slot_s) * self.slot_s

    @property
    def grid_num_slots(self) -> int:
        if self.num_slots is not None:
            return self.num_slots
        if not self.requests:
            return 1
        end = max(r.departure_s for r in self.requests)
        return max(1, math.ceil((end - self.grid_start_s) / self.slot_s - 1e-9))

    def slot_starts(self) -> list[float]:
        return [self.grid_start_s + k * self.slot_s for k in range(self.grid_num_slots)]

    def prices_per_kwh(self) -> list[float]:
        """Tariff price at the middle of each slot."""
        return [self.tariff.price_at(t + self.slot_s / 2) for t in self.slot_starts()]

    def base_load(self, k: int) -> float:
        return self.base_load_w[k] if k < len(self.base_load_w) else 0.0

    def site_headroom_w(self) -> list[float]:
        """Power left for charging in each slot once the building has taken its share."""
        return [max(0.0, self.site_limit_w - self.base_load(k)) for k in range(self.grid_num_slots)]

    def connector(self, connector_id: str) -> Connector:
        for c in self.connectors:
            if c.id == connector_id:
                return c
        raise InvalidInput(f"unknown connector {connector_id!r}", field="connector_id")

    def request(self, vehicle_id: str) -> ChargeRequest:
        for r in self.requests:
            if r.vehicle_id == vehicle_id:
                return r
        raise InvalidInput(f"unknown vehicle {vehicle_id!r}", field="vehicle_id")


def rate_w(request: ChargeRequest, connector: Connector) -> float:
    """Power a van can draw on a connector: the lower of the two limits."""
    return min(connector.power_w, request.max_power_w(connector.current))


def availability(start_s: float, slot_s: float, a_s: float, b_s: float) -> float:
    """Fraction of the slot ``[start_s, start_s + slot_s)`` that lies inside ``[a_s, b_s]``."""
    lo = max(start_s, a_s)
    hi = min(start_s + slot_s, b_s)
    return max(0.0, hi - lo) / slot_s
