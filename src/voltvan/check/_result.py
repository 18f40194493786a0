"""The checker's verdict: a list of violations, each a sentence a dispatcher understands."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule: which van, where, what kind, and a sentence a dispatcher understands."""

    van_id: str
    location_id: str
    kind: str
    message: str


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The verdict on a plan: feasible only when there is no violation at all."""

    violations: list[Violation] = field(default_factory=list)

    @property
    def is_feasible(self) -> bool:
        return not self.violations

    def count(self, kind: str) -> int:
        return sum(1 for v in self.violations if v.kind == kind)
