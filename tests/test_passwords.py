"""Charger passwords stored as scrypt hashes: verified, never readable, malformed ones named."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voltvan.passwords import check_password_hash, hash_password, password_matches

FAST = 10  # log2 n: the smallest allowed, so the tests stay quick


def test_a_hash_matches_its_password_only() -> None:
    stored = hash_password("secret-one", log2_n=FAST)
    assert stored.startswith("scrypt$10$8$1$") and "secret-one" not in stored
    assert password_matches(stored, "secret-one")
    assert not password_matches(stored, "secret-two")
    assert not password_matches(stored, "")
    assert check_password_hash(stored) is None


def test_the_same_password_hashes_differently_each_time() -> None:
    assert hash_password("same-pass", log2_n=FAST) != hash_password("same-pass", log2_n=FAST)


@settings(max_examples=15, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_any_unicode_password_round_trips(password: str) -> None:
    assert password_matches(hash_password(password, log2_n=FAST), password)


def test_a_plain_stored_password_still_works() -> None:
    assert password_matches("pässwörd-1", "pässwörd-1")
    assert not password_matches("pässwörd-1", "passwort-1")


@pytest.mark.parametrize(
    ("stored", "why"),
    [
        ("scrypt$10$8$1$c2FsdA==", "six '$'-separated parts"),
        ("scrypt$x$8$1$c2FsdA==$aGFzaA==", "whole numbers"),
        ("scrypt$30$8$1$c2FsdA==$aGFzaA==", "out of range"),
        ("scrypt$17$8$1$c2FsdA==$aGFzaA==", "out of range"),
        ("scrypt$10$8$1$not base64!$aGFzaA==", "base64"),
        ("scrypt$10$8$1$c2FsdA==$aGFzaA==", "32 bytes"),
    ],
)
def test_a_malformed_hash_is_named_and_never_matches(stored: str, why: str) -> None:
    problem = check_password_hash(stored)
    assert problem is not None and why in problem
    assert not password_matches(stored, "anything")
