"""A pytest plugin: where the environment variable CI is set, any skipped test fails the run.

A skip hides a missing tool (Mosquitto, chromium, openssl) as quietly as a missing feature. Locally
skips still only show in the summary; in CI, which installs everything, each one is a failure,
named with its reason so the fix (what to install) is in the log.
"""

from __future__ import annotations

import os

import pytest

_SKIPPED: list[tuple[str, str]] = []


def ci_forbids_skips() -> bool:
    """CI=true (any value but empty, 0, false or no) turns skips into a failed run."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _record(report: pytest.TestReport | pytest.CollectReport) -> None:
    if not report.skipped or hasattr(report, "wasxfail"):  # an expected failure is no skip
        return
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    _SKIPPED.append((report.nodeid, reason.removeprefix("Skipped: ")))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _record(report)


def pytest_collectreport(report: pytest.CollectReport) -> None:
    _record(report)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not (ci_forbids_skips() and _SKIPPED):
        return
    terminalreporter.section("skipped tests fail the run where CI is set", red=True, bold=True)
    for nodeid, reason in _SKIPPED:
        terminalreporter.line(f"{nodeid}: {reason}", red=True)
    terminalreporter.line(
        f"{len(_SKIPPED)} skipped with CI set: install what each reason names "
        "(.ci/run installs mosquitto, chromium and openssl), or unset CI to run locally."
    )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if ci_forbids_skips() and _SKIPPED and exitstatus in (0, pytest.ExitCode.NO_TESTS_COLLECTED):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
