"""Every ```sh block of README.md runs as written, in a fresh folder, with ``voltvan`` on PATH.

How the blocks are run:

* In README order, each by ``bash`` in one fresh temporary folder (later blocks use what earlier
  ones wrote: ``days/cold``, ``out/cold``), with PATH starting with this interpreter's bin
  folder, where pip put ``voltvan``. Nothing in a block is rewritten: its logical lines
  (backslash continuations joined) run one after another in one shell, and after each the
  exit status is checked, so a failing line fails the test naming the block and the line —
  including the left side of ``a && b``, which ``set -e`` would let pass.
* A block must end cleanly: it runs in its own process group, which must hold no live process
  once the shell has exited (servers a block starts with ``&`` it must stop itself).
* The first block, ``make demo`` / ``make test``, is the one not run literally. ``make demo``
  runs for real, with the Makefile's ``VENV`` set to this interpreter's virtualenv and its
  install stamp declared up to date (``STAMP=installed -o installed``): the test must not
  reinstall the environment it runs in. ``make test`` is only resolved (``make -n``), since
  running the suite inside the suite would recurse; the test checks that it resolves to pytest
  and that the block says exactly these two commands.
* Services: the "Vehicle data" block needs an MQTT broker on 127.0.0.1:1883, as the README
  says, and port 8000 free for ``voltvan serve``. CI (``.ci/run``) starts the shared broker on
  1883; where none listens, the test starts a private Mosquitto there for the run. Runs of this
  test on one machine take turns (a lock file) so that they do not fight over those ports.
  Without Mosquitto (and no broker), ``make`` or ``curl`` the test is skipped, naming the
  Debian package, as the other tests needing a tool are (a failure in CI).

The plan block alone takes over a minute (2000 stops, ``--time-limit 60``) and ``make demo``
about two, so the whole test is marked slow.
"""

from __future__ import annotations

import fcntl
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
BLOCK_TIMEOUT_S = 1800.0


@dataclass(frozen=True)
class Block:
    number: int
    section: str
    lines: tuple[str, ...]  # logical lines: continuations joined, blank lines dropped

    @property
    def name(self) -> str:
        return f"README block {self.number} ({self.section})"


def sh_blocks(markdown: str) -> list[Block]:
    """The ```sh blocks of a Markdown text with the heading each stands under."""
    blocks: list[Block] = []
    section = "top"
    lines = iter(markdown.splitlines())
    for line in lines:
        if line.startswith("#"):
            section = line.lstrip("#").strip()
        elif line.strip() == "```sh":
            body: list[str] = []
            for inner in lines:
                if inner.strip() == "```":
                    break
                body.append(inner)
            joined = "\n".join(body).replace("\\\n", " ")
            logical = tuple(x.strip() for x in joined.splitlines() if x.strip())
            blocks.append(Block(len(blocks) + 1, section, logical))
    return blocks


def _script(block: Block, status_file: Path) -> str:
    """The block's lines as written, each followed by a check of its exit status."""
    record = shlex.quote(str(status_file))
    out = []
    for i, line in enumerate(block.lines):
        out.append(line)
        out.append(
            f'__rc=$?; if [ "$__rc" -ne 0 ]; then echo "{i} $__rc" > {record}; exit "$__rc"; fi'
        )
    return "\n".join(out) + "\n"


def _live_members(pgid: int) -> list[str]:
    """Processes (not zombies) still in the process group: what a block left running."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        # "pid (comm) state ppid pgrp ...": comm may hold spaces, so split after its ")"
        state, _ppid, group = text[text.rindex(")") + 2 :].split()[:3]
        if int(group) == pgid and state != "Z":
            found.append(text[: text.rindex(")") + 1])
    return found


def run_block(block: Block, cwd: Path, env: dict[str, str], log: Path) -> str | None:
    """Run one block; None when every line exits 0 and nothing is left running, else why not."""
    status = log.with_suffix(".status")
    status.unlink(missing_ok=True)
    script = log.with_suffix(".sh")
    script.write_text(_script(block, status))
    with log.open("wb") as out:
        proc = subprocess.Popen(
            ["bash", "--noprofile", "--norc", str(script)],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            code = proc.wait(timeout=BLOCK_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            code = None
    left = _live_members(proc.pid)
    if left or code is None:
        os.killpg(proc.pid, signal.SIGKILL)
    tail = log.read_text(errors="replace")[-3000:]
    if code is None:
        return f"{block.name} did not finish in {BLOCK_TIMEOUT_S:.0f} s:\n{tail}"
    if status.exists():
        index, rc = status.read_text().split()
        return f"{block.name} failed (exit {rc}) at: {block.lines[int(index)]}\n{tail}"
    if code != 0:
        return f"{block.name} failed (exit {code}):\n{tail}"
    if left:
        return f"{block.name} left processes running: {left}\n{tail}"
    return None


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@contextmanager
def _one_run_at_a_time() -> Iterator[None]:
    with (Path(tempfile.gettempdir()) / "voltvan-readme-test.lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@contextmanager
def _broker_on_1883(folder: Path) -> Iterator[None]:
    """The README's broker address: the shared one if it runs, else a private one there."""
    if _listening(1883):
        yield
        return
    from tests.telemetry.broker import MOSQUITTO, Broker

    if not Path(MOSQUITTO).exists():
        pytest.skip(f"no broker on 127.0.0.1:1883 and no {MOSQUITTO} (Debian package mosquitto)")
    broker = Broker(folder=folder, port=1883)
    folder.mkdir(parents=True)
    broker.start()
    try:
        yield
    finally:
        broker.stop()


