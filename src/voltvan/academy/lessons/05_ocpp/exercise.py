"""Lesson 5 exercise: the two OCPP messages that matter most to a depot's energy manager.

Edit the two functions below, then run ``voltvan academy check 5``.
"""

from __future__ import annotations

from typing import Any


def energy_wh(frame: str) -> float | None:
    """The energy meter reading, in Wh, of one MeterValues frame as it travels on the wire.

    ``frame`` is OCPP-J text: ``[2, "<message id>", "MeterValues", {payload}]``, from an OCPP
    1.6 charger (``sampledValue`` entries with a string ``value`` and a ``unit``) or an OCPP
    2.0.1 one (a number ``value`` and ``unitOfMeasure`` with ``unit`` and a power-of-ten
    ``multiplier``). Read only the measurand ``Energy.Active.Import.Register`` (it is the
    default when ``measurand`` is missing, as ``Wh`` is the default unit); convert ``kWh`` to
    Wh; skip values in any other unit. When the frame holds several readings the last one
    counts. Return ``None`` when there is no energy reading.
    """
    raise NotImplementedError("json.loads the frame, walk meterValue / sampledValue")


def tx_profile(
    transaction_id: int, start: str, slot_s: float, power_w: list[float]
) -> dict[str, Any]:
    """The ``csChargingProfiles`` object of an OCPP 1.6 SetChargingProfile request that makes
    a charger draw ``power_w[k]`` watts during slot ``k`` of ``slot_s`` seconds from ``start``
    (RFC 3339, e.g. ``"2026-01-01T18:00:00Z"``), and nothing after the last slot.

    A TxProfile for that transaction, kind Absolute, rate unit W, stack level 1, profile id =
    the transaction id. Chargers hold only a few periods: merge equal neighbouring slots.
    """
    raise NotImplementedError("build chargingSchedule with chargingSchedulePeriod entries")
