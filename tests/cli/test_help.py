"""What a new user sees first: ``--version`` and help pages whose switches read as switches."""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib.metadata import version
from typing import Any

import pytest
import typer
from typer.core import TyperGroup, TyperOption
from typer.testing import CliRunner

from voltvan.cli import app

runner = CliRunner()

#: Commands that print rows for machines as well as people.
MACHINE_READABLE = {
    ("report", "trips"),
    ("report", "energy"),
    ("report", "charging"),
    ("report", "alerts"),
    ("query",),
}


def _commands(cmd: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, cmd
    if isinstance(cmd, TyperGroup):
        for name, sub in cmd.commands.items():
            yield from _commands(sub, (*path, name))


def _switches(cmd: Any) -> list[TyperOption]:
    return [
        p for p in cmd.params if isinstance(p, TyperOption) and p.type_descriptor.annotation is bool
    ]


COMMANDS = list(_commands(typer.main.get_command(app)))


def test_the_tree_is_walked() -> None:
    """The walk reaches the nested commands (else the tests below would check little)."""
    paths = {p for p, _ in COMMANDS}
    assert paths >= MACHINE_READABLE
    assert ("scenario", "generate") in paths and ("store", "retain") in paths


def test_version_prints_the_package_version() -> None:
    """`voltvan --version` prints the installed distribution's version and exits 0."""
    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0, r.output
    assert r.output.strip() == f"voltvan {version('voltvan')}"


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda p: " ".join(p) or "voltvan")
def test_help_shows_switches_without_a_value(path: tuple[str, ...]) -> None:
    """No option in any help page reads `--flag <bool>`; every boolean option is a switch."""
    cmd = dict(COMMANDS)[path]
    r = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "100"})
    assert r.exit_code == 0, r.output
    assert "<bool>" not in r.output
    for param in _switches(cmd):
        assert param.is_flag, f"{path} {param.name} takes a value"
        flag = param.opts[0]
        line = next(x for x in r.output.splitlines() if re.search(rf"{flag}(\s|$)", x))
        assert not re.search(rf"{flag}\s+<", line), line


def test_some_switches_are_checked() -> None:
    """The switch check above has switches to check: --csv, --json, --debug, --calibrate."""
    flags = {o for _, cmd in COMMANDS for p in _switches(cmd) for o in p.opts}
    assert {"--csv", "--json", "--debug", "--version", "--calibrate"} <= flags


@pytest.mark.parametrize("path", sorted(MACHINE_READABLE), ids=" ".join)
def test_reports_offer_csv_and_json(path: tuple[str, ...]) -> None:
    """Every command that prints rows has both --csv and --json."""
    cmd = dict(COMMANDS)[path]
    opts = {o for p in cmd.params for o in getattr(p, "opts", [])}
    assert {"--csv", "--json"} <= opts
