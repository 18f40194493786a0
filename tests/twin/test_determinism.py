"""Same seed, same result, byte for byte; another seed, another result."""

from __future__ import annotations

from pathlib import Path

from tests.report.plans import city_day
from voltvan.twin import TwinParams, simulate, twin_document, write_outputs

NOISY = TwinParams(fail_share=0.1, charger_outage=0.3)


def _write(out: Path, *, seed: int, days: int = 4) -> tuple[bytes, bytes]:
    plan, scenario = city_day(3, 24)
    run = simulate(scenario, plan, days=days, seed=seed, params=NOISY)
    json_path, html_path = write_outputs(twin_document(run, plan, scenario), out)
    return json_path.read_bytes(), html_path.read_bytes()


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    assert _write(tmp_path / "a", seed=7) == _write(tmp_path / "b", seed=7)


def test_another_seed_another_day(tmp_path: Path) -> None:
    assert _write(tmp_path / "a", seed=7)[0] != _write(tmp_path / "b", seed=8)[0]


def test_a_day_does_not_depend_on_how_many_days_run() -> None:
    """Each day has its own streams: day 2 of a 3-day run is day 2 of a 6-day run."""
    plan, scenario = city_day(3, 24)
    short = simulate(scenario, plan, days=3, seed=5, params=NOISY)
    long = simulate(scenario, plan, days=6, seed=5, params=NOISY)
    assert short.days == long.days[:3]
    assert long.days[3] != long.days[2]
