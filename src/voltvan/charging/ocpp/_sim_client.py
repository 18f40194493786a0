"""The simulated charger's answers to what the central system asks of it over OCPP 1.6J.

The ``ocpp`` library routes each request (set or clear a profile, remote start or stop, trigger
a message) to a handler here; the handler answers at once and, where the charger would act,
acts on the :class:`SimChargePoint` after the answer has gone, as a real charger does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from voltvan.charging.ocpp._ocpp import ChargePoint16, after, call16, on, result16

if TYPE_CHECKING:
    from voltvan.charging.ocpp._simcp import SimChargePoint


class SimClient16(ChargePoint16):  # type: ignore[misc]
    def __init__(self, charger_id: str, connection: Any, sim: SimChargePoint) -> None:
        super().__init__(charger_id, connection, response_timeout=10)
        self.sim = sim

    @on("SetChargingProfile")
    def on_set_profile(
        self, connector_id: int, cs_charging_profiles: dict[str, Any], **_: Any
    ) -> Any:
        return result16.SetChargingProfile(
            status=self.sim.apply_profile(connector_id, cs_charging_profiles)
        )

    @on("ClearChargingProfile")
    def on_clear_profile(self, connector_id: int | None = None, **_: Any) -> Any:
        for n, plug in self.sim.plugs.items():
            if connector_id in (None, 0, n):
                plug.profile_start, plug.periods = None, []
        return result16.ClearChargingProfile(status="Accepted")

    @on("RemoteStartTransaction")
    def on_remote_start(self, id_tag: str, connector_id: int | None = None, **_: Any) -> Any:
        plug = self.sim.plugs.get(connector_id or 1)
        ok = plug is not None and plug.tx_id is None and not plug.faulted
        return result16.RemoteStartTransaction(status="Accepted" if ok else "Rejected")

    @after("RemoteStartTransaction")
    async def after_remote_start(
        self, id_tag: str, connector_id: int | None = None, **_: Any
    ) -> None:
        plug = self.sim.plugs.get(connector_id or 1)
        if plug is not None and plug.tx_id is None and not plug.faulted:
            await self.sim.plug_in(connector_id or 1, id_tag)

    @on("RemoteStopTransaction")
    def on_remote_stop(self, transaction_id: int, **_: Any) -> Any:
        ok = any(p.tx_id == transaction_id for p in self.sim.plugs.values())
        return result16.RemoteStopTransaction(status="Accepted" if ok else "Rejected")

    @after("RemoteStopTransaction")
    async def after_remote_stop(self, transaction_id: int, **_: Any) -> None:
        for n, p in self.sim.plugs.items():
            if p.tx_id == transaction_id:
                await self.sim.unplug(n, reason="Remote")

    @on("TriggerMessage")
    def on_trigger(self, requested_message: str, **_: Any) -> Any:
        ok = requested_message in (
            "Heartbeat",
            "StatusNotification",
            "MeterValues",
            "BootNotification",
        )
        return result16.TriggerMessage(status="Accepted" if ok else "NotImplemented")

    @after("TriggerMessage")
    async def after_trigger(
        self, requested_message: str, connector_id: int | None = None, **_: Any
    ) -> None:
        if requested_message == "Heartbeat":
            await self.sim.call(call16.Heartbeat())
        elif requested_message == "StatusNotification":
            for n, p in self.sim.plugs.items():
                if connector_id in (None, n):
                    status = (
                        "Faulted"
                        if p.faulted
                        else ("Charging" if p.tx_id is not None else "Available")
                    )
                    await self.sim.send_status(n, status)
        elif requested_message == "MeterValues":
            await self.sim.send_meter_values(connector_id)
        elif requested_message == "BootNotification":
            await self.sim.call(
                call16.BootNotification(charge_point_model="SimAC", charge_point_vendor="voltvan")
            )
