"""The console's alerts, each built once to fire and once not to."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.console.routes import DEPOT, plan, route
from voltvan.console import (
    FleetAlert,
    LiveSoc,
    Stillness,
    StopState,
    fleet_alerts,
    van_progress,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def alerts(
    states: dict[str, StopState] | None = None,
    *,
    now_s: float = 29_500,
    soc: float | None = None,
    still: Stillness | None = None,
) -> list[FleetAlert]:
    p = plan()
    st = states or {}
    live = {"V1": LiveSoc(soc, now_s)} if soc is not None else {}
    progress = {"V1": van_progress(p.routes[0], st, now_s, live.get("V1"))}
    return fleet_alerts(p, progress, {"V1": st}, live, {"V1": still} if still else {})


def kinds(found: list[FleetAlert]) -> list[str]:
    return [a.kind for a in found]


def test_an_on_time_van_with_charge_to_spare_has_no_alert() -> None:
    assert alerts(soc=0.95) == []


def test_soc_too_low_for_the_rest_of_the_route() -> None:
    """At the depot, the route takes 25 kWh (50 %): 55 % leaves 5 %, under the 10 % reserve."""
    found = alerts(soc=0.55)
    assert kinds(found) == ["low_soc_for_route"]
    assert found[0].van_id == "V1" and found[0].severity == "warning"
    assert alerts(soc=0.61) == []


def test_soc_low_counts_only_the_route_after_the_furthest_stop() -> None:
    """At C (arrived) only the way back is left (10 %): 25 % is enough, though not from A."""
    done = {"A": StopState("delivered", 29_700), "B": StopState("delivered", 30_600),
            "C": StopState("arrived")}  # fmt: skip
    assert alerts(done, now_s=31_300, soc=0.25) == []
    assert kinds(alerts({"A": StopState("arrived")}, soc=0.25)) == ["low_soc_for_route"]


def test_an_empty_battery_before_the_end_is_critical() -> None:
    assert [a.severity for a in alerts(soc=0.30)] == ["critical"]


def test_behind_schedule_past_fifteen_minutes() -> None:
    """A was to be left at 08:15 (29 700 s): 20 min later it is a warning, 10 min later none."""
    found = alerts(now_s=29_700 + 1_200)
    assert kinds(found) == ["behind_schedule"]
    assert found[0].severity == "warning" and "next stop A" in found[0].message
    assert alerts(now_s=29_700 + 600) == []
    assert [a.severity for a in alerts(now_s=29_700 + 2_000)] == ["critical"]


def test_failed_deliveries_are_listed() -> None:
    found = alerts({"A": StopState("failed", 29_700)}, now_s=29_800)
    assert kinds(found) == ["failed_deliveries"]
    assert "1 failed delivery: A" in found[0].message
    assert alerts({"A": StopState("delivered", 29_700)}, now_s=29_800) == []


def test_a_long_stop_away_from_the_depot() -> None:
    away = Stillness(NOW, 50 * 60.0, 52.60, 13.60)
    found = alerts(still=away)
    assert kinds(found) == ["long_stop"]
    assert found[0].message.startswith("stopped 50 min")


def test_no_long_stop_alert_for_a_short_stop_or_at_the_depot() -> None:
    assert alerts(still=Stillness(NOW, 20 * 60.0, 52.60, 13.60)) == []
    assert alerts(still=Stillness(NOW, 50 * 60.0, *DEPOT)) == []


def test_critical_alerts_come_first() -> None:
    p = plan(route("V1"), route("V2"))
    st: dict[str, dict[str, StopState]] = {"V1": {"A": StopState("failed", 29_700)}, "V2": {}}
    live = {"V2": LiveSoc(0.30, 29_800)}
    progress = {
        r.van_id: van_progress(r, st[r.van_id], 29_800, live.get(r.van_id)) for r in p.routes
    }
    found = fleet_alerts(p, progress, st, live, {})
    assert [(a.van_id, a.severity) for a in found] == [("V2", "critical"), ("V1", "warning")]
