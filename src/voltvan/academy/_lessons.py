"""The lessons shipped with the package: one folder per lesson, found by its ``meta.toml``.

A lesson folder is ``lessons/NN_slug/`` with ``lesson.py`` (a jupytext percent notebook),
``exercise.py`` (what the learner edits), ``grade.py`` and ``meta.toml``; an optional ``data/``
folder is copied into the learner's workspace with the exercise. Adding a lesson is adding a
folder: nothing here lists them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from voltvan.errors import InvalidInput, NotFound

LESSONS_DIR = Path(__file__).resolve().parent / "lessons"
DATA_DIR = Path(__file__).resolve().parent / "data"
_FOLDER = re.compile(r"^(\d\d)_[a-z0-9_]+$")
_FILES = ("lesson.py", "exercise.py", "grade.py", "meta.toml")


@dataclass(frozen=True, slots=True)
class Lesson:
    """One lesson as ``meta.toml`` describes it, and where its files are."""

    number: int
    slug: str
    title: str
    minutes: int
    goals: tuple[str, ...]
    needs: tuple[str, ...]
    folder: Path

    @property
    def name(self) -> str:
        """The folder name, ``NN_slug``: also the learner's workspace folder."""
        return self.folder.name

    @property
    def notebook(self) -> Path:
        return self.folder / "lesson.py"


def _read_meta(folder: Path, number: int) -> Lesson:
    meta_path = folder / "meta.toml"
    for name in _FILES:
        if not (folder / name).is_file():
            raise InvalidInput(f"the lesson has no {name}", file=folder)
    try:
        meta = tomllib.loads(meta_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"not TOML: {exc}", file=meta_path) from exc

    def need(key: str, kind: type) -> object:
        if not isinstance(meta.get(key), kind):
            raise InvalidInput(f"needs {key} as {kind.__name__}", file=meta_path, field=key)
        return meta[key]

    if need("number", int) != number:
        raise InvalidInput(
            f"number {meta['number']} differs from the folder's {number:02d}",
            file=meta_path,
            field="number",
        )
    goals = need("goals", list)
    needs = meta.get("needs", [])
    assert isinstance(goals, list)
    if not isinstance(needs, list):
        raise InvalidInput("needs must be a list", file=meta_path, field="needs")
    return Lesson(
        number=number,
        slug=folder.name[3:],
        title=str(need("title", str)),
        minutes=int(str(need("minutes", int))),
        goals=tuple(str(g) for g in goals),
        needs=tuple(str(n) for n in needs),
        folder=folder,
    )


def lessons(folder: Path = LESSONS_DIR) -> list[Lesson]:
    """Every lesson in ``folder``, by number."""
    found = []
    for sub in sorted(folder.iterdir()) if folder.is_dir() else []:
        m = _FOLDER.match(sub.name)
        if m and sub.is_dir():
            found.append(_read_meta(sub, int(m.group(1))))
    return found


def lesson(number: int, folder: Path = LESSONS_DIR) -> Lesson:
    """The lesson with this number, or a :class:`NotFound` that lists the ones there are."""
    all_lessons = lessons(folder)
    for found in all_lessons:
        if found.number == number:
            return found
    known = ", ".join(str(x.number) for x in all_lessons) or "none"
    raise NotFound(f"there is no lesson {number} (lessons: {known}; see voltvan academy list)")


def data_file(name: str) -> Path:
    """A data file (or folder) shipped for the lessons, by its path under the data folder.

    ``data_file("rsk-twizy-ev/Analyzed/T1/T1_07_01_2021.csv")``; each data set's folder keeps
    its licence and a ``SOURCE.txt``.
    """
    path = DATA_DIR / name
    if not path.resolve().is_relative_to(DATA_DIR) or not path.exists():
        shipped = ", ".join(sorted(p.name for p in DATA_DIR.iterdir() if p.is_dir()))
        raise NotFound(f"no lesson data file {name!r} (data sets shipped: {shipped})")
    return path
