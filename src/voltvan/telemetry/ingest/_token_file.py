"""Issuing HTTP bearer tokens: a new random secret, of which the tokens file keeps only the hash.

The secret is returned once, to be handed to the van or the reader; the server never needs it
again, since :func:`load_tokens` accepts ``sha256:<hex>`` values.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Literal

from voltvan.errors import InvalidInput
from voltvan.files import write_atomic
from voltvan.telemetry.ingest._fleet import Tokens, hash_token, load_tokens
from voltvan.telemetry.ingest._topics import is_vehicle_id

Table = Literal["vehicles", "readers"]


def add_token(path: Path, table: Table, name: str, *, replace: bool = False) -> str:
    """Add a fresh token for ``name`` to the tokens file (created if absent); return the secret.

    The file is rewritten whole (its entries are kept, comments are not), atomically; a new
    file is readable by its owner only (hashes are no usable secrets, but which vans and
    readers exist is nobody else's business), an existing one keeps its mode. An existing
    entry is replaced only when asked: silently replacing it would lock out the van or reader
    that holds the old token.
    """
    if not is_vehicle_id(name):
        raise InvalidInput(
            f"{name!r} is not a name of 1-64 letters, digits, _ . : - (starting with a letter "
            "or digit)",
            field=table,
        )
    tokens = load_tokens(path) if path.exists() else Tokens()
    entries = {"vehicles": dict(tokens.vehicles), "readers": dict(tokens.readers)}
    if name in entries[table] and not replace:
        raise InvalidInput(
            f"{name!r} already has a token (--replace issues a new one and voids the old)",
            file=path,
            field=f"{table}.{name}",
        )
    token = secrets.token_urlsafe(32)
    entries[table][name] = hash_token(token)
    created = not path.exists()
    if created:  # write_atomic keeps the mode of the file it replaces
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        write_atomic(path, _tokens_toml(entries))
    except BaseException:
        if created:  # an empty tokens file would leave the server open to anyone
            path.unlink(missing_ok=True)
        raise
    return token


def _tokens_toml(entries: dict[str, dict[str, str]]) -> str:
    # JSON strings are valid TOML basic strings, and quoting every key keeps ids like "a.b" whole
    lines = [
        "# voltvan serve --tokens: [vehicles] id = token, [readers] name = token;",
        "# a value is the token itself or sha256:<hex> of it (voltvan tokens add writes those).",
    ]
    for table in ("vehicles", "readers"):
        lines += ["", f"[{table}]"]
        lines += [f"{json.dumps(k)} = {json.dumps(v)}" for k, v in sorted(entries[table].items())]
    return "\n".join(lines) + "\n"