def _make_demo_and_test(block: Block, cwd: Path, env: dict[str, str]) -> str | None:
    """The first block: ``make demo`` for real, ``make test`` resolved only (see the docstring)."""
    commands = [line.split("#")[0].strip() for line in block.lines]
    if commands != ["make demo", "make test"]:
        return f"{block.name} is no longer `make demo` / `make test`: {commands}"
    make = ["make", "-f", str(REPO / "Makefile"), f"VENV={sys.prefix}", "STAMP=installed"]
    make += ["-o", "installed"]
    demo = subprocess.run(
        [*make, "demo"], cwd=cwd, env=env, capture_output=True, text=True, timeout=1800
    )
    if demo.returncode != 0:
        return f"{block.name} failed at: make demo\n{(demo.stdout + demo.stderr)[-3000:]}"
    dry = subprocess.run([*make, "-n", "test"], cwd=cwd, env=env, capture_output=True, text=True)
    if dry.returncode != 0 or f"{BIN}/pytest" not in dry.stdout:
        return f"{block.name}: make test does not resolve to pytest:\n{dry.stdout}{dry.stderr}"
    return None


@pytest.mark.slow
@pytest.mark.mqtt
def test_every_readme_sh_block_runs_as_written(tmp_path: Path) -> None:
    """All ```sh blocks in order exit 0, stop what they start, and leave what they promise."""
    assert sys.prefix != sys.base_prefix, "run the tests from the project's virtualenv"
    assert (BIN / "voltvan").exists(), f"no voltvan command in {BIN}"
    for tool in ("make", "curl"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (Debian package {tool}); README blocks use it")
    blocks = sh_blocks((REPO / "README.md").read_text(encoding="utf-8"))
    assert len(blocks) >= 4 and any("make demo" in line for line in blocks[0].lines)
    work = tmp_path / "fresh"
    work.mkdir()
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    with _one_run_at_a_time(), _broker_on_1883(tmp_path / "broker"):
        assert not _listening(8000), "port 8000 is taken: the README's voltvan serve needs it"
        failure = _make_demo_and_test(blocks[0], work, env)
        assert failure is None, failure
        for block in blocks[1:]:
            failure = run_block(block, work, env, tmp_path / f"block-{block.number}.log")
            assert failure is None, failure
    for promised in ("out/demo/report.html", "out/cold/plan.json", "out/cold/schedule.json"):
        assert (work / promised).is_file(), f"the README's commands did not write {promised}"


def test_sh_blocks_joins_continuations_and_names_sections() -> None:
    """A continued line is one logical line; each block knows the heading above it."""
    text = "# Title\n## Run it\n\n```sh\necho a \\\n  b\n\necho c\n```\n```text\nno\n```\n"
    [block] = sh_blocks(text)
    assert block.section == "Run it"
    assert block.lines == ("echo a    b", "echo c")


def test_a_failing_line_is_named_even_before_and(tmp_path: Path) -> None:
    """``false && true`` mid-block fails the block at that line; the lines after never run."""
    block = Block(7, "demo", ("true", "false && true", "touch after"))
    failure = run_block(block, tmp_path, dict(os.environ), tmp_path / "b.log")
    assert failure is not None
    assert failure.startswith("README block 7 (demo) failed (exit 1) at: false && true")
    assert not (tmp_path / "after").exists()


def test_a_server_left_running_fails_the_block(tmp_path: Path) -> None:
    """A background process the block does not stop is reported (and killed)."""
    block = Block(2, "servers", ("sleep 300 &", "sleep 0.5"))
    failure = run_block(block, tmp_path, dict(os.environ), tmp_path / "b.log")
    assert failure is not None and "left processes running" in failure and "sleep" in failure


def test_a_block_that_stops_its_server_passes(tmp_path: Path) -> None:
    """``cmd & PID=$!`` ... ``kill $PID; wait`` is a clean end."""
    block = Block(3, "servers", ("sleep 300 & PID=$!", "kill $PID; wait"))
    assert run_block(block, tmp_path, dict(os.environ), tmp_path / "b.log") is None
