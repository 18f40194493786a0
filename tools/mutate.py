"""Mutation testing: do the tests notice when a module is broken on purpose?

For each target module in the configuration (``tools/mutation.toml``) this makes every small
mutant (see ``mutants.py``), runs only the tests mapped to that module against it, and reports
the mutants that no test noticed (survivors) and the score: killed / (all - excluded).

Isolation: each worker runs in its own temporary copy of ``src/`` that is put first on
``PYTHONPATH``; the sources in the working tree are never written to, so a crash or a kill
leaves them clean.
Byte-code is never written (a mutant of the same size within the same second would otherwise
reuse the previous mutant's cached code).

    python tools/mutate.py                       # every target, full report
    python tools/mutate.py --ci                  # the targets marked ci, sampled, exit 1 under goal
    python tools/mutate.py --target src/voltvan/charging/_check.py --list
"""

from __future__ import annotations

import argparse
import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from mutants import Mutant, find_mutants
from mutation_report import Outcome, TargetResult, survivor_lines, write_report

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = ROOT / "tools" / "mutation.toml"


@dataclass(frozen=True, slots=True)
class Target:
    """A module to mutate, the tests that cover it and the score it must keep."""

    path: str
    tests: tuple[str, ...]
    goal: float
    functions: frozenset[str]
    ci: bool
    ci_sample: int
    excluded: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Settings:
    workers: int
    pytest_args: tuple[str, ...]
    timeout_factor: float
    timeout_min_s: float
    seed: int


def read_config(path: Path) -> tuple[Settings, list[Target]]:
    """The settings and targets; a malformed file stops with the field that is wrong."""
    try:
        data = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SystemExit(f"{path}: cannot read the mutation configuration: {exc}") from exc
    s = data.get("settings", {})
    settings = Settings(
        workers=int(s.get("workers", 2)),
        pytest_args=tuple(s.get("pytest_args", ["-x", "-q", "-p", "no:cacheprovider"])),
        timeout_factor=float(s.get("timeout_factor", 4.0)),
        timeout_min_s=float(s.get("timeout_min_s", 30.0)),
        seed=int(s.get("seed", 0)),
    )
    excluded: dict[str, dict[str, str]] = {}
    for i, item in enumerate(data.get("equivalent", [])):
        for name in ("file", "mutant", "reason"):
            if not str(item.get(name, "")).strip():
                raise SystemExit(f"{path}: [[equivalent]] #{i + 1} has no {name!r}")
        excluded.setdefault(item["file"], {})[item["mutant"]] = item["reason"]
    targets = []
    for i, item in enumerate(data.get("target", [])):
        for name in ("path", "tests", "goal"):
            if name not in item:
                raise SystemExit(f"{path}: [[target]] #{i + 1} has no {name!r}")
        if not (ROOT / item["path"]).is_file():
            raise SystemExit(f"{path}: [[target]] #{i + 1}: no module {item['path']}")
        targets.append(
            Target(
                path=item["path"],
                tests=tuple(item["tests"]),
                goal=float(item["goal"]),
                functions=frozenset(item.get("functions", ())),
                ci=bool(item.get("ci", False)),
                ci_sample=int(item.get("ci_sample", 0)),
                excluded=excluded.get(item["path"], {}),
            )
        )
    for file in set(excluded) - {t.path for t in targets}:
        raise SystemExit(f"{path}: [[equivalent]] names {file}, which is no target")
    return settings, targets


class Workspace:
    """Temporary copies of ``src/``, one per worker, handed out one job at a time."""

    def __init__(self, workers: int) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="voltvan-mutation-")
        self.slots: queue.Queue[Path] = queue.Queue()
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        for i in range(workers):
            copy = Path(self._tmp.name) / f"w{i}" / "src"
            shutil.copytree(ROOT / "src", copy, ignore=ignore)
            self.slots.put(copy)

    def close(self) -> None:
        self._tmp.cleanup()


