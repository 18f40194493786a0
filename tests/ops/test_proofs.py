"""Proof files: images only (by their first bytes), content-addressed, durable, stored once."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ops.days import JPEG, PNG
from voltvan.errors import InvalidInput
from voltvan.ops import ProofFiles, sniff_image

WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 20


@pytest.mark.parametrize(
    ("data", "media_type"), [(JPEG, "image/jpeg"), (PNG, "image/png"), (WEBP, "image/webp")]
)
def test_images_are_known_by_their_magic_bytes(data: bytes, media_type: str) -> None:
    assert sniff_image(data) == media_type


@pytest.mark.parametrize(
    "data", [b"%PDF-1.7 ...", b"GIF89a......", b"RIFF\x00\x00\x00\x00WAVEfmt ", b"\x89PNX"]
)
def test_anything_else_is_not_an_image(data: bytes) -> None:
    with pytest.raises(InvalidInput, match="not an image"):
        sniff_image(data)


def test_a_proof_is_stored_once_under_its_hash_with_no_temporary_left(tmp_path: Path) -> None:
    files = ProofFiles(tmp_path / "proofs")
    proof, media_type = files.put(PNG)
    again, _ = files.put(PNG)
    assert again == proof and media_type == "image/png"
    assert proof.startswith("sha256:") and files.path(proof).read_bytes() == PNG
    assert files.path(proof).name == proof.removeprefix("sha256:")
    assert [p.name for p in files.root.rglob("*") if p.is_file()] == [files.path(proof).name]


def test_an_empty_upload_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="empty"):
        ProofFiles(tmp_path).put(b"")
