"""Shared file helpers: one error shape for missing or broken JSON, all-or-nothing writes."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from voltvan.errors import InvalidInput
from voltvan.files import read_json, write_atomic


def test_read_json_names_file_and_line(tmp_path: Path) -> None:
    """Broken JSON is an InvalidInput naming the file and the line of the fault."""
    path = tmp_path / "plan.json"
    path.write_text('{\n "a": 1,\n oops\n}\n')
    with pytest.raises(InvalidInput) as info:
        read_json(path)
    assert info.value.where.file == str(path) and info.value.where.line == 3


def test_read_json_missing_file(tmp_path: Path) -> None:
    """A missing file is 'file not found', not a traceback."""
    with pytest.raises(InvalidInput, match="file not found"):
        read_json(tmp_path / "nope.json")


def test_write_atomic_leaves_no_temp_file(tmp_path: Path) -> None:
    """The target holds the whole text afterwards and no temporary file is left beside it."""
    path = tmp_path / "sub" / "schedule.json"
    write_atomic(path, '{"ok": true}\n')
    assert read_json(path) == {"ok": True}
    assert [p.name for p in path.parent.iterdir()] == ["schedule.json"]


@pytest.fixture
def umask_027() -> Iterator[None]:
    """Run with umask 027 (group may read, others nothing), then restore the caller's umask."""
    old = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(old)


def test_write_atomic_honours_the_umask(tmp_path: Path, umask_027: None) -> None:
    """A new file gets 0666 less the umask (0640 here), as open() would give it, not 0600."""
    path = tmp_path / "chart.html"
    write_atomic(path, "<p>ok</p>\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_write_atomic_keeps_the_mode_of_the_file_it_replaces(
    tmp_path: Path, umask_027: None
) -> None:
    """Overwriting keeps the file's mode (0604 here) as a plain write would."""
    path = tmp_path / "schedule.json"
    path.write_text("{}\n")
    path.chmod(0o604)
    write_atomic(path, '{"ok": true}\n')
    assert stat.S_IMODE(path.stat().st_mode) == 0o604
    assert read_json(path) == {"ok": True}
