"""What a mutation run found, per module: the score and every surviving mutant by line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mutants import Mutant


@dataclass(frozen=True, slots=True)
class Outcome:
    """One mutant's fate: killed (a test failed), timeout (counted as killed) or survived."""

    mutant: Mutant
    status: str
    seconds: float


@dataclass(frozen=True, slots=True)
class TargetResult:
    path: str
    goal: float
    outcomes: list[Outcome]
    excluded: dict[str, str]
    stale: list[str]
    baseline_s: float

    @property
    def survivors(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "survived"]

    @property
    def score(self) -> float:
        """Killed share of the mutants run, in percent (excluded equivalents are not run)."""
        if not self.outcomes:
            return 100.0
        return 100.0 * (len(self.outcomes) - len(self.survivors)) / len(self.outcomes)

    def summary(self) -> str:
        n = len(self.outcomes)
        timeouts = sum(o.status == "timeout" for o in self.outcomes)
        return (
            f"{self.path}: {n - len(self.survivors)}/{n} killed = {self.score:.1f} % "
            f"(goal {self.goal:.0f} %, {timeouts} by timeout, {len(self.excluded)} excluded "
            f"as equivalent, tests {self.baseline_s:.1f} s)"
        )


def survivor_lines(result: TargetResult) -> list[str]:
    """``file:line  [operator]  original -> mutant`` for each survivor, then its exclusion key."""
    lines = []
    for o in sorted(result.survivors, key=lambda o: (o.mutant.line, o.mutant.key)):
        m = o.mutant
        lines.append(f"- `{result.path}:{m.line}` [{m.operator}] key: `{m.key}`")
    return lines


def write_report(path: Path, results: list[TargetResult], *, sampled: bool) -> None:
    out = ["# Mutation report", ""]
    if sampled:
        out += ["A fixed-seed sample of each module's mutants (the CI run).", ""]
    out += ["| module | killed | run | score | goal |", "| --- | ---: | ---: | ---: | ---: |"]
    for r in results:
        killed = len(r.outcomes) - len(r.survivors)
        out.append(
            f"| {r.path} | {killed} | {len(r.outcomes)} | {r.score:.1f} % | {r.goal:.0f} % |"
        )
    for r in results:
        out += ["", f"## {r.path}", "", r.summary(), ""]
        out += ["### Survivors", ""]
        out += survivor_lines(r) or ["None."]
        if r.stale:
            out += ["", "### Exclusions that match no mutant any more (update the config)", ""]
            out += [f"- `{key}`" for key in r.stale]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out) + "\n")
