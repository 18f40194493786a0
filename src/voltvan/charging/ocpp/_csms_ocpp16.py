"""What the central system answers to each OCPP 1.6J message, and the calls it makes to the charger.

Handlers write to the store before they answer; anything that needs a call back to the charger
(profiles, re-plans) runs after the answer, as OCPP requires.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from voltvan.charging.ocpp._csms_handler import CsmsHandler
from voltvan.charging.ocpp._meter_values import read_meter
from voltvan.charging.ocpp._ocpp import (
    ChargePoint16,
    RobustMixin,
    after,
    call16,
    on,
    result16,
    types16,
)

if TYPE_CHECKING:
    from voltvan.charging.ocpp._csms import Csms

LOG = logging.getLogger("voltvan.csms")


class Handler16(CsmsHandler, RobustMixin, ChargePoint16):  # type: ignore[misc]
    """One connected OCPP 1.6J charger."""

    def __init__(self, charger_id: str, connection: Any, csms: Csms) -> None:
        super().__init__(charger_id, connection, response_timeout=csms.config.response_timeout_s)
        self.csms = csms

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
        self._record_status(connector_id, status, error_code)
        return result16.StatusNotification()

    @after("StatusNotification")
    async def after_status(self, connector_id: int, status: str, **_: Any) -> None:
        await self._replan_if_faulted(connector_id, status)

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
