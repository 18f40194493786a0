"""The van's live state of charge, from the telemetry store beside the operations store.

The cockpit's range starts from it. A reading older than :data:`MAX_AGE_S` says little about
the battery now, so the range falls back to the plan's profile and says so. It is read from the
``signals`` view, not ``last_state``: the last-state file is rewritten at an interval, while the
signal files hold every batch as soon as it is answered.
"""

from __future__ import annotations

from pathlib import Path

from voltvan.ops import LiveSoc
from voltvan.telemetry import now_us, open_query

#: The VSS signal: state of charge in percent.
SOC_SIGNAL = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current"
#: Older readings are not used to correct the plan.
MAX_AGE_S = 30 * 60


def live_soc(data_dir: Path, vehicle_id: str) -> LiveSoc | None:
    """The last state of charge the van reported, if recent; None without telemetry."""
    if not data_dir.is_dir():
        return None
    since_us = now_us() - int(MAX_AGE_S * 1_000_000)
    con = open_query(data_dir, threads=1)
    try:
        row = con.execute(
            "SELECT epoch_us(ts), value FROM signals WHERE vehicle_id = ? AND name = ? "
            "AND ts >= make_timestamptz(?) AND value IS NOT NULL ORDER BY ts DESC LIMIT 1",
            [vehicle_id, SOC_SIGNAL, since_us],
        ).fetchone()
    finally:
        con.close()
    if row is None:
        return None
    at_us, percent = int(row[0]), float(row[1])
    return LiveSoc(soc=min(1.0, max(0.0, percent / 100)), at_us=at_us)
