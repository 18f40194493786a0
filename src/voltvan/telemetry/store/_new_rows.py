"""From a write's batches to the rows the store adds: deduplicated, sorted as the files are,
in Arrow, with the last state raised to them.

Vectorized over the whole write in numpy (no object per row), and apart from the writer so
that this, the hot path of ingest, is one function of its inputs: the batches, the last state
(the high-water marks) and a way to ask the stored files about the few rows older than it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import chain
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from voltvan.telemetry.ingest import Batch
from voltvan.telemetry.store._layout import DAY_US, SIGNALS_SCHEMA, TS
from voltvan.telemetry.store._watermark import LastState, name_rank, names_array

_T = TypeVar("_T")

#: Which of these (vehicle, ts, signal code) keys the stored files already hold.
StoredAlready = Callable[
    [list[str], npt.NDArray[np.int64], npt.NDArray[np.int64]], npt.NDArray[np.bool_]
]


def new_rows(
    batches: Sequence[Batch], ingested_us: int, state: LastState, stored_already: StoredAlready
) -> tuple[pa.Table, pa.Array, npt.NDArray[np.int64]] | None:
    """The rows of ``batches`` not stored yet, sorted, with their UTC day number and the
    index of the batch each came from; ``state`` is raised to them.

    A row newer than the last state of its (vehicle, signal) is new by construction; an
    older one (a redelivery, a late sample) is new unless ``stored_already`` finds it.
    """
    parts = [(i, b) for i, b in enumerate(batches) if b.num_rows]
    vehicles = _cat([b.sample_vehicle for _, b in parts])
    per_sample = np.array(_cat([b.sample_rows for _, b in parts]), np.int64)
    sample_of_row = np.repeat(np.arange(len(vehicles)), per_sample)
    ts = np.array(_cat([b.sample_ts_us for _, b in parts]), np.int64)[sample_of_row]
    code = np.concatenate([np.frombuffer(b.codes, np.uint16) for _, b in parts]).astype(np.int64)
    part_of_row = np.repeat(
        np.array([i for i, _ in parts], np.int64), [b.num_rows for _, b in parts]
    )
    keys = state.vehicle_index(vehicles)[sample_of_row] * state.width + code
    ids = sorted(set(vehicles))
    rank = {v: r for r, v in enumerate(ids)}
    vehicle_rank = np.fromiter(map(rank.__getitem__, vehicles), np.int64, len(vehicles))
    row_vehicle = vehicle_rank[sample_of_row]
    order = _file_order(row_vehicle * len(name_rank()) + name_rank()[code], ts)
    k, t = keys[order], ts[order]
    repeat = np.zeros(len(order), bool)
    repeat[1:] = (k[1:] == k[:-1]) & (t[1:] == t[:-1])  # a repeat keeps the first batch's
    keep = ~repeat
    late = keep & (t <= state.ts[k])
    if late.any():
        keep[late] = ~stored_already(
            [vehicles[i] for i in sample_of_row[order[late]]], t[late], code[order[late]]
        )
    if not keep.any():
        return None
    rows = order[keep]
    k, t = k[keep], t[keep]
    values = np.concatenate([np.frombuffer(b.values, np.float64) for _, b in parts])
    text = _texts(parts) if any(b.texts for _, b in parts) else None
    value = pa.array(values, pa.float64(), mask=np.isnan(values) if text is not None else None)
    take = pa.array(rows)
    table = pa.table(
        {
            "vehicle_id": pa.DictionaryArray.from_arrays(
                row_vehicle[rows].astype(np.int32), pa.array(ids, pa.string())
            ),
            "ts": pa.array(t).cast(TS),
            "name": pa.DictionaryArray.from_arrays(code[rows].astype(np.int32), names_array()),
            "value": value.take(take),
            "value_text": text.take(take) if text is not None else pa.nulls(len(rows)),
            "ingested_at": pa.array(np.full(len(rows), ingested_us, np.int64)).cast(TS),
        },
        schema=_WRITE_SCHEMA,
    )
    last = np.append(k[1:] != k[:-1], True)  # each key's newest kept row
    kept_value = table["value"].to_numpy()
    kept_text = (
        np.array(table["value_text"].to_pylist(), dtype=object) if text is not None else None
    )
    state.update(
        k[last],
        t[last],
        kept_value[last],
        kept_text[last] if kept_text is not None else None,
        ingested_us,
    )
    return table, pa.array(t // DAY_US), part_of_row[rows]


# The signal files' columns as written: vehicle and signal name as dictionaries (codes into
# the batch's vehicles and the catalog's names), so no string is built per row; Parquet stores
# them as dictionary-encoded strings either way.
_WRITE_SCHEMA = pa.schema(
    [
        f.with_type(pa.dictionary(pa.int32(), pa.string()))
        if f.name in ("vehicle_id", "name")
        else f
        for f in SIGNALS_SCHEMA
    ]
)


def _file_order(group: npt.NDArray[np.int64], ts: npt.NDArray[np.int64]) -> npt.NDArray[np.intp]:
    """The stable order by (group, ts): the files' sort order, so that repeats are adjacent
    and the first of them is the earliest batch's.

    Rows arrive in time order per van and signal, so one stable sort by group is usually
    already ordered by time inside each group; the two-key sort is only needed when not.
    """
    order = np.argsort(group, kind="stable")
    g, t = group[order], ts[order]
    if bool(np.all((g[1:] != g[:-1]) | (t[1:] >= t[:-1]))):
        return order
    return np.lexsort((ts, group))


def _texts(parts: list[tuple[int, Batch]]) -> pa.Array:
    """The text values of the rows of ``parts``, null where a row holds a number."""
    out: list[str | None] = [None] * sum(b.num_rows for _, b in parts)
    base = 0
    for _, b in parts:
        for i, text in b.texts.items():
            out[base + i] = text
        base += b.num_rows
    return pa.array(out, pa.string())


def _cat(lists: list[list[_T]]) -> list[_T]:
    """One list of the items of ``lists``, without a copy in the common single-batch case."""
    return lists[0] if len(lists) == 1 else list(chain.from_iterable(lists))
