"""The academy: graded lessons that build a small electric fleet's day with voltvan.

Each lesson is a folder of package data (``lessons/NN_slug/``: a jupytext notebook, an
exercise, its grader and ``meta.toml``); ``voltvan academy list | start N | check N`` copies an
exercise into the learner's folder and grades it. Lessons read their data through
:func:`data_file`; graders that score queries on the twin's telemetry share
:func:`twin_lake`. How to write a lesson: ``docs/academy.md``.
"""

from voltvan.academy._check import CheckResult as CheckResult
from voltvan.academy._check import check as check
from voltvan.academy._lessons import Lesson as Lesson
from voltvan.academy._lessons import data_file as data_file
from voltvan.academy._lessons import lesson as lesson
from voltvan.academy._lessons import lessons as lessons
from voltvan.academy._progress import PROGRESS_FILE as PROGRESS_FILE
from voltvan.academy._progress import read_progress as read_progress
from voltvan.academy._progress import record as record
from voltvan.academy._twin_lake import TwinLake as TwinLake
from voltvan.academy._twin_lake import twin_lake as twin_lake
from voltvan.academy._workspace import Started as Started
from voltvan.academy._workspace import exercise_path as exercise_path
from voltvan.academy._workspace import start as start

__all__ = [
    "PROGRESS_FILE",
    "CheckResult",
    "Lesson",
    "Started",
    "TwinLake",
    "check",
    "data_file",
    "exercise_path",
    "lesson",
    "lessons",
    "read_progress",
    "record",
    "start",
    "twin_lake",
]
