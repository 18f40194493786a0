"""The central system's answers to each OCPP 2.0.1 message, and its calls to the station.

A 2.0.1 station reports a session as transaction events (started, updated, ended) with the
meter values inside; they are mapped onto the same store as 1.6's start, meter and stop, so the
rest of the central system does not know which version a charger speaks.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from voltvan.charging.ocpp._csms_handler import CsmsHandler
from voltvan.charging.ocpp._meter_values import read_meter
from voltvan.charging.ocpp._ocpp import ChargePoint201, RobustMixin, after, call201, on, result201

if TYPE_CHECKING:
    from voltvan.charging.ocpp._csms import Csms

LOG = logging.getLogger("voltvan.csms")


class Handler201(CsmsHandler, RobustMixin, ChargePoint201):  # type: ignore[misc]
    """One connected OCPP 2.0.1 charger: boot, heartbeat, status and transaction events."""

    def __init__(self, charger_id: str, connection: Any, csms: Csms) -> None:
        super().__init__(charger_id, connection, response_timeout=csms.config.response_timeout_s)
        self.csms = csms

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
        self._record_status(evse_id, connector_status, None)
        return result201.StatusNotification()

    @after("StatusNotification")
    async def after_status(self, connector_status: str, evse_id: int, **_: Any) -> None:
        await self._replan_if_faulted(evse_id, connector_status)

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
