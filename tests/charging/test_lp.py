"""The MILP that counts met vans agrees with brute force over every subset of vans."""

from __future__ import annotations

import itertools
import random

from tests.charging.conftest import NIGHT_TARIFF, request
from voltvan.charging import Connector, DepotProblem
from voltvan.charging._guided import relaxed_windows
from voltvan.charging._lp import most_vans_met, solve_lp


def _all_met(problem: DepotProblem, vans: tuple[str, ...]) -> bool:
    """Can these vans alone all get their whole need (others stay unplugged)?"""
    windows = {v: w for v, w in relaxed_windows(problem).items() if v in vans}
    res = solve_lp(problem, windows, occupancy_limit=len(problem.connectors))
    return all(res.shortfall_wh[v] < 1.0 for v in vans)


def test_most_vans_met_matches_brute_force_on_random_small_nights() -> None:
    """Five vans under a tight site, three seeds: the MILP's count is the largest subset the
    LP can meet in full, and the vans it picks can indeed all be met together."""
    for seed in range(3):
        rng = random.Random(seed)
        reqs = tuple(
            request(
                f"V{i}",
                rng.choice([18, 19, 20, 21]),
                rng.choice([23, 24, 26, 28]),
                rng.choice([0.1, 0.2, 0.3]),
                rng.choice([30_000, 40_000, 50_000]),
            )
            for i in range(5)
        )
        plugs = tuple(Connector("CP1", j + 1, 11_000) for j in range(3))
        p = DepotProblem(reqs, plugs, site_limit_w=14_000, tariff=NIGHT_TARIFF)
        found = most_vans_met(p, relaxed_windows(p))
        assert found is not None
        chosen, proven = found
        assert proven
        ids = tuple(r.vehicle_id for r in reqs)
        brute = max(
            (
                n
                for n in range(len(ids) + 1)
                for sub in itertools.combinations(ids, n)
                if _all_met(p, sub)
            ),
            default=0,
        )
        assert len(chosen) == brute
        assert _all_met(p, tuple(sorted(chosen)))
