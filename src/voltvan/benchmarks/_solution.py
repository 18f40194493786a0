"""The benchmark solution JSON: ``{"routes": [[visit, ...], ...]}``, format version 1.

A visit is a node id string, or ``{"node": "S5", "charge": 12.5}`` for a charging stop with the
energy charged (in the instance's energy unit). Routes do not list the depot. The same file is read
by the independent checker ``check_evrptw.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from voltvan.planning.ev import EvInstance, EvSolution

FORMAT_VERSION = 1


def solution_to_json(instance: EvInstance, solution: EvSolution) -> dict[str, Any]:
    routes: list[list[str | dict[str, Any]]] = []
    for route in solution.routes:
        visits: list[str | dict[str, Any]] = []
        for node, charge in zip(route.visits, route.charge_wh, strict=True):
            name = instance.names[node]
            if instance.is_station(node):
                visits.append({"node": name, "charge": round(float(charge), 9)})
            else:
                visits.append(name)
        routes.append(visits)
    out: dict[str, Any] = {
        "version": FORMAT_VERSION,
        "routes": routes,
        "vehicles": len(solution.routes),
        "distance": round(float(solution.distance), 6),
        "feasible": bool(solution.is_feasible),
    }
    if solution.unassigned:
        out["unassigned"] = [instance.names[n] for n in solution.unassigned]
    return out


def write_solution(path: str | Path, instance: EvInstance, solution: EvSolution) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(solution_to_json(instance, solution), indent=1) + "\n")