def _env(src: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(src), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _pytest(src: Path, target: Target, settings: Settings, timeout_s: float) -> tuple[str, float]:
    cmd = [sys.executable, "-m", "pytest", *settings.pytest_args, *target.tests]
    began = time.monotonic()
    try:
        done = subprocess.run(
            cmd, cwd=ROOT, env=_env(src), timeout=timeout_s, capture_output=True, check=False
        )
    except subprocess.TimeoutExpired:
        return "timeout", time.monotonic() - began
    took = time.monotonic() - began
    # 1: a test failed; 2: collection or import failed; 3: pytest's own start-up failed (a
    # plugin imports the mutated package): either way the mutant broke the module outright.
    status = {0: "survived", 1: "killed", 2: "killed", 3: "killed"}.get(done.returncode)
    if status is None:
        tail = (done.stdout + done.stderr).decode(errors="replace")[-2000:]
        raise SystemExit(f"pytest exited {done.returncode} for {target.path}:\n{tail}")
    return status, took


def _check_isolation(src: Path, module: str) -> None:
    """Fail loudly if the tests would import the real tree instead of the mutated copy."""
    name = module.removeprefix("src/").removesuffix(".py").replace("/", ".")
    code = f"import {name} as m; print(m.__file__)"
    out = subprocess.run(
        [sys.executable, "-c", code], env=_env(src), capture_output=True, check=True, text=True
    ).stdout.strip()
    if not Path(out).resolve().is_relative_to(src.resolve()):
        raise SystemExit(f"{module} is imported from {out}, not from the mutation copy")


def run_target(
    target: Target, settings: Settings, work: Workspace, mutants: list[Mutant], keys: set[str]
) -> TargetResult:
    """Baseline first (the unmutated tests must pass), then every mutant in parallel."""
    original = (ROOT / target.path).read_bytes()
    src = work.slots.get()
    try:
        _check_isolation(src, target.path)
        status, base_s = _pytest(src, target, settings, timeout_s=600.0)
    finally:
        work.slots.put(src)
    if status != "survived":
        raise SystemExit(f"the tests for {target.path} fail before any mutation ({status})")
    timeout_s = max(settings.timeout_min_s, settings.timeout_factor * base_s)

    def one(mutant: Mutant) -> Outcome:
        slot = work.slots.get()
        module = slot.parent / target.path
        try:
            module.write_bytes(mutant.apply(original))
            status, took = _pytest(slot, target, settings, timeout_s)
            if status == "timeout":  # a busy machine, or a mutant that loops? Once more, longer.
                status, took = _pytest(slot, target, settings, 3 * timeout_s)
        finally:
            module.write_bytes(original)
            work.slots.put(slot)
        return Outcome(mutant, status, took)

    with ThreadPoolExecutor(max_workers=settings.workers) as pool:
        outcomes = list(pool.map(one, mutants))
    stale = sorted(set(target.excluded) - keys)
    return TargetResult(target.path, target.goal, outcomes, target.excluded, stale, base_s)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    parser.add_argument("--target", action="append", default=[], help="only this module")
    parser.add_argument("--ci", action="store_true", help="ci targets only, sampled; gate goals")
    parser.add_argument("--list", action="store_true", help="print the mutants and their keys")
    parser.add_argument("--workers", type=int, help="parallel test runs (default: config)")
    parser.add_argument("--report", type=Path, default=ROOT / "out" / "mutation" / "report.md")
    args = parser.parse_args(argv)
    # A plain kill still removes the temporary copies (the finally below runs on SystemExit).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    settings, targets = read_config(args.config)
    if args.workers:
        settings = Settings(
            args.workers,
            settings.pytest_args,
            settings.timeout_factor,
            settings.timeout_min_s,
            settings.seed,
        )
    if args.target:
        unknown = set(args.target) - {t.path for t in targets}
        if unknown:
            raise SystemExit(f"not a target in {args.config}: {', '.join(sorted(unknown))}")
        targets = [t for t in targets if t.path in args.target]
    if args.ci:
        targets = [t for t in targets if t.ci]
    results: list[TargetResult] = []
    work = None if args.list else Workspace(settings.workers)
    try:
        for target in targets:
            mutants = find_mutants((ROOT / target.path).read_bytes(), target.functions)
            if args.list:
                for m in mutants:
                    mark = "  (excluded)" if m.key in target.excluded else ""
                    print(f"{target.path}:{m.line}  [{m.operator}]  {m.key}{mark}")
                continue
            # every mutant of the file, so an exclusion meant for another function is not stale
            keys = {m.key for m in find_mutants((ROOT / target.path).read_bytes())}
            active = [m for m in mutants if m.key not in target.excluded]
            if args.ci and target.ci_sample and len(active) > target.ci_sample:
                chosen = random.Random(settings.seed).sample(range(len(active)), target.ci_sample)
                active = [active[i] for i in sorted(chosen)]
            print(f"--- {target.path}: {len(active)} mutants", flush=True)
            assert work is not None
            result = run_target(target, settings, work, active, keys)
            print(result.summary(), *survivor_lines(result), sep="\n", flush=True)
            results.append(result)
    finally:
        if work is not None:
            work.close()
    if args.list:
        return 0
    write_report(args.report, results, sampled=args.ci)
    print(f"report: {args.report}")
    below = [r for r in results if r.score < r.goal]
    for r in below:
        print(f"{r.path}: score {r.score:.1f} % is below the goal {r.goal:.0f} %")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
