"""One dispatcher's watch over a day: the plan and stop statuses from the operations store, the
vans from the telemetry store, turned into what the console page shows and then into updates.

Telemetry is polled (:class:`voltvan.telemetry.LiveTail`: a ``stat`` per folder, new files
only), the operations store every few seconds through its day summary (one query) and read in
full only when that changed or the plan has a new version.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from voltvan.console._alerts import ConsoleParams, fleet_alerts
from voltvan.console._clock import local_day, seconds_after
from voltvan.console._live import LiveFleet
from voltvan.console._progress import StopState, van_progress
from voltvan.ops import OpsStore
from voltvan.plan import Plan
from voltvan.telemetry import LiveTail, day_series, live_rows, utc_days


class DayWatch:
    def __init__(
        self,
        store: OpsStore,
        data_dir: Path,
        day: str,
        tz: str,
        params: ConsoleParams | None = None,
    ) -> None:
        self.store, self.data_dir, self.day, self.tz, self.params = (
            store,
            data_dir,
            day,
            tz,
            (params or ConsoleParams()),
        )
        self.midnight, self.next_midnight = local_day(day, tz)
        self.summary: dict[str, Any] = store.day(day)
        self.version, self.plan = store.plan(day)
        self.states = self._read_states()
        self.fleet = LiveFleet(self.midnight)
        self.tail = LiveTail(data_dir, utc_days(self.midnight, self.next_midnight))
        # Files landing from here on are read by poll(); reading one twice changes nothing.
        self.tail.skip_existing()
        now = datetime.now(UTC)
        if now > self.midnight:
            self.fleet.apply(day_series(data_dir, self.midnight, min(now, self.next_midnight)))

    # -- the operations store -----------------------------------------------------------------

    def _read_states(self) -> dict[str, dict[str, StopState]]:
        done_at = {
            str(e["event_id"]): seconds_after(datetime.fromisoformat(e["at"]), self.midnight)
            for e in self.store.events(self.day)
            if e.get("outcome") != "conflict"
        }
        out: dict[str, dict[str, StopState]] = {}
        for route in self.plan.routes:
            view = self.store.route(self.day, route.van_id)
            out[route.van_id] = {
                v["location_id"]: StopState(
                    v["status"],
                    done_at.get(str(v["event_id"])) if v["status"] in ("delivered", "failed")
                    else None,
                )
                for v in view["visits"]
                if v["kind"] == "stop"
            }  # fmt: skip
        return out

    def refresh_ops(self) -> str | None:
        """``plan`` when a new version was published, ``stops`` when statuses changed."""
        summary = self.store.day(self.day)
        if summary == self.summary:
            return None
        self.summary = summary
        kind = "stops"
        if summary["plan_version"] != self.version:
            self.version, self.plan = self.store.plan(self.day)
            kind = "plan"
        self.states = self._read_states()
        return kind

    # -- telemetry ----------------------------------------------------------------------------

    def poll_telemetry(self) -> dict[str, Any] | None:
        """The vans whose position, SoC or speed changed since the last poll, or None."""
        table = self.tail.poll()
        if table is None:
            return None
        changed = self.fleet.apply(live_rows(table))
        if not changed:
            return None
        return {
            "vans": {
                v: {
                    **self.fleet.vans[v].to_dict(self.midnight),
                    "soc_series": self.fleet.vans[v].soc_series[-2:],
                    "speed_series": self.fleet.vans[v].speed_series[-2:],
                }
                for v in sorted(changed)
            }
        }

    # -- what the page shows ------------------------------------------------------------------

    def progress(self, now: datetime | None = None) -> dict[str, Any]:
        now = now or datetime.now(UTC)
        now_s = seconds_after(now, self.midnight)
        live = self.fleet.soc()
        progress = {
            r.van_id: van_progress(r, self.states.get(r.van_id, {}), now_s, live.get(r.van_id))
            for r in self.plan.routes
        }
        alerts = fleet_alerts(
            self.plan, progress, self.states, live, self.fleet.stillness(now), self.params
        )
        return {
            "now_s": round(now_s, 1),
            "progress": {v: p.to_dict() for v, p in progress.items()},
            "alerts": [a.to_dict() for a in alerts],
            "statuses": {
                v: {s: st.status for s, st in states.items()} for v, states in self.states.items()
            },
        }

    def snapshot(self) -> dict[str, Any]:
        return {
            "day": self.day,
            "tz": self.tz,
            "plan_version": self.version,
            "scenario": self.plan.scenario,
            "routes": plan_geometry(self.plan),
            "reserve_pct": self.params.telemetry.reserve_fraction * 100,
            "live": {v: van.to_dict(self.midnight) for v, van in self.fleet.vans.items()},
            "series": self.fleet.series(),
            **self.progress(),
        }


def plan_geometry(plan: Plan) -> list[dict[str, Any]]:
    """Per route what the map and the plot draw: the line, the stops in order, the depot, and
    the planned SoC over the day."""
    out = []
    for r in plan.routes:
        first = r.visits[0]
        out.append(
            {
                "van_id": r.van_id,
                "depot": {"id": r.depot_id, "lat": first.lat, "lon": first.lon},
                "line": [[v.lat, v.lon] for v in r.visits],
                "stops": [
                    {
                        "id": v.location_id,
                        "lat": v.lat,
                        "lon": v.lon,
                        "seq": i,
                        "arrival_s": v.arrival_s,
                    }
                    for i, v in enumerate((v for v in r.visits if v.kind == "stop"), start=1)
                ],
                "chargers": [
                    {"id": v.location_id, "lat": v.lat, "lon": v.lon} for v in r.charge_visits
                ],
                "planned_soc": [
                    [t, round(v.soc + (v.charge_wh / (v.energy_wh / v.soc) if i else 0.0), 4)]
                    for v in r.visits
                    if v.soc > 0
                    for i, t in enumerate((v.arrival_s, v.departure_s))
                ],
                "start_s": r.start_s,
                "end_s": r.end_s,
            }
        )
    return out
