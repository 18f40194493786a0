"""The OCPP central system: authenticates chargers, records sessions, applies the schedule.

Chargers connect over OCPP-J (WebSocket, subprotocol ``ocpp1.6`` or ``ocpp2.0.1``) at
``ws://host:port/<charger_id>`` with HTTP Basic auth (security profile 1: user = charger id,
password per charger); the handshake is refused with 401 otherwise. With :class:`CsmsTls` it
serves ``wss://`` (security profile 2), and with a client CA it knows chargers by their
certificate instead of a password (profile 3, see ``_tls``). Every session lives in the
:class:`Store` first, so a charger that reconnects, or a server that restarts, carries on with
the same transaction. A van plugging in late, on another connector than planned, or a connector
faulting triggers a re-plan; every running session then gets its new TxProfile.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections.abc import Callable
from http import HTTPStatus
from pathlib import Path
from typing import Any

from voltvan.charging._replan import LiveVan, profile_periods, replan
from voltvan.charging._schedule import Schedule
from voltvan.charging.ocpp._csms_auth import basic_auth_ok, charger_id_of
from voltvan.charging.ocpp._csms_config import CsmsConfig, check_schedule_chargers
from voltvan.charging.ocpp._csms_stats import CountingConnection, CsmsStats
from voltvan.charging.ocpp._store import Store, Transaction
from voltvan.charging.ocpp._tls import CsmsTls, certificate_names_charger
from voltvan.errors import InvalidInput

LOG = logging.getLogger("voltvan.csms")
SUBPROTOCOLS = ("ocpp1.6", "ocpp2.0.1")
FAULT_STATES = frozenset({"Faulted", "Unavailable"})


def iso(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).isoformat().replace("+00:00", "Z")


def parse_iso(text: str) -> float:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


class Csms:
    """One server: ``await start(host, port)``, ``await stop()``; state in ``store_path``.

    ``day_start_epoch`` is the wall-clock time of midnight at the start of the schedule's
    clock (the evening's day); ``clock`` gives epoch seconds (tests pass a faster one).
    """

    def __init__(
        self,
        config: CsmsConfig,
        *,
        store_path: Path,
        schedule: Schedule | None = None,
        schedule_out: Path | None = None,
        day_start_epoch: float = 0.0,
        clock: Callable[[], float] = time.time,
        tls: CsmsTls | None = None,
    ) -> None:
        if schedule is not None:
            check_schedule_chargers(config, schedule)
        if tls is None or tls.client_ca is None:
            for account in config.chargers.values():
                account.basic_auth_password()  # a passwordless charger needs profile 3
        self.config = config
        self.store = Store(store_path)
        self.schedule = schedule
        self.schedule_out = schedule_out
        self.day_start_epoch = day_start_epoch
        self.clock = clock
        self.tls = tls
        self.stats = CsmsStats()
        self.connected: dict[str, Any] = {}
        self.replans: list[str] = []
        self._server: Any = None
        self._replan_lock = asyncio.Lock()
        self._watch_task: asyncio.Task[None] | None = None
        self._no_shows: set[str] = set()

    # -- lifecycle -----------------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        from websockets.asyncio.server import serve

        self._server = await serve(
            self._serve,
            host,
            port,
            subprotocols=list(SUBPROTOCOLS),  # type: ignore[arg-type]
            process_request=self._authenticate,
            ssl=None if self.tls is None else self.tls.context(),
        )
        sock = next(iter(self._server.sockets))
        if self.config.watch_every_s is not None:
            self._watch_task = asyncio.create_task(self._watch(self.config.watch_every_s))
        return int(sock.getsockname()[1])

    async def _watch(self, every_s: float) -> None:
        """Re-plan once for each van that has not plugged in by its planned time + grace."""
        while True:
            await asyncio.sleep(every_s)
            late = self.no_shows()
            if late:
                self._no_shows.update(late)
                try:
                    await self.replan(f"{', '.join(sorted(late))} late: not plugged in")
                except Exception:  # keep watching; the error is in the log
                    LOG.exception("re-plan after no-shows failed")

    def no_shows(self) -> list[str]:
        """Vans past their planned plug-in (+ grace) with no session tonight."""
        if self.schedule is None:
            return []
        seen = {tx.id_tag for tx in self.store.all()}
        now = self.now_s()
        return [
            v.vehicle_id
            for v in self.schedule.vans
            if v.plug_in is not None
            and v.vehicle_id not in seen
            and v.vehicle_id not in self._no_shows
            and now > v.plug_in + self.config.late_grace_s
            and now < v.departure
        ]

    async def stop(self) -> None:
        if self._watch_task is not None:
            self._watch_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch_task
            self._watch_task = None
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        self.store.close()

    def now_s(self) -> float:
        """Now on the schedule's clock (seconds after the evening's midnight)."""
        return self.clock() - self.day_start_epoch

    async def _authenticate(self, connection: Any, request: Any) -> Any:
        charger_id = charger_id_of(request.path, self.config.path_prefix)
        account = None if charger_id is None else self.config.chargers.get(charger_id)
        if account is not None and self.tls is not None and self.tls.client_ca is not None:
            if certificate_names_charger(connection, account.id):
                return None
            LOG.warning("refused charger %r: its certificate names another charger", charger_id)
            self.stats.refused_connections["certificate"] += 1
            return connection.respond(
                HTTPStatus.FORBIDDEN, "the client certificate does not name this charger\n"
            )
        header = request.headers.get("Authorization")
        # a hashed password takes ~50 ms to check: off the event loop, which serves every charger
        ok = (
            account is not None
            and account.password is not None
            and await asyncio.to_thread(basic_auth_ok, header, account.id, account.password)
        )
        if not ok:
            LOG.warning("refused charger %r: unknown or wrong password", charger_id)
            self.stats.refused_connections["password" if account else "unknown_charger"] += 1
            response = connection.respond(
                HTTPStatus.UNAUTHORIZED, "unknown charger or bad password\n"
            )
            response.headers["WWW-Authenticate"] = 'Basic realm="voltvan"'
            return response
        return None

    async def _serve(self, connection: Any) -> None:
        from websockets.exceptions import ConnectionClosed

        from voltvan.charging.ocpp._csms_ocpp16 import Handler16
        from voltvan.charging.ocpp._csms_ocpp201 import Handler201

        charger_id = charger_id_of(connection.request.path, self.config.path_prefix)
        assert charger_id is not None  # the handshake refused every other path
        if connection.subprotocol not in SUBPROTOCOLS:
            await connection.close(1002, "an OCPP subprotocol is required")
            return
        cls = Handler16 if connection.subprotocol == "ocpp1.6" else Handler201
        cp = cls(charger_id, CountingConnection(connection, self.stats), self)
        self.connected[charger_id] = cp
        try:
            await cp.start()
        except ConnectionClosed:
            pass
        finally:
            if self.connected.get(charger_id) is cp:
                del self.connected[charger_id]

    # -- schedule ------------------------------------------------------------------------
    def planned_connector(self, vehicle_id: str) -> tuple[str | None, float | None]:
        if self.schedule is None:
            return None, None
        try:
            v = self.schedule.van(vehicle_id)
        except InvalidInput:
            return None, None
        return v.connector_id, v.plug_in

    def knows_tag(self, id_tag: str) -> bool:
        """A badge is a van of tonight's schedule (any badge when there is no schedule)."""
        if self.config.accept_unknown_tags or self.schedule is None:
            return True
        return any(v.vehicle_id == id_tag for v in self.schedule.vans)

    def profile_for(self, tx: Transaction) -> dict[str, Any] | None:
        """The TxProfile (OCPP 1.6 JSON shape, snake_case) for a running transaction."""
        if self.schedule is None:
            return None
        try:
            van = self.schedule.van(tx.id_tag)
        except InvalidInput:
            return None
        start_s, periods = profile_periods(van, self.schedule, self.now_s())
        return {
            "charging_profile_id": tx.id,
            "stack_level": 1,
            "charging_profile_purpose": "TxProfile",
            "charging_profile_kind": "Absolute",
            "transaction_id": tx.id,
            "charging_schedule": {
                "charging_rate_unit": "W",
                "start_schedule": iso(self.day_start_epoch + start_s),
                "duration": int(periods[-1][0]),
                "charging_schedule_period": [
                    {"start_period": int(off), "limit": lim} for off, lim in periods
                ],
            },
        }

    async def apply_profiles(self, charger_id: str | None = None) -> int:
        """Send every running session (of one charger, or all) its current TxProfile."""
        sent = 0
        for tx in self.store.active(charger_id):
            cp = self.connected.get(tx.charger_id)
            profile = self.profile_for(tx)
            if cp is None or profile is None:
                continue
            if await cp.set_profile(tx.connector, profile):
                sent += 1
        return sent

    async def replan(self, reason: str) -> None:
        """Re-plan from now and push the new profiles; one re-plan at a time."""
        if self.schedule is None:
            return
        async with self._replan_lock:
            delivered: dict[str, float] = {}
            plugged: dict[str, str] = {}
            for tx in self.store.all():
                delivered[tx.id_tag] = delivered.get(tx.id_tag, 0.0) + tx.energy_wh
                if tx.active:
                    plugged[tx.id_tag] = f"{tx.charger_id}/{tx.connector}"
            live = {
                vid: LiveVan(plugged.get(vid), delivered.get(vid, 0.0))
                for vid in set(delivered) | set(plugged)
            }
            faulted = {
                f"{c}/{n}" for (c, n), s in self.store.statuses().items() if s in FAULT_STATES
            }
            schedule = self.schedule
            now = self.now_s()
            self.schedule = await asyncio.to_thread(
                replan, schedule, now, live=live, faulted=faulted
            )
            self.replans.append(reason)
            LOG.info("re-planned at %.0f s: %s", now, reason)
            if self.schedule_out is not None:
                await asyncio.to_thread(self.schedule.write_json, self.schedule_out)
        await self.apply_profiles()

    # -- commands to chargers --------------------------------------------------------------
    async def remote_start(self, charger_id: str, connector: int, id_tag: str) -> str:
        return str(await self.connected[charger_id].remote_start(connector, id_tag))

    async def remote_stop(self, transaction_id: int) -> str:
        tx = self.store.transaction(transaction_id)
        if tx is None:
            raise InvalidInput(f"no transaction {transaction_id}", field="transaction_id")
        return str(await self.connected[tx.charger_id].remote_stop(transaction_id))

    async def trigger(self, charger_id: str, message: str, connector: int | None = None) -> str:
        return str(await self.connected[charger_id].trigger(message, connector))

    async def clear_profile(self, charger_id: str, connector: int) -> str:
        return str(await self.connected[charger_id].clear_profile(connector))
