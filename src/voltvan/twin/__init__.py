"""The digital twin: drive a plan through simulated days and see whether its promise holds.

Each van is a SimPy process that follows its route while traffic, parcels, people, weather and
chargers vary (``docs/twin.md``); public chargers are shared resources, so vans queue. The run
sums up into ``twin.json`` (``docs/formats/twin.md``) and an offline HTML report.
"""

from voltvan.twin._dispatch import OpsLink as OpsLink
from voltvan.twin._html import render_twin_html as render_twin_html
from voltvan.twin._mqtt import stream_run as stream_run
from voltvan.twin._mqtt import write_truth as write_truth
from voltvan.twin._ops import OpsClient as OpsClient
from voltvan.twin._ops import OpsError as OpsError
from voltvan.twin._ops import OpsTokens as OpsTokens
from voltvan.twin._overnight import OVERNIGHT_MODES as OVERNIGHT_MODES
from voltvan.twin._params import TwinParams as TwinParams
from voltvan.twin._record import EVENT_KINDS as EVENT_KINDS
from voltvan.twin._record import DayResult as DayResult
from voltvan.twin._record import Event as Event
from voltvan.twin._record import TwinRun as TwinRun
from voltvan.twin._record import VanDay as VanDay
from voltvan.twin._simulate import simulate as simulate
from voltvan.twin._summary import TWIN_FORMAT_VERSION as TWIN_FORMAT_VERSION
from voltvan.twin._summary import twin_document as twin_document
from voltvan.twin._telemetry import TrueTrip as TrueTrip
from voltvan.twin._telemetry import day_start as day_start
from voltvan.twin._telemetry import iso as iso
from voltvan.twin._telemetry import true_trips as true_trips
from voltvan.twin._telemetry import van_samples as van_samples
from voltvan.twin._write import write_outputs as write_outputs

__all__ = [
    "EVENT_KINDS",
    "OVERNIGHT_MODES",
    "TWIN_FORMAT_VERSION",
    "DayResult",
    "Event",
    "OpsClient",
    "OpsError",
    "OpsLink",
    "OpsTokens",
    "TrueTrip",
    "TwinParams",
    "TwinRun",
    "VanDay",
    "day_start",
    "iso",
    "render_twin_html",
    "simulate",
    "stream_run",
    "true_trips",
    "twin_document",
    "van_samples",
    "write_outputs",
    "write_truth",
]
