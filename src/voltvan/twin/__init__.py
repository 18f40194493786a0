"""The digital twin: drive a plan through simulated days and see whether its promise holds.

Each van is a SimPy process that follows its route while traffic, parcels, people, weather and
chargers vary (``docs/twin.md``); public chargers are shared resources, so vans queue. The run
sums up into ``twin.json`` (``docs/formats/twin.md``) and an offline HTML report.
"""

from voltvan.twin._html import render_twin_html as render_twin_html
from voltvan.twin._params import TwinParams as TwinParams
from voltvan.twin._record import EVENT_KINDS as EVENT_KINDS
from voltvan.twin._record import DayResult as DayResult
from voltvan.twin._record import Event as Event
from voltvan.twin._record import TwinRun as TwinRun
from voltvan.twin._record import VanDay as VanDay
from voltvan.twin._simulate import simulate as simulate
from voltvan.twin._summary import TWIN_FORMAT_VERSION as TWIN_FORMAT_VERSION
from voltvan.twin._summary import twin_document as twin_document
from voltvan.twin._write import write_outputs as write_outputs

__all__ = [
    "EVENT_KINDS",
    "TWIN_FORMAT_VERSION",
    "DayResult",
    "Event",
    "TwinParams",
    "TwinRun",
    "VanDay",
    "render_twin_html",
    "simulate",
    "twin_document",
    "write_outputs",
]
