"""Grades lesson 5: meter readings against values the grader wrote itself in many shapes, and
the learner's TxProfile by sending it from voltvan's central system to a simulated charger over
a real WebSocket and metering what the charger then draws."""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import re
import tempfile
import types
from pathlib import Path
from typing import Any

from voltvan.charging import ChargerAccount, Csms, CsmsConfig

ENERGY = "Energy.Active.Import.Register"
POWER = "Power.Active.Import"
START_EPOCH = 1_767_290_400.0  # 2026-01-01T18:00:00Z
START = "2026-01-01T18:00:00Z"
SLOT_S = 900.0
#: A van's night in 15-minute slots (W): waits for cheap energy, charges, tapers, stops.
NIGHT_W = [0.0] * 4 + [11_000.0] * 3 + [7_400.0] * 5 + [0.0] * 6 + [11_000.0] * 4 + [3_300.5] * 2


def grade(module: types.ModuleType) -> list[str]:
    return grade_energy(module) + grade_profile(module)


def _call(what: str, fn: Any, *args: Any) -> tuple[Any, str | None]:
    """The learner's answer, or why there is none yet. Other exceptions pass through:
    ``voltvan academy check`` names the learner's file and line for them."""
    try:
        return fn(*args), None
    except NotImplementedError:
        return None, f"{what} is not written yet (it still raises NotImplementedError)"


# -- MeterValues ---------------------------------------------------------------------------


def _frame(payload: dict[str, Any], n: int) -> str:
    return json.dumps([2, f"mv-{n}", "MeterValues", payload])


def meter_frames(seed: int = 5) -> list[tuple[str, float | None, str]]:
    """``(frame, energy in Wh, what it tests)``: the expected value is known by construction."""
    rng = random.Random(seed)
    wh = round(rng.uniform(10_000, 90_000), 1)
    ts = "2026-01-01T23:15:00Z"

    def v16(*sampled: dict[str, Any]) -> dict[str, Any]:
        return {
            "connectorId": 1,
            "transactionId": 7,
            "meterValue": [{"timestamp": ts, "sampledValue": list(sampled)}],
        }

    def v201(*sampled: dict[str, Any]) -> dict[str, Any]:
        return {"evseId": 1, "meterValue": [{"timestamp": ts, "sampledValue": list(sampled)}]}

    cases: list[tuple[dict[str, Any], float | None, str]] = [
        (v16({"value": f"{wh}", "measurand": ENERGY, "unit": "Wh"}), wh, "1.6 in Wh"),
        (v16({"value": f"{wh / 1000:.4f}", "measurand": ENERGY, "unit": "kWh"}), wh, "1.6 in kWh"),
        (v16({"value": f"{wh}"}), wh, "1.6 with neither measurand nor unit (the defaults)"),
        (
            v16(
                {"value": f"{wh}", "measurand": ENERGY, "unit": "Wh"},
                {"value": "7400.0", "measurand": POWER, "unit": "W"},
            ),
            wh,
            "1.6 energy followed by power",
        ),
        (v16({"value": "11.0", "measurand": POWER, "unit": "kW"}), None, "1.6 power only"),
        (
            v16({"value": f"{wh}", "measurand": "Energy.Active.Export.Register", "unit": "Wh"}),
            None,
            "1.6 energy exported, not imported",
        ),
        (
            v16({"value": f"{wh}", "measurand": ENERGY, "unit": "varh"}),
            None,
            "1.6 in an unit that is not energy in Wh",
        ),
        (
            v201({"value": wh / 1000, "measurand": ENERGY, "unitOfMeasure": {"unit": "kWh"}}),
            wh,
            "2.0.1 in kWh",
        ),
        (
            v201(
                {
                    "value": wh / 1000,
                    "measurand": ENERGY,
                    "unitOfMeasure": {"unit": "Wh", "multiplier": 3},
                }
            ),
            wh,
            "2.0.1 in Wh with multiplier 3",
        ),
        (
            v201(
                {
                    "value": wh * 10,
                    "measurand": ENERGY,
                    "unitOfMeasure": {"unit": "Wh", "multiplier": -1},
                }
            ),
            wh,
            "2.0.1 in Wh with multiplier -1",
        ),
    ]
    later = round(wh + rng.uniform(500, 5_000), 1)
    two = v16({"value": f"{wh}", "unit": "Wh"})
    two["meterValue"].append(
        {"timestamp": "2026-01-01T23:30:00Z", "sampledValue": [{"value": f"{later}", "unit": "Wh"}]}
    )
    cases.append((two, later, "1.6 with two readings (the last counts)"))
    return [(_frame(p, n), e, what) for n, (p, e, what) in enumerate(cases)]


def grade_energy(module: types.ModuleType) -> list[str]:
    problems = []
    for frame, expected, what in meter_frames():
        got, error = _call("energy_wh", module.energy_wh, frame)
        if error:
            return [error]
        if expected is None:
            if got is not None:
                problems.append(f"energy_wh: {what}: there is no energy reading, you read {got}")
        elif not isinstance(got, (int, float)) or abs(float(got) - expected) > 0.01:
            problems.append(f"energy_wh: {what}: the meter reads {expected} Wh, you read {got}")
    return problems


