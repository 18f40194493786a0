"""The plan's clock: its times are seconds after midnight of the day, in the fleet's local time,
while telemetry and events carry instants. The console is told the time zone (the
dispatcher's browser knows it)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from voltvan.errors import InvalidInput


def local_day(day: str, tz: str) -> tuple[datetime, datetime]:
    """Local midnight starting ``day`` in ``tz`` and the next one (aware datetimes)."""
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"unknown time zone {tz[:60]!r} (an IANA name)", field="tz") from None
    d = date.fromisoformat(day)
    return (
        datetime.combine(d, time(), tzinfo=zone),
        datetime.combine(d + timedelta(days=1), time(), tzinfo=zone),
    )


def seconds_after(instant: datetime, midnight: datetime) -> float:
    """An instant as the plan counts time: seconds after ``midnight``."""
    return (instant - midnight).total_seconds()
