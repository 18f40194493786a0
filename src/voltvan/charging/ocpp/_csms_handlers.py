"""What the central system answers to each OCPP message, per protocol version.

Handlers write to the store before they answer; anything that needs a call back to the charger
(profiles, re-plans) runs after the answer, as OCPP requires.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from voltvan.charging.ocpp._ocpp import (
    ChargePoint16,
    ChargePoint201,
    RobustMixin,
    after,
    call16,
    call201,
    on,
    result16,
    result201,
    types16,
)

if TYPE_CHECKING:
    from voltvan.charging.ocpp._csms import Csms

LOG = logging.getLogger("voltvan.csms")
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


class Handler16(RobustMixin, ChargePoint16):  # type: ignore[misc]
    """One connected OCPP 1.6J charger."""

    def __init__(self, charger_id: str, connection: Any, csms: Csms) -> None:
        super().__init__(charger_id, connection, response_timeout=csms.config.response_timeout_s)
        self.csms = csms

    def _now(self) -> str:
        from voltvan.charging.ocpp._csms import iso

        return iso(self.csms.clock())

    @on("BootNotification")
    def on_boot(self, charge_point_vendor: str, charge_point_model: str, **_: Any) -> Any:
        self.csms.store.record_boot(
            self.id, self.csms.clock(), charge_point_vendor, charge_point_model, "ocpp1.6"
        )
        return result16.BootNotification(
            current_time=self._now(), interval=self.csms.config.heartbeat_s, status="Accepted"
        )

    @after("BootNotification")
    async def after_boot(self, **_: Any) -> None:
        # a charger back after a drop-out (or after our restart) resumes its sessions
        if self.csms.store.active(self.id):
            await self.csms.apply_profiles(self.id)

    @on("Heartbeat")
    def on_heartbeat(self, **_: Any) -> Any:
        return result16.Heartbeat(current_time=self._now())

    @on("StatusNotification")
    def on_status(self, connector_id: int, error_code: str, status: str, **_: Any) -> Any:
        self.csms.store.set_status(self.id, connector_id, status, error_code, self.csms.clock())
        return result16.StatusNotification()

    @after("StatusNotification")
    async def after_status(self, connector_id: int, status: str, **_: Any) -> None:
        if status == "Faulted":
            await self.csms.replan(f"{self.id}/{connector_id} faulted")

    @on("Authorize")
    def on_authorize(self, id_tag: str, **_: Any) -> Any:
        status = "Accepted" if self.csms.knows_tag(id_tag) else "Invalid"
        return result16.Authorize(id_tag_info={"status": status})

    @on("StartTransaction")
    def on_start(
        self, connector_id: int, id_tag: str, meter_start: int, timestamp: str, **_: Any
    ) -> Any:
        known = self.csms.knows_tag(id_tag)
        # OCPP 1.6 wants a transaction id even for a refused badge; the charger then stops.
        # The session is kept for the audit but never active: no profile, no energy counted.
        tx_id = self.csms.store.start(
            self.id, connector_id, id_tag, float(meter_start), self.csms.clock(), active=known
        )
        return result16.StartTransaction(
            transaction_id=tx_id, id_tag_info={"status": "Accepted" if known else "Invalid"}
        )

    @after("StartTransaction")
    async def after_start(self, connector_id: int, id_tag: str, **_: Any) -> None:
        if not self.csms.knows_tag(id_tag):
            return
        planned, plug_in = self.csms.planned_connector(id_tag)
        here = f"{self.id}/{connector_id}"
        now = self.csms.now_s()
        if planned is not None and plug_in is not None:
            late = now > plug_in + self.csms.config.late_grace_s
            if planned != here or late:
                why = "late" if late else f"on {here} instead of {planned}"
                await self.csms.replan(f"{id_tag} plugged in {why}")
                return
        elif self.csms.schedule is not None and any(
            v.vehicle_id == id_tag for v in self.csms.schedule.vans
        ):
            await self.csms.replan(f"{id_tag} plugged in without a planned connector")
            return
        await self.csms.apply_profiles(self.id)

    @on("MeterValues")
    def on_meter(self, connector_id: int, meter_value: list[dict[str, Any]], **kw: Any) -> Any:
        tx_id = kw.get("transaction_id")
        energy, power = read_meter(meter_value)
        now = self.csms.clock()
        if (
            tx_id is not None
            and energy is not None
            and not self.csms.store.meter(self.id, int(tx_id), energy, power, now)
        ):
            LOG.warning("%s sent meter values for transaction %s it does not run", self.id, tx_id)
        return result16.MeterValues()

    @on("StopTransaction")
    def on_stop(self, meter_stop: int, timestamp: str, transaction_id: int, **kw: Any) -> Any:
        now = self.csms.clock()
        if self.csms.store.stop(self.id, transaction_id, float(meter_stop), now, kw.get("reason")):
            return result16.StopTransaction(id_tag_info={"status": "Accepted"})
        # Answered all the same (a charger retries an unanswered stop forever), never recorded.
        LOG.warning("%s tried to stop transaction %s it does not run", self.id, transaction_id)
        return result16.StopTransaction()

    # -- calls to the charger ---------------------------------------------------------------
    async def set_profile(self, connector: int, profile: dict[str, Any]) -> bool:
        sched = profile["charging_schedule"]
        cs = types16.ChargingSchedule(
            charging_rate_unit=sched["charging_rate_unit"],
            charging_schedule_period=[
                types16.ChargingSchedulePeriod(start_period=p["start_period"], limit=p["limit"])
                for p in sched["charging_schedule_period"]
            ],
            start_schedule=sched["start_schedule"],
            duration=sched["duration"],
        )
        cp = types16.ChargingProfile(
            charging_profile_id=profile["charging_profile_id"],
            stack_level=profile["stack_level"],
            charging_profile_purpose=profile["charging_profile_purpose"],
            charging_profile_kind=profile["charging_profile_kind"],
            charging_schedule=cs,
            transaction_id=profile["transaction_id"],
        )
        res = await self.call(
            call16.SetChargingProfile(connector_id=connector, cs_charging_profiles=cp)
        )
        return res is not None and res.status == "Accepted"

    async def clear_profile(self, connector: int) -> str:
        res = await self.call(
            call16.ClearChargingProfile(
                connector_id=connector, charging_profile_purpose="TxProfile"
            )
        )
        return "" if res is None else str(res.status)

    async def remote_start(self, connector: int, id_tag: str) -> str:
        res = await self.call(call16.RemoteStartTransaction(id_tag=id_tag, connector_id=connector))
        return "" if res is None else str(res.status)

    async def remote_stop(self, transaction_id: int) -> str:
        res = await self.call(call16.RemoteStopTransaction(transaction_id=transaction_id))
        return "" if res is None else str(res.status)

    async def trigger(self, message: str, connector: int | None) -> str:
        res = await self.call(
            call16.TriggerMessage(requested_message=message, connector_id=connector)
        )
        return "" if res is None else str(res.status)


class Handler201(RobustMixin, ChargePoint201):  # type: ignore[misc]
    """One connected OCPP 2.0.1 charger: boot, heartbeat, status and transaction events."""

    def __init__(self, charger_id: str, connection: Any, csms: Csms) -> None:
        super().__init__(charger_id, connection, response_timeout=csms.config.response_timeout_s)
        self.csms = csms

    def _now(self) -> str:
        from voltvan.charging.ocpp._csms import iso

        return iso(self.csms.clock())

    @on("BootNotification")
    def on_boot(self, charging_station: dict[str, Any], reason: str, **_: Any) -> Any:
        self.csms.store.record_boot(
            self.id,
            self.csms.clock(),
            str(charging_station.get("vendor_name", "")),
            str(charging_station.get("model", "")),
            "ocpp2.0.1",
        )
        return result201.BootNotification(
            current_time=self._now(), interval=self.csms.config.heartbeat_s, status="Accepted"
        )

    @on("Heartbeat")
    def on_heartbeat(self, **_: Any) -> Any:
        return result201.Heartbeat(current_time=self._now())

    @on("StatusNotification")
    def on_status(self, connector_status: str, evse_id: int, connector_id: int, **_: Any) -> Any:
        self.csms.store.set_status(self.id, evse_id, connector_status, None, self.csms.clock())
        return result201.StatusNotification()

    @after("StatusNotification")
    async def after_status(self, connector_status: str, evse_id: int, **_: Any) -> None:
        if connector_status == "Faulted":
            await self.csms.replan(f"{self.id}/{evse_id} faulted")

    @on("TransactionEvent")
    def on_transaction_event(
        self,
        event_type: str,
        timestamp: str,
        transaction_info: dict[str, Any],
        **kw: Any,
    ) -> Any:
        store = self.csms.store
        ocpp_id = str(transaction_info["transaction_id"])
        energy, power = read_meter(kw.get("meter_value") or [])
        tx = store.active_by_ocpp_id(self.id, ocpp_id)
        tag = (kw.get("id_token") or {}).get("id_token")
        known = tag is None or self.csms.knows_tag(tag)
        now = self.csms.clock()
        if tx is None and event_type in ("Started", "Updated"):
            evse = (kw.get("evse") or {}).get("id", 1)
            store.start(
                self.id, int(evse), tag or "", energy or 0.0, now, ocpp_id=ocpp_id, active=known
            )
        elif tx is not None and event_type == "Ended":
            end_wh = energy if energy is not None else tx.meter_last_wh
            store.stop(self.id, tx.id, end_wh, now, transaction_info.get("stopped_reason"))
        elif tx is not None and energy is not None:
            store.meter(self.id, tx.id, energy, power, now)
        if tag is None:
            return result201.TransactionEvent()
        return result201.TransactionEvent(
            id_token_info={"status": "Accepted" if known else "Invalid"}
        )

    @on("Authorize")
    def on_authorize(self, id_token: dict[str, Any], **_: Any) -> Any:
        known = self.csms.knows_tag(str(id_token.get("id_token", "")))
        return result201.Authorize(id_token_info={"status": "Accepted" if known else "Invalid"})

    @on("MeterValues")
    def on_meter(self, evse_id: int, meter_value: list[dict[str, Any]], **_: Any) -> Any:
        """Readings outside a TransactionEvent count for the session running on that EVSE."""
        energy, power = read_meter(meter_value)
        running = [tx for tx in self.csms.store.active(self.id) if tx.connector == evse_id]
        if running and energy is not None:
            self.csms.store.meter(self.id, running[-1].id, energy, power, self.csms.clock())
        return result201.MeterValues()

    @on("NotifyEvent")
    def on_notify_event(self, event_data: list[dict[str, Any]], **_: Any) -> Any:
        for event in event_data:
            LOG.info("%s event: %s", self.id, event)
        return result201.NotifyEvent()

    @on("SecurityEventNotification")
    def on_security_event(self, type: str, timestamp: str, **kw: Any) -> Any:
        tech = kw.get("tech_info")
        LOG.warning("%s security event %s at %s: %s", self.id, type, timestamp, tech)
        return result201.SecurityEventNotification()

    @after("TransactionEvent")
    async def after_transaction_event(self, event_type: str, **_: Any) -> None:
        if event_type == "Started":
            await self.csms.apply_profiles(self.id)

    async def set_profile(self, connector: int, profile: dict[str, Any]) -> bool:
        """The same TxProfile in 2.0.1 shape: on the EVSE, bound to the station's tx id."""
        tx = self.csms.store.transaction(int(profile["transaction_id"]))
        if tx is None or tx.ocpp_id is None:
            return False
        sched = profile["charging_schedule"]
        res = await self.call(
            call201.SetChargingProfile(
                evse_id=connector,
                charging_profile={
                    "id": profile["charging_profile_id"],
                    "stack_level": profile["stack_level"],
                    "charging_profile_purpose": "TxProfile",
                    "charging_profile_kind": "Absolute",
                    "transaction_id": tx.ocpp_id,
                    "charging_schedule": [
                        {
                            "id": profile["charging_profile_id"],
                            "charging_rate_unit": "W",
                            "start_schedule": sched["start_schedule"],
                            "duration": sched["duration"],
                            "charging_schedule_period": sched["charging_schedule_period"],
                        }
                    ],
                },
            )
        )
        return res is not None and res.status == "Accepted"

    async def trigger(self, message: str, connector: int | None) -> str:
        res = await self.call(call201.TriggerMessage(requested_message=message))
        return "" if res is None else str(res.status)