# -- SetChargingProfile ------------------------------------------------------------------------


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def _snake_keys(value: Any) -> Any:
    """The payload as the ``ocpp`` library hands it to Python code (snake_case keys)."""
    if isinstance(value, dict):
        return {_snake(str(k)): _snake_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_snake_keys(v) for v in value]
    return value


def _required(payload: dict[str, Any]) -> list[str]:
    """The fields a TxProfile cannot do without, by their OCPP names."""
    missing = [
        k
        for k in (
            "chargingProfileId",
            "stackLevel",
            "chargingProfilePurpose",
            "chargingProfileKind",
            "chargingSchedule",
        )
        if k not in payload
    ]
    sched = payload.get("chargingSchedule")
    if isinstance(sched, dict):
        missing += [
            f"chargingSchedule.{k}"
            for k in ("chargingRateUnit", "chargingSchedulePeriod", "startSchedule")
            if k not in sched
        ]
    return missing


class _Clock:
    """Simulated epoch seconds, moved by hand: the night takes no wall time."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def send_and_meter(payload: dict[str, Any], power_w: list[float]) -> tuple[str, float, int]:
    """Send the profile from the central system to a charger with a van plugged in; return
    the answer, the energy metered from the start to two hours past the last slot, and the
    transaction id the charger was given."""
    from voltvan.charging import SimChargePoint

    clock = _Clock(START_EPOCH - 600.0)
    with tempfile.TemporaryDirectory() as tmp:
        config = CsmsConfig(
            chargers={"CP1": ChargerAccount("CP1", "lesson-five-secret")}, watch_every_s=None
        )
        csms = Csms(config, store_path=Path(tmp) / "csms.sqlite", clock=clock)
        port = await csms.start("127.0.0.1", 0)
        sim = SimChargePoint(
            "CP1", "lesson-five-secret", f"ws://127.0.0.1:{port}", clock=clock, meter_every_s=1e9
        )
        try:
            await sim.connect()
            tx_id = await sim.plug_in(1, "V001")
            snake = _snake_keys(payload)
            snake.setdefault("transaction_id", None)
            snake["charging_schedule"].setdefault("duration", None)
            accepted = await csms.connected["CP1"].set_profile(1, snake)
            plug = sim.plugs[1]
            before = plug.meter_wh
            end = START_EPOCH + SLOT_S * (len(power_w) + 8)
            while clock.now < end:
                clock.now = min(end, clock.now + 300.0)
                sim.advance()
            return ("Accepted" if accepted else "Rejected"), plug.meter_wh - before, tx_id
        finally:
            await sim.close()
            await csms.stop()


def grade_profile(module: types.ModuleType) -> list[str]:
    tx_id = 1  # the first transaction of a fresh central system
    payload, error = _call("tx_profile", module.tx_profile, tx_id, START, SLOT_S, list(NIGHT_W))
    if error:
        return [error]
    if not isinstance(payload, dict):
        return [f"tx_profile must return a dict (the csChargingProfiles object), got {payload!r}"]
    missing = _required(payload)
    if missing:
        return [f"tx_profile: the profile lacks {', '.join(missing)}"]
    problems = []
    if payload.get("chargingProfilePurpose") != "TxProfile":
        problems.append("tx_profile: chargingProfilePurpose must be TxProfile")
    if payload.get("transactionId") != tx_id:
        problems.append(f"tx_profile: transactionId must be the session's, {tx_id}")
    periods = payload["chargingSchedule"].get("chargingSchedulePeriod") or []
    changes = 1 + sum(a != b for a, b in itertools.pairwise(NIGHT_W))
    if len(periods) > changes + 1:
        problems.append(
            f"tx_profile: the night has {changes} runs of equal power, your profile "
            f"{len(periods)} periods: merge equal neighbouring slots"
        )
    if problems:
        return problems
    try:
        answer, metered, real_tx = asyncio.run(send_and_meter(payload, NIGHT_W))
    except Exception as exc:  # the library refuses a payload that breaks the OCPP schema
        details = getattr(exc, "details", None)
        cause = str(details.get("cause", exc) if isinstance(details, dict) else exc)
        why = cause.rpartition(" is not valid: ")[2].splitlines()[0][:300]
        return [f"tx_profile: the central system could not send it: {why}"]
    if real_tx != tx_id:
        return [f"(grader) the charger's transaction id was {real_tx}, expected {tx_id}"]
    if answer != "Accepted":
        return [f"tx_profile: the charger answered {answer}"]
    planned = sum(NIGHT_W) * SLOT_S / 3600.0
    if abs(metered - planned) > 1.0:
        return [
            f"tx_profile: the charger drew {metered:.0f} Wh from 18:00 until two hours after "
            f"the last slot; the slots add up to {planned:.0f} Wh"
        ]
    return []
