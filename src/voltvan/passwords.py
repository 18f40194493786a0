"""Passwords people choose (charger passwords, OCPP security profiles 1-2), stored only hashed.

Bearer tokens are 256 random bits, so one SHA-256 protects them (``voltvan.telemetry.hash_token``).
A charger password may be as short as 8 characters and typed by an installer: a salted, slow,
memory-hard hash (scrypt, in the standard library) is what keeps a leaked file from giving the
passwords away. It costs about 50 ms per check, once per charger connection.

Stored form: ``scrypt$<log2 n>$<r>$<p>$<salt, base64>$<hash, base64>``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

PREFIX = "scrypt$"
_LOG2_N, _R, _P = 14, 8, 1  # 16 MiB of memory per check (RFC 7914's interactive setting)
_DKLEN = 32


def hash_password(password: str, *, log2_n: int = _LOG2_N) -> str:
    """The stored form of ``password`` with a fresh random salt."""
    salt = os.urandom(16)
    digest = _scrypt(password, salt, log2_n, _R, _P)
    return PREFIX + "$".join([str(log2_n), str(_R), str(_P), _b64(salt), _b64(digest)])


def is_password_hash(stored: str) -> bool:
    return stored.startswith(PREFIX)


def password_matches(stored: str, given: str) -> bool:
    """``given`` against a stored hash, or against a plain stored password (older files)."""
    if not is_password_hash(stored):
        return hmac.compare_digest(stored.encode(), given.encode())
    if check_password_hash(stored) is not None:  # never spend unbounded memory on a bad file
        return False
    try:
        log2_n, r, p, salt, digest = stored.removeprefix(PREFIX).split("$")
        expected = base64.b64decode(digest, validate=True)
        got = _scrypt(given, base64.b64decode(salt, validate=True), int(log2_n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(expected, got)


def check_password_hash(stored: str) -> str | None:
    """What is wrong with a stored hash (for a config reader's error), or ``None``."""
    parts = stored.removeprefix(PREFIX).split("$")
    if len(parts) != 5:
        return "a scrypt hash has six '$'-separated parts"
    log2_n, r, p, salt, digest = parts
    if not (log2_n.isdigit() and r.isdigit() and p.isdigit()):
        return "n, r and p of a scrypt hash are whole numbers"
    if not 10 <= int(log2_n) <= 16 or not 1 <= int(r) <= 16 or not 1 <= int(p) <= 4:
        return "scrypt parameters out of range (log2 n 10-16, r 1-16, p 1-4)"
    try:
        base64.b64decode(salt, validate=True)
        if len(base64.b64decode(digest, validate=True)) != _DKLEN:
            return f"the hash part must be {_DKLEN} bytes"
    except ValueError:
        return "salt and hash must be base64"
    return None


def _scrypt(password: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    n = 1 << log2_n
    return hashlib.scrypt(
        password.encode(), salt=salt, n=n, r=r, p=p, maxmem=2 * 128 * r * n, dklen=_DKLEN
    )


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
