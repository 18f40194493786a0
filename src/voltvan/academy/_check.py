"""``check``: import the learner's exercise in a fresh namespace and run the lesson's grader.

The learner's code may fail in any way: failing to import, raising ``NotImplementedError`` from
a function not written yet, or raising something else half-way. Each becomes one plain sentence
that names the learner's file and line, never a traceback from voltvan's inside.
"""

from __future__ import annotations

import contextlib
import importlib.util
import itertools
import sys
import traceback
import types
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from voltvan.academy._lessons import Lesson

_counter = itertools.count()


@dataclass(frozen=True, slots=True)
class CheckResult:
    lesson: Lesson
    exercise: Path
    problems: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.problems


def load_module(path: Path, prefix: str) -> types.ModuleType:
    """Import a file as a new module each time (a re-check sees the learner's latest edit)."""
    name = f"_academy_{prefix}_{next(_counter)}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def _frame(exc: BaseException, path: Path) -> traceback.FrameSummary | None:
    """The deepest frame of the learner's file in the traceback."""
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if Path(f.filename).resolve() == path.resolve()
    ]
    return frames[-1] if frames else None


def where(exc: BaseException, path: Path) -> str:
    """``exercise.py line 12 in km_per_van: total += leg`` (the learner's line, if any)."""
    frame = _frame(exc, path)
    if frame is None:
        if isinstance(exc, SyntaxError) and exc.lineno is not None:
            return f"{path.name} line {exc.lineno}"
        return path.name
    place = f"{path.name} line {frame.lineno}"
    if frame.name != "<module>":
        place += f" in {frame.name}"
    return place + (f": {frame.line.strip()}" if frame.line else "")


def describe(exc: BaseException, path: Path) -> str:
    """A learner's exception as one sentence, with their file and line."""
    if isinstance(exc, NotImplementedError):
        frame = _frame(exc, path)
        name = frame.name if frame is not None else "a function"
        line = f" ({path.name} line {frame.lineno})" if frame is not None else ""
        return f"{name} is not written yet{line}" + (f": {exc}" if str(exc) else "")
    text = f": {exc}" if str(exc) else ""
    return f"your code raised {type(exc).__name__}{text} at {where(exc, path)}"


@contextlib.contextmanager
def _beside(folder: Path) -> Iterator[None]:
    """The learner's folder first on the import path: their exercise may import its neighbours."""
    sys.path.insert(0, str(folder))
    try:
        yield
    finally:
        with contextlib.suppress(ValueError):
            sys.path.remove(str(folder))


def check(lesson: Lesson, exercise: Path) -> CheckResult:
    """Grade one exercise file; problems in plain words (none: passed)."""
    with _beside(exercise.resolve().parent):
        try:
            module = load_module(exercise, f"exercise{lesson.number:02d}")
        except Exception as exc:  # the learner's file: anything can happen on import
            problem = f"{exercise.name} does not import: {type(exc).__name__}: {exc} at "
            return CheckResult(lesson, exercise, (problem + where(exc, exercise),))
        grader = load_module(lesson.folder / "grade.py", f"grade{lesson.number:02d}")
        try:
            problems = list(grader.grade(module))
        except Exception as exc:  # raised by the learner's functions through the grader
            problems = [describe(exc, exercise)]
    return CheckResult(lesson, exercise, tuple(str(p) for p in problems))
