"""Human units at the edge of the scenario files, and exact conversions to SI inside.

Files carry times of day as ``HH:MM`` (optionally ``HH:MM:SS``), energy in kWh and power in kW
because that is how dispatchers and spec sheets speak. Writers choose the human form only where
converting back gives the very same float, so that a write-read round trip is exact.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from voltvan.domain import MAX_TIME_S
from voltvan.errors import InvalidInput

_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?(?:[eE]-?\d+)?))?\s*$")


def parse_time(value: object, field: str) -> float:
    """``HH:MM`` or ``HH:MM:SS`` (hours may reach 47 for night shifts) as seconds after midnight."""
    if isinstance(value, dt.time):
        return float(value.hour * 3600 + value.minute * 60) + value.second + value.microsecond / 1e6
    if not isinstance(value, str):
        raise InvalidInput(f"{value!r} is not a time of day (HH:MM)", field=field)
    m = _TIME.match(value)
    if m is None:
        raise InvalidInput(f"{value!r} is not a time of day (HH:MM)", field=field)
    hours, minutes = int(m.group(1)), int(m.group(2))
    seconds = float(m.group(3)) if m.group(3) is not None else 0.0
    if minutes >= 60 or seconds >= 60:
        raise InvalidInput(f"{value!r} is not a time of day (HH:MM)", field=field)
    t = float(hours * 3600 + minutes * 60) + seconds
    if t > MAX_TIME_S:
        raise InvalidInput(f"{value!r} is after the end of the next day (48:00)", field=field)
    return t


def format_time(t_s: float) -> str:
    """Seconds after midnight as ``HH:MM``, or ``HH:MM:SS[.f]`` when that is needed to be exact."""
    whole = math.floor(t_s)
    minutes_total = whole // 60
    h, m = divmod(int(minutes_total), 60)
    rest = t_s - minutes_total * 60  # exact: both lie on the same float grid
    if rest == 0:
        return f"{h:02d}:{m:02d}"
    if rest == int(rest):
        return f"{h:02d}:{m:02d}:{int(rest):02d}"
    sec = repr(float(rest))
    return f"{h:02d}:{m:02d}:{'0' if rest < 10 else ''}{sec}"


def parse_number(value: object, field: str, *, integer: bool = False) -> float:
    """A TOML or CSV number; bools and text that is not a number are refused naming the field."""
    if isinstance(value, bool):
        raise InvalidInput(f"{value!r} is not a number", field=field)
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise InvalidInput(f"{value!r} is not a number", field=field) from None
    else:
        raise InvalidInput(f"{value!r} is not a number", field=field)
    if not math.isfinite(number):
        raise InvalidInput(f"{value!r} is not a finite number", field=field)
    if integer and number != int(number):
        raise InvalidInput(f"{value!r} is not a whole number", field=field)
    return number


def kilo_exact(si_value: float) -> float | None:
    """``si_value / 1000`` when it is short and reading it back (``x * 1000``) is exact."""
    k = si_value / 1000
    return k if k * 1000 == si_value and k == round(k, 6) else None


def compact(value: float) -> int | float:
    """An integral float as int (``68000`` rather than ``68000.0``) for tidier files."""
    return int(value) if value == int(value) and abs(value) < 2**53 else value
