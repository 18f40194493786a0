"""``voltvan plan`` on a multi-depot day: parts in worker processes, one total time limit."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from voltvan.scenario import generate_metro_scenario, write_scenario

LIMIT_S = 5.0
SLACK_S = 30.0
"""Starting Python and two workers, reading, checking and writing, on a shared machine."""


def test_plan_a_multi_depot_day_within_its_time_limit(tmp_path: Path) -> None:
    """A three-depot day with --time-limit 5 on two workers ends before 5 + 30 s, the checker
    accepts it (exit 0) and plan.json serves every stop once or names why not."""
    day = generate_metro_scenario(num_stops=150, num_vans=6, num_depots=3, seed=4)
    folder = write_scenario(day, tmp_path / "d")
    out = tmp_path / "out"
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-c", "from voltvan.cli import main; main()", "plan", str(folder),
         "--time-limit", str(LIMIT_S), "--workers", "2", "--out", str(out)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    elapsed = time.monotonic() - started
    assert run.returncode == 0, run.stdout + run.stderr
    assert elapsed < LIMIT_S + SLACK_S
    plan = json.loads((out / "plan.json").read_text())
    assert plan["stats"]["workers"] == 2
    assert {p["depot"] for p in plan["stats"]["parts"]} == {"D01", "D02", "D03"}
    served = Counter(v["location_id"] for r in plan["routes"] for v in r["visits"]
                     if v["kind"] == "stop")  # fmt: skip
    listed = Counter(u["stop_id"] for u in plan["unassigned"])
    assert served + listed == Counter(s.id for s in day.stops)
    assert all(u["reason"] for u in plan["unassigned"])
    assert "parts planned" not in run.stdout  # the bar is transient; the summary stays
    assert "independent check" in run.stdout


def test_the_cli_default_split_size_is_the_planners() -> None:
    """``--max-stops-per-solve`` defaults to the planner's constant (kept apart for start-up)."""
    from voltvan.cli._plan import DayOptions
    from voltvan.planning import MAX_STOPS_PER_SOLVE

    assert DayOptions().max_stops_per_solve == MAX_STOPS_PER_SOLVE
