"""A lesson's grader, exercise and reference solution as modules, to grade wrong answers made
by replacing one function (tests/academy/test_lessons.py runs the common checks)."""

from __future__ import annotations

import importlib.util
import types
from pathlib import Path

import voltvan

LESSONS = Path(voltvan.__file__).parent / "academy" / "lessons"
SOLUTIONS = Path(__file__).parent / "solutions"


def load(path: Path, name: str) -> types.ModuleType:
    """Import ``path`` as a fresh module called ``name`` (as ``voltvan academy check`` does)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def grader(slug: str) -> types.ModuleType:
    return load(LESSONS / slug / "grade.py", f"grade_{slug}")


def exercise(slug: str) -> types.ModuleType:
    """The untouched exercise, as ``voltvan academy start`` copies it."""
    return load(LESSONS / slug / "exercise.py", f"exercise_{slug}")


def solution(slug: str) -> types.ModuleType:
    return load(SOLUTIONS / slug / "exercise.py", f"solution_{slug}")


def with_functions(base: types.ModuleType, **functions: object) -> types.ModuleType:
    """A copy of ``base`` with some functions or constants replaced: a learner's wrong answer."""
    module = types.ModuleType(f"{base.__name__}_wrong")
    module.__dict__.update({k: v for k, v in vars(base).items() if not k.startswith("__")})
    module.__dict__.update(functions)
    return module
