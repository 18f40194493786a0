"""The depot schedule as data, its versioned JSON form (docs/formats/schedule.md) and its cost.

The JSON carries enough of the problem (battery, limits, taper, connectors, tariff) that the
OCPP server can re-plan from it alone, without the scenario files.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from voltvan.charging._model import ChargeRequest, Connector, DepotProblem, Taper
from voltvan.domain import Tariff, TariffPeriod
from voltvan.errors import InvalidInput
from voltvan.files import read_json, write_atomic

SCHEDULE_FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class VanPlan:
    """One van's night in the schedule; ``power_w`` is battery-side power per slot."""

    vehicle_id: str
    connector_id: str | None
    plug_in: float | None
    plug_out: float | None
    arrival: float
    departure: float
    soc_arrival: float
    battery_wh: float
    energy_needed_wh: float
    energy_delivered_wh: float
    shortfall_wh: float
    cap_wh: float
    max_ac_power_w: float
    max_dc_power_w: float
    power_w: tuple[float, ...]
    taper: tuple[tuple[float, float], ...] = ()
    charger_id: str | None = None

    @property
    def soc_departure(self) -> float:
        return (self.soc_arrival * self.battery_wh + self.energy_delivered_wh) / self.battery_wh


@dataclass(frozen=True, slots=True)
class Schedule:
    """Who charges where and when, the site power per slot, the cost and the shortfalls."""

    start_s: float
    slot_s: float
    site_limit_w: float
    efficiency: float
    prices_per_kwh: tuple[float, ...]
    base_load_w: tuple[float, ...]
    vans: tuple[VanPlan, ...]
    connectors: tuple[Connector, ...]
    tariff: Tariff
    shortfalls: tuple[Mapping[str, Any], ...] = ()
    stats: Mapping[str, Any] = field(default_factory=dict)
    staffed_s: tuple[tuple[float, float], ...] = ()
    """When staff can re-plug vans (time of day, repeating); empty: any time."""

    @property
    def num_slots(self) -> int:
        return len(self.prices_per_kwh)

    def slot_start(self, k: int) -> float:
        return self.start_s + k * self.slot_s

    def site_power_w(self) -> list[float]:
        """Grid power per slot: base load plus every van's power over the charger efficiency."""
        out = [
            self.base_load_w[k] if k < len(self.base_load_w) else 0.0 for k in range(self.num_slots)
        ]
        for v in self.vans:
            for k, p in enumerate(v.power_w):
                out[k] += p / self.efficiency
        return out

    def cost(self) -> dict[str, float]:
        """Energy cost of the charging, demand charge on the site peak, and their sum."""
        slot_h = self.slot_s / 3600.0
        site = self.site_power_w()
        energy = 0.0
        for v in self.vans:
            for k, p in enumerate(v.power_w):
                energy += p / self.efficiency * slot_h / 1000.0 * self.prices_per_kwh[k]
        peak_kw = max(site, default=0.0) / 1000.0
        demand = peak_kw * self.tariff.demand_charge_per_kw
        return {"energy": energy, "demand": demand, "total": energy + demand, "peak_kw": peak_kw}

    def van(self, vehicle_id: str) -> VanPlan:
        for v in self.vans:
            if v.vehicle_id == vehicle_id:
                return v
        raise InvalidInput(f"the schedule has no van {vehicle_id!r}", field="vehicle_id")

    def to_dict(self) -> dict[str, Any]:
        site = self.site_power_w()
        return {
            "version": SCHEDULE_FORMAT_VERSION,
            "start_s": self.start_s,
            "slot_s": self.slot_s,
            "site_limit_w": self.site_limit_w,
            "efficiency": self.efficiency,
            "currency": self.tariff.currency,
            "cost": self.cost(),
            "slots": [
                {
                    "start": self.slot_start(k),
                    "site_power_w": site[k],
                    "base_load_w": self.base_load_w[k] if k < len(self.base_load_w) else 0.0,
                    "price_per_kwh": self.prices_per_kwh[k],
                }
                for k in range(self.num_slots)
            ],
            "vans": [dict(asdict(v), soc_departure=v.soc_departure) for v in self.vans],
            "connectors": [
                {
                    "connector_id": c.id,
                    "charger_id": c.charger_id,
                    "number": c.number,
                    "power_w": c.power_w,
                    "current": c.current,
                }
                for c in self.connectors
            ],
            "tariff": {
                "periods": [asdict(p) for p in self.tariff.periods],
                "demand_charge_per_kw": self.tariff.demand_charge_per_kw,
                "currency": self.tariff.currency,
            },
            "shortfalls": [dict(s) for s in self.shortfalls],
            "staffed": [{"start_s": a, "end_s": b} for a, b in self.staffed_s],
            "stats": dict(self.stats),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "schedule") -> Schedule:
        version = data.get("version")
        if version != SCHEDULE_FORMAT_VERSION:
            raise InvalidInput(
                f"schedule format version {version!r} is not supported "
                f"(this voltvan reads version {SCHEDULE_FORMAT_VERSION})",
                file=source,
                field="version",
            )
        try:
            vans = tuple(
                VanPlan(
                    **{
                        **{k: v for k, v in d.items() if k != "soc_departure"},
                        "power_w": tuple(float(p) for p in d["power_w"]),
                        "taper": tuple((float(a), float(b)) for a, b in d.get("taper", ())),
                    }
                )
                for d in data["vans"]
            )
            connectors = tuple(
                Connector(c["charger_id"], int(c["number"]), float(c["power_w"]), c["current"])
                for c in data["connectors"]
            )
            t = data["tariff"]
            tariff = Tariff(
                periods=tuple(TariffPeriod(**p) for p in t["periods"]),
                demand_charge_per_kw=float(t["demand_charge_per_kw"]),
                currency=str(t.get("currency", "EUR")),
            )
            slots = data["slots"]
            return cls(
                start_s=float(data["start_s"]),
                slot_s=float(data["slot_s"]),
                site_limit_w=float(data["site_limit_w"]),
                efficiency=float(data["efficiency"]),
                prices_per_kwh=tuple(float(s["price_per_kwh"]) for s in slots),
                base_load_w=tuple(float(s.get("base_load_w", 0.0)) for s in slots),
                vans=vans,
                connectors=connectors,
                tariff=tariff,
                shortfalls=tuple(data.get("shortfalls", ())),
                stats=dict(data.get("stats", {})),
                staffed_s=tuple(
                    (float(w["start_s"]), float(w["end_s"])) for w in data.get("staffed", ())
                ),
            )
        except InvalidInput as exc:
            raise exc.at(file=source) from exc
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput(f"not a voltvan schedule: {exc!r}", file=source) from exc

    def write_json(self, path: Path) -> None:
        """Written atomically: a reader (the OCPP server) never sees half a schedule."""
        write_atomic(path, json.dumps(self.to_dict(), indent=1) + "\n")

    @classmethod
    def read_json(cls, path: Path) -> Schedule:
        return cls.from_dict(read_json(path), source=str(path))

    def to_problem(self) -> DepotProblem:
        """The problem this schedule answers, for re-planning from the schedule alone."""
        reqs = tuple(
            ChargeRequest(
                vehicle_id=v.vehicle_id,
                battery_wh=v.battery_wh,
                arrival_s=v.arrival,
                departure_s=v.departure,
                soc_arrival=v.soc_arrival,
                energy_needed_wh=v.energy_needed_wh,
                max_ac_power_w=v.max_ac_power_w,
                max_dc_power_w=v.max_dc_power_w,
                ceiling_wh=v.cap_wh,
                charger_id=v.charger_id,
                taper=Taper(v.taper) if v.taper else Taper(),
            )
            for v in self.vans
        )
        return DepotProblem(
            requests=reqs,
            connectors=self.connectors,
            site_limit_w=self.site_limit_w,
            tariff=self.tariff,
            slot_s=self.slot_s,
            efficiency=self.efficiency,
            base_load_w=self.base_load_w,
            start_s=self.start_s,
            num_slots=self.num_slots,
            staffed_s=self.staffed_s,
        )
