"""Read real time-of-use tariffs in acnportal's JSON form into a voltvan :class:`Tariff`.

The files (SCE TOU-EV-4/8, PG&E A-10, shipped with Caltech's acnportal, BSD-3) hold seasonal
schedules, each with a day-of-week mask, hour boundaries, prices in $/kWh and a demand charge in
$/kW. A night's schedule uses the entry in force on the given date and day of the week.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

from voltvan.domain import DAY_S, Tariff, TariffPeriod
from voltvan.errors import InvalidInput
from voltvan.files import read_json

_MASKS = {"ALL": range(7), "WEEKDAYS": range(5), "WEEKENDS": range(5, 7)}


def _month_day(text: str) -> tuple[int, int]:
    month, day = text.split("-")
    return int(month), int(day)


def _in_season(date: dt.date, start: str, end: str) -> bool:
    md = (date.month, date.day)
    a, b = _month_day(start), _month_day(end)
    return a <= md <= b if a <= b else (md >= a or md <= b)


def read_acn_tariff(path: Path, *, date: dt.date) -> Tariff:
    """The tariff in force on ``date`` (its season and its weekday/weekend entry)."""
    data = read_json(path)
    if not isinstance(data, dict):
        raise InvalidInput("not a tariff: expected a JSON object", file=path)
    schedules = data.get("schedule")
    if not isinstance(schedules, list) or not schedules:
        raise InvalidInput("no schedule entries", file=path, field="schedule")
    for i, entry in enumerate(schedules):
        where = f"schedule[{i}]"
        try:
            mask = _MASKS[str(entry["dow_mask"])]
            if date.weekday() not in mask or not _in_season(
                date, entry["effective_start"], entry["effective_end"]
            ):
                continue
            times = [float(t) for t in entry["times"]]
            prices = [float(p) for p in entry["tariffs"]]
            demand = float(entry.get("demand_charge", 0.0))
        except KeyError as exc:
            raise InvalidInput(f"missing {exc.args[0]}", file=path, field=where) from exc
        except (ValueError, TypeError) as exc:
            raise InvalidInput(f"bad value: {exc}", file=path, field=where) from exc
        if len(times) != len(prices) or not times or times[0] != 0:
            raise InvalidInput(
                "times and tariffs must have the same length and start at hour 0",
                file=path,
                field=f"{where}.times",
            )
        if any(b <= a for a, b in itertools.pairwise(times)) or times[-1] >= 24:
            raise InvalidInput(
                "times must increase within a day", file=path, field=f"{where}.times"
            )
        ends = [*times[1:], 24.0]
        periods = tuple(
            TariffPeriod(a * 3600.0, min(b * 3600.0, DAY_S), p)
            for a, b, p in zip(times, ends, prices, strict=True)
        )
        return Tariff(periods=periods, demand_charge_per_kw=demand, currency="USD")
    raise InvalidInput(
        f"no schedule entry applies on {date.isoformat()}", file=path, field="schedule"
    )
