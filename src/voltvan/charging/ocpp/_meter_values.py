"""Reading energy and power out of the meter values a charger sends, in either OCPP version.

Chargers report in Wh or kWh, W or kW, with or without a power-of-ten multiplier (2.0.1), and
some send measurands the central system does not use. Both handlers bring them to Wh and W
here, once; a reading in a unit that cannot be converted is skipped rather than taken for Wh,
which would count energy the van never got.
"""

from __future__ import annotations

from typing import Any

ENERGY = "Energy.Active.Import.Register"
POWER = "Power.Active.Import"
_UNIT_SCALE = {ENERGY: {"Wh": 1.0, "kWh": 1000.0}, POWER: {"W": 1.0, "kW": 1000.0}}


def read_meter(meter_value: list[dict[str, Any]]) -> tuple[float | None, float | None]:
    """Energy register (Wh) and power (W) from OCPP meter values (last sample wins).

    The unit is ``unit`` in 1.6 and ``unitOfMeasure`` (unit and a power-of-ten multiplier) in
    2.0.1; a value in a unit that is not energy or power in W(h) or kW(h) is skipped rather than
    read as Wh.
    """
    energy: float | None = None
    power: float | None = None
    for mv in meter_value:
        for sv in mv.get("sampled_value", []):
            measurand = sv.get("measurand", ENERGY)
            scales = _UNIT_SCALE.get(measurand)
            if scales is None:
                continue
            uom = sv.get("unit_of_measure") or {}
            unit = sv.get("unit") or uom.get("unit") or ("Wh" if measurand == ENERGY else "W")
            scale = scales.get(unit)
            if scale is None:
                continue
            try:
                value = float(sv["value"]) * scale * 10.0 ** int(uom.get("multiplier", 0))
            except (KeyError, TypeError, ValueError, OverflowError):
                continue
            if measurand == ENERGY:
                energy = value
            else:
                power = value
    return energy, power
