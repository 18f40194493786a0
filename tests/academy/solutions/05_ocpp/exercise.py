"""Reference solution of lesson 5."""

from __future__ import annotations

import json
from typing import Any

ENERGY = "Energy.Active.Import.Register"
WH_PER = {"Wh": 1.0, "kWh": 1000.0}


def energy_wh(frame: str) -> float | None:
    _, _, action, payload = json.loads(frame)
    assert action == "MeterValues"
    found = None
    for meter_value in payload["meterValue"]:
        for sampled in meter_value["sampledValue"]:
            if sampled.get("measurand", ENERGY) != ENERGY:
                continue
            uom = sampled.get("unitOfMeasure", {})
            unit = sampled.get("unit") or uom.get("unit") or "Wh"
            if unit not in WH_PER:
                continue
            found = float(sampled["value"]) * WH_PER[unit] * 10.0 ** uom.get("multiplier", 0)
    return found


def tx_profile(
    transaction_id: int, start: str, slot_s: float, power_w: list[float]
) -> dict[str, Any]:
    periods: list[dict[str, Any]] = []
    for k, watts in enumerate([*power_w, 0.0]):
        if not periods or periods[-1]["limit"] != watts:
            periods.append({"startPeriod": int(k * slot_s), "limit": watts})
    return {
        "chargingProfileId": transaction_id,
        "transactionId": transaction_id,
        "stackLevel": 1,
        "chargingProfilePurpose": "TxProfile",
        "chargingProfileKind": "Absolute",
        "chargingSchedule": {
            "chargingRateUnit": "W",
            "startSchedule": start,
            "duration": int(len(power_w) * slot_s),
            "chargingSchedulePeriod": periods,
        },
    }
