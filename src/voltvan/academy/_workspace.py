"""``start``: copy a lesson's exercise (and its data) into the learner's workspace folder.

A learner's edited ``exercise.py`` is never overwritten: starting again only adds what is
missing, so ``start`` is safe to repeat.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from voltvan.academy._lessons import Lesson
from voltvan.academy._progress import record
from voltvan.errors import InvalidInput, NotFound

COPIED = ("exercise.py", "lesson.py")


@dataclass(frozen=True, slots=True)
class Started:
    folder: Path
    copied: tuple[str, ...]
    kept: tuple[str, ...]


def workspace_of(lesson: Lesson, workspace: Path) -> Path:
    return workspace / lesson.name


def start(lesson: Lesson, workspace: Path) -> Started:
    """Copy ``exercise.py``, ``lesson.py`` and ``data/`` into ``workspace/NN_slug/``."""
    dest = workspace_of(lesson, workspace)
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(f"cannot create the folder: {exc.strerror}", file=dest) from exc
    copied: list[str] = []
    kept: list[str] = []
    names = [*COPIED, *(["data"] if (lesson.folder / "data").is_dir() else [])]
    for name in names:
        src, out = lesson.folder / name, dest / name
        if out.exists():
            kept.append(name)
        elif src.is_dir():
            shutil.copytree(src, out)
            copied.append(name)
        else:
            shutil.copyfile(src, out)
            copied.append(name)
    record(workspace, lesson.number, started=True)
    return Started(dest, tuple(copied), tuple(kept))


def exercise_path(lesson: Lesson, workspace: Path) -> Path:
    """The learner's exercise file, or :class:`NotFound` saying how to create it."""
    path = workspace_of(lesson, workspace) / "exercise.py"
    if not path.is_file():
        raise NotFound(
            f"no workspace for lesson {lesson.number} in {workspace}: {path} does not exist "
            f"(run: voltvan academy start {lesson.number} --dir {workspace})"
        )
    return path
