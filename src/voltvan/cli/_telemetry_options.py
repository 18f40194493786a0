"""What the telemetry commands share: the ``--data`` option and reading the fleet's van ids.

Its own module so that ``voltvan ingest`` (:mod:`voltvan.cli._ingest`) and the other telemetry
commands (:mod:`voltvan.cli._telemetry`) use one definition while neither imports the other:
the order the command modules are imported in is the order ``voltvan --help`` lists them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DataDir = Annotated[
    Path, typer.Option("--data", help="Telemetry data directory (Parquet files, one per site).")
]


def fleet_ids(path: Path | None) -> frozenset[str] | None:
    if path is None:
        return None
    from voltvan.telemetry import load_fleet_ids

    return load_fleet_ids(path)
