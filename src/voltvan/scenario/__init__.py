"""Scenario files (format v1: a folder with ``fleet.toml`` and ``stops.csv``) and generated days.

See ``docs/formats/scenario.md`` for every field, unit and default.
"""

from voltvan.scenario._fleet import FORMAT_VERSION as FORMAT_VERSION
from voltvan.scenario._read import read_scenario as read_scenario
from voltvan.scenario._write import write_scenario as write_scenario

__all__ = ["FORMAT_VERSION", "read_scenario", "write_scenario"]
