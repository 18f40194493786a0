"""Who a WebSocket handshake claims to be: the charger id in the path, its Basic-auth password.

Security profiles 1 and 2 know a charger by these alone; profile 3 checks the path's id against
the client certificate instead (``_tls``).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import urllib.parse

from voltvan.passwords import password_matches


def charger_id_of(path: str, prefix: str) -> str | None:
    """The charger id: the whole (percent-decoded) path after ``prefix``, else ``None``.

    Not the last segment: ``/other/CP1`` must not pass for charger ``CP1``.
    """
    path = path.split("?", 1)[0]
    if not path.startswith(prefix):
        return None
    charger_id = urllib.parse.unquote(path[len(prefix) :])
    return charger_id or None


def basic_auth_ok(header: str | None, charger_id: str, password: str) -> bool:
    if not header or not header.startswith("Basic "):
        return False
    try:
        user, _, given = base64.b64decode(header[6:], validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    # bytes: compare_digest refuses text that is not ASCII (a 500 on a non-ASCII password)
    return hmac.compare_digest(user.encode(), charger_id.encode()) and password_matches(
        password, given
    )
