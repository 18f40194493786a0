"""The mutation tool's mutants: each operator, readable keys, and nothing it must not touch."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

from mutants import find_mutants

SOURCE = b'''"""Module docstring."""

LIMIT = 2


def rule(a: int, b: list[int], out: list[str]) -> list[str]:
    """Docstring."""
    for x in b:
        if x < a and not x in b or x is None:
            out.append(f"bad {x + 1}")
            continue
        if x == 0:
            raise ValueError("zero")
        total = min(a * x, a - 1)
        total += 1
    return out


def flag() -> bool:
    return True
'''


def _changes() -> set[tuple[str, str]]:
    return {(m.operator, m.key) for m in find_mutants(SOURCE)}


def test_every_operator_makes_its_mutants() -> None:
    keys = _changes()
    expected = {
        ("constant", "<module>: LIMIT = 2 -> LIMIT = 3"),
        (
            "compare",
            "rule: if x < a and not x in b or x is None: -> "
            "if (x <= a) and not x in b or x is None:",
        ),
        (
            "compare",
            "rule: if x < a and not x in b or x is None: -> "
            "if (x >= a) and not x in b or x is None:",
        ),
        (
            "compare",
            "rule: if x < a and not x in b or x is None: -> "
            "if x < a and not (x not in b) or x is None:",
        ),
        (
            "compare",
            "rule: if x < a and not x in b or x is None: -> "
            "if x < a and not x in b or (x is not None):",
        ),
        (
            "boolean",
            "rule: if x < a and not x in b or x is None: -> "
            "if ((x < a and (not x in b)) and x is None):",
        ),
        (
            "boolean",
            "rule: if x < a and not x in b or x is None: -> if (x < a or not x in b) or x is None:",
        ),
        (
            "not",
            "rule: if x < a and not x in b or x is None: -> if x < a and (x in b) or x is None:",
        ),
        ("delete", 'rule: out.append(f"bad {x + 1}") -> pass'),
        ("delete", "rule: continue -> pass"),
        ("delete", 'rule: raise ValueError("zero") -> pass'),
        ("compare", "rule: if x == 0: -> if (x != 0):"),
        ("constant", "rule: if x == 0: -> if x == 1:"),
        ("min/max", "rule: total = min(a * x, a - 1) -> total = (max(a * x, a - 1))"),
        ("arithmetic", "rule: total = min(a * x, a - 1) -> total = min((a / x), a - 1)"),
        ("arithmetic", "rule: total = min(a * x, a - 1) -> total = min(a * x, (a + 1))"),
        ("constant", "rule: total = min(a * x, a - 1) -> total = min(a * x, a - 0)"),
        ("arithmetic", "rule: total += 1 -> total -= 1"),
        ("constant", "rule: total += 1 -> total += 0"),
        ("return", "rule: return out -> return []"),
        ("return", "flag: return True -> return None"),
        ("constant", "flag: return True -> return False"),
    }
    assert keys == expected


def test_text_in_messages_docstrings_and_annotations_is_left_alone() -> None:
    keys = " ".join(k for _, k in _changes())
    assert "Docstring" not in keys and "bad {x - 1}" not in keys and "list[int]" not in keys


def test_a_mutant_changes_only_its_span_and_still_compiles() -> None:
    for m in find_mutants(SOURCE):
        mutated = m.apply(SOURCE)
        assert mutated[: m.start] == SOURCE[: m.start]
        assert mutated.endswith(SOURCE[m.end :])
        compile(mutated, "<mutant>", "exec")


def test_only_limits_mutants_to_the_named_functions() -> None:
    assert {m.key.split(":")[0] for m in find_mutants(SOURCE, frozenset({"flag"}))} == {"flag"}
