"""What the telemetry routes take and answer, as the OpenAPI document shows them.

The ingest and query bodies are read raw (capped, never buffered past the limit), so FastAPI
cannot derive their schemas from parameters: they are written out here, beside the answers'
models, for the document and its clients.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

_SAMPLE = {
    "type": "object",
    "required": ["ts", "signals"],
    "properties": {
        "ts": {"type": "string", "format": "date-time", "description": "RFC 3339 with offset"},
        "signals": {"type": "object", "description": "VSS name: value (see /v1/signals)"},
    },
    "additionalProperties": False,
}
_BATCH = {
    "type": "object",
    "required": ["samples"],
    "properties": {
        "samples": {
            "type": "array",
            "items": {
                "description": "a sample {ts, signals}; each is judged on its own, and one "
                "that is not (or not valid) is counted in the answer's rejected, not refused "
                "with the batch",
            },
        }
    },
    "additionalProperties": False,
}

BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [_SAMPLE, _BATCH],
                    "description": "one sample, or a batch of samples; either may also name "
                    "the vehicle_id, which must be the one of the path",
                },
                "example": {
                    "samples": [
                        {
                            "ts": "2026-03-02T08:00:00Z",
                            "signals": {
                                "Vehicle.Speed": 42.0,
                                "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current": 81.5,
                            },
                        }
                    ]
                },
            }
        },
    }
}


class IngestAnswer(BaseModel):
    vehicle_id: str
    stored: int = Field(description="rows written (one per signal value)")
    duplicates: int = Field(description="rows already stored before (redeliveries)")
    rejected: dict[str, int] = Field(description="dead letters per reason code")
    rejects: list[dict[str, str]] = Field(description="the first 20 dead letters")


class QueryRequest(BaseModel):
    sql: str = Field(
        min_length=1, description="one SELECT over the views signals, last_state, rejected, ..."
    )
    limit: int | None = Field(None, ge=1, description="at most this many rows (server caps it)")


#: The query's body is read by :func:`capped_body` (never buffered past the limit), so the
#: document is told its schema here rather than by a parameter.
QUERY_DOC = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": QueryRequest.model_json_schema()}},
    }
}


class QueryAnswer(BaseModel):
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool
