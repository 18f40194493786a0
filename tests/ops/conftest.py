"""Stores on both databases (fixtures of tests/ops/databases.py) and a published day."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ops.days import one_day
from voltvan.ops import OpsStore, open_ops


@pytest.fixture
def store(db_url: str, tmp_path: Path) -> Iterator[OpsStore]:
    ops = open_ops(db_url, tmp_path / "data")
    try:
        yield ops
    finally:
        ops.close()


@pytest.fixture
def day_store(store: OpsStore) -> OpsStore:
    """A store with the day 2026-03-02 published: V01 has S1-S3, V02 has S4-S5."""
    plan, stops = one_day({"V01": ["S1", "S2", "S3"], "V02": ["S4", "S5"]})
    store.publish("2026-03-02", plan, stops, base_version=None, by="disp")
    return store
