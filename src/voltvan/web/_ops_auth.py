"""Who is asking, for the operations routes: a driver or a dispatcher account of the ops store.

Unlike the telemetry API there is no open mode: every /v1/ops route needs an account's secret
(``voltvan ops user add`` prints it once), since the day holds customers' names and addresses.
"""

from __future__ import annotations

from fastapi import Request

from voltvan.errors import Forbidden, InvalidInput, Unauthorized
from voltvan.ops import OpsStore, User, check_day
from voltvan.web._app import app_state, bearer


def ops_store(request: Request) -> OpsStore:
    return app_state(request).ops()


def ops_user(request: Request) -> User:
    """The account whose secret the request carries; 401 without one or with an unknown one."""
    token = bearer(request)
    if token is None:
        raise Unauthorized("a bearer token is required (Authorization: Bearer <secret>)")
    user = ops_store(request).authenticate(token)
    if user is None:
        raise Unauthorized("unknown token: not the secret of any ops account")
    return user


def dispatcher(request: Request) -> User:
    user = ops_user(request)
    if not user.is_dispatcher:
        raise Forbidden("only a dispatcher may do this; a driver sees their own van's route")
    return user


def van_reader(request: Request, van_id: str) -> User:
    """A dispatcher, or the driver of ``van_id``."""
    user = ops_user(request)
    if not user.may_see_van(van_id):
        raise Forbidden(f"this account drives {user.van_id}, not {van_id}")
    return user


def valid_day(day: str) -> str:
    try:
        return check_day(day)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="day") from None
