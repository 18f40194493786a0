"""MkDocs hooks that generate the pages no one should copy by hand.

* ``reference/cli.md``: ``voltvan --help`` and every subcommand's ``--help``, as the command
  prints them when the site is built;
* ``reference/api/<package>.md``: one mkdocstrings page per public package of ``voltvan``;
* ``lessons/<NN_slug>.md``: each academy lesson, executed top to bottom in a fresh folder, its
  markdown cells as text and each code cell followed by what it printed.

Listed in ``mkdocs.yml`` under ``hooks``; nothing here downloads anything.
"""

from __future__ import annotations

import importlib
import inspect
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import typer
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "src" / "voltvan" / "academy" / "lessons"
#: Packages whose public names make up the API reference, in layer order.
API_PACKAGES = (
    "domain",
    "errors",
    "energy",
    "travel",
    "catalog",
    "scenario",
    "plan",
    "telemetry",
    "planning",
    "check",
    "charging",
    "ops",
    "twin",
    "report",
    "benchmarks",
    "console",
    "web",
    "academy",
)
CELL = re.compile(r"^# %%(?P<markdown> \[markdown\])?.*$", re.MULTILINE)
MARK = "<<<voltvan-docs-cell-{}>>>"


# -- CLI reference --------------------------------------------------------------------------


def _commands(cmd: Any, path: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Every command path under ``cmd`` (a click group as Typer builds it), depth first."""
    found = [path]
    subcommands = getattr(cmd, "commands", {})
    for name in sorted(subcommands):
        if not subcommands[name].hidden:
            found += _commands(subcommands[name], (*path, name))
    return found


def cli_reference() -> str:
    """Every command's help, as ``voltvan ... --help`` prints it on an 100-column terminal."""
    from typer.testing import CliRunner

    from voltvan.cli import app

    group = typer.main.get_command(app)
    runner = CliRunner()
    env = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    parts = [
        "# Command line reference\n",
        "Generated from `voltvan --help` and each command's `--help` when this site was built.\n",
    ]
    for path in _commands(group, ()):
        result = runner.invoke(app, [*path, "--help"], env=env, prog_name="voltvan")
        if result.exit_code != 0:
            raise RuntimeError(f"voltvan {' '.join(path)} --help failed: {result.output}")
        title = " ".join(("voltvan", *path))
        parts.append(f"## `{title}`\n\n```text\n{result.output.rstrip()}\n```\n")
    return "\n".join(parts)


# -- API reference --------------------------------------------------------------------------


def public_names(package: str) -> list[str]:
    """The classes and functions a package exports (its ``__all__``, else its public names),
    in the order it imports them: the package's ``__init__`` is the public surface."""
    module = importlib.import_module(f"voltvan.{package}")
    names = getattr(module, "__all__", None) or [n for n in vars(module) if not n.startswith("_")]
    return [
        n
        for n in names
        if (inspect.isclass(getattr(module, n)) or inspect.isfunction(getattr(module, n)))
        and getattr(getattr(module, n), "__module__", "").startswith("voltvan")
    ]


def api_page(package: str) -> str:
    members = ", ".join(public_names(package))
    return (
        f"# `voltvan.{package}`\n\n::: voltvan.{package}\n"
        f"    options:\n      filters: []\n      members: [{members}]\n"
    )


# -- lessons --------------------------------------------------------------------------------


def split_cells(source: str) -> list[tuple[str, str]]:
    """``(kind, text)`` per jupytext percent cell; kind is ``markdown`` or ``code``."""
    cells = []
    starts = list(CELL.finditer(source))
    for k, match in enumerate(starts):
        end = starts[k + 1].start() if k + 1 < len(starts) else len(source)
        body = source[match.end() : end].strip("\n")
        if match.group("markdown"):
            text = "\n".join(re.sub(r"^# ?", "", line) for line in body.splitlines())
            cells.append(("markdown", text))
        elif body.strip():
            cells.append(("code", body))
    return cells


RUNNER = """
import sys
cells = {cells!r}
namespace = {{"__name__": "__main__"}}
for k, code in enumerate(cells):
    print({mark!r}.format(k), flush=True)
    exec(compile(code, "lesson.py", "exec"), namespace)
    sys.stdout.flush()
"""


def run_lesson(path: Path) -> list[str]:
    """Run the lesson's code cells in one namespace, in a fresh folder; output per code cell."""
    cells = [text for kind, text in split_cells(path.read_text("utf-8")) if kind == "code"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "100", "NO_COLOR": "1"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    with tempfile.TemporaryDirectory(prefix="voltvan-docs-lesson-") as tmp:
        done = subprocess.run(
            [sys.executable, "-c", RUNNER.format(cells=cells, mark=MARK)],
            cwd=tmp,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    if done.returncode != 0:
        tail = f"{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
        raise RuntimeError(f"lesson {path.parent.name} failed:\n{tail}")
    outputs = re.split(r"^<<<voltvan-docs-cell-\d+>>>\n", done.stdout, flags=re.MULTILINE)
    return outputs[1:]


def lesson_page(path: Path) -> str:
    outputs = iter(run_lesson(path))
    parts = []
    for kind, text in split_cells(path.read_text("utf-8")):
        if kind == "markdown":
            parts.append(text + "\n")
            continue
        parts.append(f"```python\n{text}\n```\n")
        out = next(outputs, "").rstrip()
        if out:
            parts.append(f'```text title="output"\n{out}\n```\n')
    source = path.relative_to(ROOT)
    parts.append(
        f"*This page is `{source}`, run when the site was built. "
        f"`voltvan academy start {int(path.parent.name[:2])}` gives you its exercise.*\n"
    )
    return "\n".join(parts)


# -- hooks ----------------------------------------------------------------------------------


def on_files(files: Files, config: Any) -> Files:
    """Add the generated pages to the site."""
    pages = {"reference/cli.md": cli_reference()}
    for package in API_PACKAGES:
        pages[f"reference/api/{package}.md"] = api_page(package)
    if os.environ.get("VOLTVAN_DOCS_LESSONS", "1") != "0":
        for lesson in sorted(LESSONS.glob("[0-9][0-9]_*/lesson.py")):
            pages[f"lessons/{lesson.parent.name}.md"] = lesson_page(lesson)
    for uri, content in pages.items():
        files.append(File.generated(config, uri, content=content))
    return files
