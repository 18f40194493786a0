"""tests/ci_skips.py: with CI set a skipped test fails the run and is named; without CI it shows."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

PASSES = "import pytest\n\ndef test_runs():\n    assert True\n"
SKIPS = (
    '\ndef test_needs_a_tool():\n    pytest.skip("no frobnicator (Debian package frobnicator)")\n'
)
XFAILS = (
    '\n@pytest.mark.xfail(reason="known", strict=True)\n'
    "def test_expected_to_fail():\n    assert False\n"
)
INNER = PASSES + SKIPS + XFAILS


def _run(tmp_path: Path, source: str, ci: str | None) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_inner.py").write_text(source)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "tests.ci_skips",
         "-rs", "test_inner.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip


def test_a_skip_fails_the_run_in_ci_naming_test_and_reason(tmp_path: Path) -> None:
    run = _run(tmp_path, INNER, ci="true")
    assert run.returncode == 1, run.stdout
    assert "skipped tests fail the run where CI is set" in run.stdout
    assert (
        "test_inner.py::test_needs_a_tool: no frobnicator (Debian package frobnicator)"
        in run.stdout
    )
    assert "1 skipped with CI set" in run.stdout


def test_without_ci_a_skip_only_shows(tmp_path: Path) -> None:
    for ci in (None, "", "false", "0"):
        run = _run(tmp_path, INNER, ci=ci)
        assert run.returncode == 0, (ci, run.stdout)
        assert "1 passed, 1 skipped, 1 xfailed" in run.stdout
        assert "fail the run where CI is set" not in run.stdout


def test_an_expected_failure_is_no_skip_in_ci(tmp_path: Path) -> None:
    run = _run(tmp_path, PASSES + XFAILS, ci="true")
    assert run.returncode == 0, run.stdout
    assert "1 passed, 1 xfailed" in run.stdout


def test_a_skipped_module_fails_the_run_in_ci(tmp_path: Path) -> None:
    run = _run(tmp_path, 'import pytest\npytest.skip("no", allow_module_level=True)\n', ci="1")
    assert run.returncode == 1, run.stdout
    assert "test_inner.py: no" in run.stdout
