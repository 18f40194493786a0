"""The writer's last state as flat numpy arrays: the dedup high-water marks and ``last_state``.

A ``(vehicle_id, name)`` pair is one integer key, ``vehicle index * signals + signal code``, so
checking a whole batch against its high-water marks is one gather and one comparison instead of a
join; keeping the state in DuckDB cost more per batch than writing the batch's Parquet file.
A row newer than the mark of its key cannot be stored already; only older ("late") rows need
the lookup in the files (see ``_store``).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from voltvan.telemetry.ingest import signal_codes, signal_names
from voltvan.telemetry.store._layout import STATE_SCHEMA, TS

NO_TS = np.iinfo(np.int64).min  # the mark of a key never seen: every ts is newer
I64 = npt.NDArray[np.int64]


@cache
def name_rank() -> npt.NDArray[np.int64]:
    """The position of each signal code in the names sorted as strings (the files' order)."""
    names = signal_names()
    rank = np.empty(len(names), np.int64)
    rank[np.argsort(np.array(names, dtype=object))] = np.arange(len(names))
    return rank


@cache
def names_array() -> pa.Array:
    """Signal names by code, for turning codes into the stored strings with one ``take``."""
    return pa.array(signal_names(), pa.string())


class LastState:
    """Newest ts, value and text per key; grows by whole vehicles as new ones appear."""

    def __init__(self) -> None:
        self.width = len(signal_names())
        self._index: dict[str, int] = {}
        self._vehicles: list[str] = []
        self.ts: I64 = np.full(0, NO_TS, np.int64)
        self.value = np.full(0, np.nan, np.float64)
        self.text = np.full(0, None, object)
        self.ingested: I64 = np.zeros(0, np.int64)

    def vehicle_index(self, vehicles: list[str]) -> I64:
        """The index of each vehicle id, adding the ones not seen yet."""
        index = self._index
        for v in set(vehicles).difference(index):
            index[v] = len(self._vehicles)
            self._vehicles.append(v)
        self._grow()
        return np.fromiter(map(index.__getitem__, vehicles), np.int64, len(vehicles))

    def _grow(self) -> None:
        need = len(self._vehicles) * self.width
        have = len(self.ts)
        if need <= have:
            return
        size = max(need, 2 * have)
        self.ts = np.concatenate([self.ts, np.full(size - have, NO_TS, np.int64)])
        self.value = np.concatenate([self.value, np.full(size - have, np.nan)])
        self.text = np.concatenate([self.text, np.full(size - have, None, object)])
        self.ingested = np.concatenate([self.ingested, np.zeros(size - have, np.int64)])

    def update(
        self,
        keys: I64,
        ts: I64,
        value: npt.NDArray[np.float64],
        text: npt.NDArray[np.object_] | None,
        ingested_us: int,
    ) -> None:
        """Raise the marks of ``keys`` to ``ts`` where newer; keys must be unique."""
        newer = ts > self.ts[keys]
        k = keys[newer]
        self.ts[k] = ts[newer]
        self.value[k] = value[newer]
        self.text[k] = text[newer] if text is not None else None
        self.ingested[k] = ingested_us

    def load(self, table: pa.Table) -> None:
        """Take the newest row per key of ``table`` (state and signal files read at start)."""
        codes = signal_codes()
        names = table["name"].to_pylist()
        known = np.fromiter((n in codes for n in names), bool, len(names))
        if not known.all():
            table = table.filter(pa.array(known))
            names = table["name"].to_pylist()
        if not len(table):
            return
        code = np.fromiter(map(codes.__getitem__, names), np.int64, len(names))
        keys = self.vehicle_index(table["vehicle_id"].to_pylist()) * self.width + code
        ts = table["ts"].cast(pa.int64()).to_numpy()
        value = table["value"].to_numpy(zero_copy_only=False).astype(np.float64)
        text = np.array(table["value_text"].to_pylist(), dtype=object)
        order = np.lexsort((ts, keys))  # the last row of each key is its newest
        keys, ts = keys[order], ts[order]
        last = np.append(keys[1:] != keys[:-1], True)
        ing = table["ingested_at"].cast(pa.int64()).to_numpy(zero_copy_only=False)[order][last]
        self.update(keys[last], ts[last], value[order][last], text[order][last], 0)
        self.ingested[keys[last]] = ing

    def table(self) -> pa.Table:
        """The state as the ``state/`` file holds it, sorted by vehicle and signal name."""
        keys = np.flatnonzero(self.ts != NO_TS)
        vix, code = keys // self.width, keys % self.width
        vehicles = np.array(self._vehicles, dtype=object)
        order = np.lexsort((name_rank()[code], vehicles[vix].astype(str)))
        keys, vix, code = keys[order], vix[order], code[order]
        value = self.value[keys]
        return pa.table(
            {
                "vehicle_id": pa.array(vehicles[vix], pa.string()),
                "name": names_array().take(pa.array(code)),
                "ts": pa.array(self.ts[keys]).cast(TS),
                "value": pa.array(value, pa.float64(), mask=np.isnan(value)),
                "value_text": pa.array(self.text[keys], pa.string()),
                "ingested_at": pa.array(self.ingested[keys]).cast(TS),
            },
            schema=STATE_SCHEMA,
        )
