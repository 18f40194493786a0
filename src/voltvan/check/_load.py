"""Which parcels a van carries when: loaded at the start or at a depot reload, unloaded at a stop.

Each parcel (one per stop) is loaded at the last loading point (the route's start or a ``reload``
visit) before the first visit to its stop, and leaves the van at its ``stop`` visit. A parcel whose
delivery ``failed`` and is not retried on the route stays on board back to the depot.

A re-planned route (one with a history: a ``resume`` visit, or out of service) may also carry
parcels it never delivers: a van that broke down carried those of the stops it never reached
(they go back to the depot for another van), and a van that ran out of time brings back what no
longer fits its day (listed unassigned). What it loaded at a loading point of its history (the
start, or a reload before its last ``resume``) is then what it says, if not less than its own
stops: the reported load on leaving, less what was on board on arrival.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from voltvan.check._result import Violation
from voltvan.domain import Stop, Van, VehicleType
from voltvan.plan import Route

LOAD_TOL = 1e-6


@dataclass(frozen=True, slots=True)
class Loading:
    """Cargo (kg, m³) loaded at each loading point, by visit index (0 = start)."""

    loaded: Mapping[int, tuple[float, float]]
    on_board_after: Mapping[int, tuple[float, float]]
    """Cargo on board on leaving each loading point: what capacity must hold."""

    def peaks(self) -> Iterator[tuple[float, float]]:
        yield from self.on_board_after.values()


def parcel_loading(route: Route, stops: Mapping[str, Stop]) -> Loading:
    """Replay the parcels of ``route`` (unknown stops carry nothing; coverage reports them)."""
    loaded: dict[int, tuple[float, float]] = {0: (0.0, 0.0)}
    point = 0
    seen: set[str] = set()
    for k, visit in enumerate(route.visits):
        if visit.kind == "reload":
            point = k
            loaded[k] = (0.0, 0.0)
        elif visit.kind in ("stop", "failed") and visit.location_id not in seen:
            seen.add(visit.location_id)
            stop = stops.get(visit.location_id)
            if stop is not None:
                kg, m3 = loaded[point]
                loaded[point] = (kg + stop.weight_kg, m3 + stop.volume_m3)
    _history_loads(route, loaded)
    on_board: dict[int, tuple[float, float]] = {}
    kg = m3 = 0.0
    for k, visit in enumerate(route.visits):
        if k in loaded:
            kg, m3 = kg + loaded[k][0], m3 + loaded[k][1]
            on_board[k] = (kg, m3)
        if visit.kind == "stop" and visit.location_id in stops:
            kg -= stops[visit.location_id].weight_kg
            m3 -= stops[visit.location_id].volume_m3
    return Loading(loaded=loaded, on_board_after=on_board)


def _history_loads(route: Route, loaded: dict[int, tuple[float, float]]) -> None:
    v = route.visits
    end = len(v) if route.out_of_service_s is not None else route.resume_index
    if end is None:
        return
    for k in [k for k in loaded if k < end]:
        if k == 0:
            said = (v[0].load_kg, v[0].load_m3)
        elif k + 1 < len(v):
            said = (v[k + 1].load_kg - v[k].load_kg, v[k + 1].load_m3 - v[k].load_m3)
        else:
            continue
        loaded[k] = (max(loaded[k][0], said[0]), max(loaded[k][1], said[1]))


def check_capacity(loading: Loading, van: Van, vt: VehicleType) -> list[Violation]:
    """Weight and volume on board after each loading point within the van's payload and cargo."""
    out: list[Violation] = []
    for kg, m3 in loading.peaks():
        _check_cargo(kg, m3, van, vt, out)
    return out


def _check_cargo(kg: float, m3: float, van: Van, vt: VehicleType, out: list[Violation]) -> None:
    if kg > vt.payload_kg + LOAD_TOL:
        out.append(
            Violation(
                van.id, "", "capacity", f"load {kg:.1f} kg exceeds payload {vt.payload_kg:.1f} kg"
            )
        )
    if m3 > vt.volume_m3 + LOAD_TOL:
        out.append(
            Violation(
                van.id, "", "capacity", f"load {m3:.2f} m3 exceeds cargo {vt.volume_m3:.2f} m3"
            )
        )
