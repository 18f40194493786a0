"""Scenario files (format v1: a folder with ``fleet.toml`` and ``stops.csv``) and generated days.

See ``docs/formats/scenario.md`` for every field, unit and default.
"""

from voltvan.scenario._city import BERLIN as BERLIN
from voltvan.scenario._city import CityFrame as CityFrame
from voltvan.scenario._city import Neighbourhood as Neighbourhood
from voltvan.scenario._fleet import FORMAT_VERSION as FORMAT_VERSION
from voltvan.scenario._generate import Day as Day
from voltvan.scenario._generate import generate_scenario as generate_scenario
from voltvan.scenario._metro import BERLIN_METRO as BERLIN_METRO
from voltvan.scenario._metro import DEPOT_SITES as DEPOT_SITES
from voltvan.scenario._metro import generate_metro_scenario as generate_metro_scenario
from voltvan.scenario._outliers import Outlier as Outlier
from voltvan.scenario._outliers import stop_outliers as stop_outliers
from voltvan.scenario._read import read_fleet as read_fleet
from voltvan.scenario._read import read_scenario as read_scenario
from voltvan.scenario._summary import ScenarioSummary as ScenarioSummary
from voltvan.scenario._summary import summarize as summarize
from voltvan.scenario._summary import window_kind as window_kind
from voltvan.scenario._units import parse_time as parse_time
from voltvan.scenario._write import write_scenario as write_scenario

__all__ = [
    "BERLIN",
    "BERLIN_METRO",
    "DEPOT_SITES",
    "FORMAT_VERSION",
    "CityFrame",
    "Day",
    "Neighbourhood",
    "Outlier",
    "ScenarioSummary",
    "generate_metro_scenario",
    "generate_scenario",
    "parse_time",
    "read_fleet",
    "read_scenario",
    "stop_outliers",
    "summarize",
    "window_kind",
    "write_scenario",
]
