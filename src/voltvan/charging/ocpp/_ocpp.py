"""The one module that imports the ``ocpp`` library: OCPP-J 1.6 and 2.0.1 message plumbing.

Everything else in voltvan talks to chargers through the names exported here, so an upgrade of
``ocpp`` (or a switch to another implementation) touches one file. The library answers bad
payloads with a CALLERROR itself, but silently drops frames it cannot parse at all; the OCPP-J
specification wants a CALLERROR for those too (message id ``"-1"`` when none can be read), so
:class:`RobustMixin` adds that and keeps the connection open.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar, cast

from ocpp.exceptions import FormatViolationError, OCPPError
from ocpp.messages import CallError, unpack
from ocpp.routing import after as _after
from ocpp.routing import on as _on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call as call16
from ocpp.v16 import call_result as result16
from ocpp.v16 import datatypes as types16
from ocpp.v16 import enums as enums16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as result201
from ocpp.v201 import datatypes as types201
from ocpp.v201 import enums as enums201

__all__ = [
    "ChargePoint16",
    "ChargePoint201",
    "RobustMixin",
    "after",
    "call16",
    "call201",
    "enums16",
    "enums201",
    "on",
    "result16",
    "result201",
    "types16",
    "types201",
]

_F = TypeVar("_F", bound=Callable[..., Any])


def on(action: str) -> Callable[[_F], _F]:
    """The library's handler decorator, typed."""
    return cast(Callable[[_F], _F], _on(action))


def after(action: str) -> Callable[[_F], _F]:
    """The library's after-answer hook decorator, typed."""
    return cast(Callable[[_F], _F], _after(action))


def call_error_for(raw: str | bytes) -> str | None:
    """The CALLERROR frame for a frame that does not even unpack, else ``None``.

    Binary frames (OCPP-J is text only) and JSON nested too deeply for the parser get a
    FormatViolation too, instead of an exception that would close the connection.
    """
    if isinstance(raw, bytes):
        return _call_error("-1", FormatViolationError(description="binary frames are not OCPP-J"))
    try:
        unpack(raw)
        return None
    except RecursionError:
        return _call_error("-1", FormatViolationError(description="JSON nested too deeply"))
    except OCPPError as exc:
        unique_id = "-1"
        try:
            data = json.loads(raw)
            if isinstance(data, list) and len(data) > 1 and isinstance(data[1], str):
                unique_id = data[1]
        except (ValueError, TypeError, RecursionError):
            pass
        return _call_error(unique_id, exc)


def _call_error(unique_id: str, exc: OCPPError) -> str:
    details = exc.details if isinstance(exc.details, dict) else {}
    details = {k: v for k, v in details.items() if k != "ocpp_message"}  # never echo the frame
    frame: str = CallError(
        unique_id=unique_id,
        error_code=exc.code,
        error_description=exc.description,
        error_details=details,
    ).to_json()
    return frame


class RobustMixin:
    """Answers unparseable frames with a CALLERROR instead of dropping them."""

    async def route_message(self, raw_msg: Any) -> None:
        error = call_error_for(raw_msg)
        if error is not None:
            await self._send(error)  # type: ignore[attr-defined]
            return
        await super().route_message(raw_msg)  # type: ignore[misc]
