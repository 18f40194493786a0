"""The OCPP server's memory: chargers, connector states and transactions, in one SQLite file.

Every change is committed before the server answers the charger, so a crash or restart loses
nothing a charger was told. Only the server's event loop writes (one connection, one writer).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS transactions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ocpp_id TEXT,
    charger_id TEXT NOT NULL,
    connector INTEGER NOT NULL,
    id_tag TEXT NOT NULL,
    meter_start_wh REAL NOT NULL,
    meter_last_wh REAL NOT NULL,
    power_w REAL NOT NULL DEFAULT 0,
    start_ts REAL NOT NULL,
    last_ts REAL NOT NULL,
    stop_ts REAL,
    meter_stop_wh REAL,
    reason TEXT,
    active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS connectors (
    charger_id TEXT NOT NULL,
    connector INTEGER NOT NULL,
    status TEXT NOT NULL,
    error_code TEXT,
    ts REAL NOT NULL,
    PRIMARY KEY (charger_id, connector)
);
CREATE TABLE IF NOT EXISTS boots (
    charger_id TEXT NOT NULL,
    ts REAL NOT NULL,
    vendor TEXT,
    model TEXT,
    protocol TEXT
);
"""


@dataclass(frozen=True, slots=True)
class Transaction:
    """A charging session as the server knows it; energies are the charger's meter in Wh."""

    id: int
    ocpp_id: str | None
    charger_id: str
    connector: int
    id_tag: str
    meter_start_wh: float
    meter_last_wh: float
    power_w: float
    start_ts: float
    last_ts: float
    stop_ts: float | None
    meter_stop_wh: float | None
    reason: str | None
    active: bool

    @property
    def energy_wh(self) -> float:
        end = self.meter_stop_wh if self.meter_stop_wh is not None else self.meter_last_wh
        return end - self.meter_start_wh


class Store:
    """Open (or create) the state file; close it when the server stops."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def record_boot(self, charger_id: str, ts: float, vendor: str, model: str, proto: str) -> None:
        self._db.execute(
            "INSERT INTO boots VALUES (?, ?, ?, ?, ?)", (charger_id, ts, vendor, model, proto)
        )

    def set_status(
        self, charger_id: str, connector: int, status: str, error_code: str | None, ts: float
    ) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO connectors VALUES (?, ?, ?, ?, ?)",
            (charger_id, connector, status, error_code, ts),
        )

    def statuses(self) -> dict[tuple[str, int], str]:
        rows = self._db.execute("SELECT charger_id, connector, status FROM connectors")
        return {(c, n): s for c, n, s in rows}

    def start(
        self,
        charger_id: str,
        connector: int,
        id_tag: str,
        meter_wh: float,
        ts: float,
        ocpp_id: str | None = None,
        *,
        active: bool = True,
    ) -> int:
        """Record a session; ``active=False`` keeps one the server refused (for the audit)."""
        cur = self._db.execute(
            "INSERT INTO transactions (ocpp_id, charger_id, connector, id_tag, meter_start_wh,"
            " meter_last_wh, start_ts, last_ts, active, stop_ts, reason)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                ocpp_id, charger_id, connector, id_tag, meter_wh, meter_wh, ts, ts, int(active),
                None if active else ts, None if active else "Refused",
            ),
        )  # fmt: skip
        assert cur.lastrowid is not None
        return int(cur.lastrowid)

    def meter(
        self, charger_id: str, tx_id: int, meter_wh: float, power_w: float | None, ts: float
    ) -> bool:
        """Record a reading; ``False`` when that charger has no active transaction of that id.

        The charger is part of the key: a charger may only touch its own sessions, whatever
        transaction id it sends.
        """
        cur = self._db.execute(
            "UPDATE transactions SET meter_last_wh = ?, power_w = COALESCE(?, power_w),"
            " last_ts = ? WHERE id = ? AND charger_id = ? AND active = 1",
            (meter_wh, power_w, ts, tx_id, charger_id),
        )
        return cur.rowcount == 1

    def stop(
        self, charger_id: str, tx_id: int, meter_wh: float, ts: float, reason: str | None
    ) -> bool:
        """End a session; ``False`` when that charger has no active transaction of that id."""
        cur = self._db.execute(
            "UPDATE transactions SET meter_stop_wh = ?, meter_last_wh = ?, stop_ts = ?,"
            " reason = ?, active = 0, power_w = 0"
            " WHERE id = ? AND charger_id = ? AND active = 1",
            (meter_wh, meter_wh, ts, reason, tx_id, charger_id),
        )
        return cur.rowcount == 1

    def transaction(self, tx_id: int) -> Transaction | None:
        rows = self._select("WHERE id = ?", (tx_id,))
        return rows[0] if rows else None

    def active_by_ocpp_id(self, charger_id: str, ocpp_id: str) -> Transaction | None:
        """The station's running session with that id: ids are the station's own, so two
        stations may both use "1", and one station reuses "1" after a reboot."""
        rows = self._select(
            "WHERE charger_id = ? AND ocpp_id = ? AND active = 1", (charger_id, ocpp_id)
        )
        return rows[-1] if rows else None

    def active(self, charger_id: str | None = None) -> list[Transaction]:
        if charger_id is None:
            return self._select("WHERE active = 1", ())
        return self._select("WHERE active = 1 AND charger_id = ?", (charger_id,))

    def all(self) -> list[Transaction]:
        return self._select("", ())

    def _select(self, where: str, args: tuple[object, ...]) -> list[Transaction]:
        rows = self._db.execute(
            "SELECT id, ocpp_id, charger_id, connector, id_tag, meter_start_wh, meter_last_wh,"
            f" power_w, start_ts, last_ts, stop_ts, meter_stop_wh, reason, active"
            f" FROM transactions {where} ORDER BY id",
            args,
        )
        return [Transaction(*(*r[:13], bool(r[13]))) for r in rows]
