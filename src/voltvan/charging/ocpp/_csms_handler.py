"""What the central system's handler of a connected charger does alike in OCPP 1.6J and 2.0.1.

The two versions name their messages and fields differently, so each has its own handler class;
the clock they answer with, the status they record and the re-plan a fault starts are the same
and live here once, so that a change to them reaches both versions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from voltvan.charging.ocpp._csms import Csms


class CsmsHandler:
    """Mixed into each version's handler, before the ``ocpp`` library's charge point class."""

    id: str
    csms: Csms

    def _now(self) -> str:
        from voltvan.charging.ocpp._csms import iso

        return iso(self.csms.clock())

    def _record_status(self, connector: int, status: str, error_code: str | None) -> None:
        self.csms.store.set_status(self.id, connector, status, error_code, self.csms.clock())

    async def _replan_if_faulted(self, connector: int, status: str) -> None:
        if status == "Faulted":
            await self.csms.replan(f"{self.id}/{connector} faulted")
