"""Corrupted scenarios: ``scenario check`` refuses them in one line, or ``plan`` survives them.

One value of a generated day is replaced (a number of fleet.toml, a cell of stops.csv) by
something hostile: a huge, tiny, negative, non-finite or non-numeric value, or a plausible
range's very bound. Either the scenario is refused (exit 2, one line naming the file and the
field, no traceback) or it is accepted, and then ``plan --time-limit 2`` must finish in time.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voltvan.cli import _app, main
from voltvan.ranges import RANGES
from voltvan.scenario import generate_scenario, write_scenario

_KEY_LINE = re.compile(r"^(\s*)([a-z_0-9]+) = (.+)$")
_STOP_COLUMNS = ("lat", "lon", "tw_start", "tw_end", "service_s", "weight_kg", "volume_m3")
_HOSTILE = [
    0, -1, 1e308, -1e308, 1e-300, 5e-324, 2**63, 10**30, float("nan"), float("inf"),
    float("-inf"), "lots", "", True,
]  # fmt: skip
_BOUNDS = sorted({v for r in RANGES.values() for v in (r.low, r.high, r.low / 1000, r.high / 1000)})

VALUES = st.one_of(
    st.sampled_from(_HOSTILE),
    st.sampled_from(_BOUNDS),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=6),
)


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small generated day: every key of fleet.toml is written out, consumption included."""
    folder = tmp_path_factory.mktemp("day") / "base"
    write_scenario(generate_scenario(num_stops=12, num_vans=2, seed=4), folder)
    return folder


def _toml_literal(value: object) -> str:
    return tomli_w.dumps({"x": value}).split(" = ", 1)[1].strip()


def _corrupt(base: Path, into: Path, where: int, value: object, in_stops: bool) -> str:
    """Copy ``base`` into ``into`` with one value replaced; returns what was replaced."""
    shutil.rmtree(into, ignore_errors=True)
    shutil.copytree(base, into)
    if in_stops:
        path = into / "stops.csv"
        with path.open(newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        header = rows[0]
        cells = [(r, header.index(c)) for r in range(1, len(rows)) for c in _STOP_COLUMNS]
        r, c = cells[where % len(cells)]
        rows[r][c] = repr(value) if isinstance(value, float) else str(value)
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
        return f"stops.csv line {r + 1} {header[c]} = {rows[r][c]!r}"
    path = into / "fleet.toml"
    lines = path.read_text(encoding="utf-8").splitlines()
    numeric = [
        i
        for i, line in enumerate(lines)
        if (m := _KEY_LINE.match(line)) and not m.group(3).startswith(('"', "["))
    ]
    i = numeric[where % len(numeric)]
    m = _KEY_LINE.match(lines[i])
    assert m is not None
    lines[i] = f"{m.group(1)}{m.group(2)} = {_toml_literal(value)}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f"fleet.toml line {i + 1}: {lines[i]}"


def _check(folder: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr("sys.argv", ["voltvan", "scenario", "check", str(folder)])
    try:
        main()
    except SystemExit as exc:
        return int(exc.code or 0)
    finally:
        _app.state.debug = False
    return 0


def _assert_clean_refusal(code: int, err: str, folder: Path, what: str) -> None:
    assert code in (0, 2), f"{what}: exit {code}\n{err}"
    assert "Traceback" not in err, what
    if code == 2:
        last = err.strip().splitlines()[-1]
        assert last.startswith(f"InvalidInput: {folder}"), f"{what}: {last}"
        assert ", field " in last, f"{what}: no field named in {last}"


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(where=st.integers(0, 10_000), value=VALUES, in_stops=st.booleans())
def test_check_accepts_or_refuses_in_one_line(
    day: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    where: int,
    value: object,
    in_stops: bool,
) -> None:
    """Any one corrupted value: exit 0, or exit 2 with file and field; never a traceback."""
    folder = tmp_path / "day"
    what = _corrupt(day, folder, where, value, in_stops)
    code = _check(folder, monkeypatch)
    _assert_clean_refusal(code, capsys.readouterr().err, folder, what)


@pytest.mark.slow
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(where=st.integers(0, 10_000), value=st.sampled_from(_BOUNDS), in_stops=st.booleans())
def test_what_check_accepts_plan_finishes_in_time(
    day: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    where: int,
    value: float,
    in_stops: bool,
) -> None:
    """A scenario at the edge of every range either is refused or plans within its time limit
    (plus a generous margin for starting Python on a loaded machine)."""
    folder = tmp_path / "day"
    what = _corrupt(day, folder, where, value, in_stops)
    code = _check(folder, monkeypatch)
    _assert_clean_refusal(code, capsys.readouterr().err, folder, what)
    if code != 0:
        return
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-c", "from voltvan.cli import main; main()", "plan", str(folder),
         "--time-limit", "2", "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    elapsed = time.monotonic() - started
    assert run.returncode == 0, f"{what}\n{run.stderr[-2000:]}"
    assert elapsed < 2 + 30, f"{what}: plan --time-limit 2 took {elapsed:.0f} s"
