"""Photos and signatures: files named by their SHA-256, beside the database, never in it.

A file is written to a temporary name, fsynced, renamed into place and its folder fsynced, all
before the upload is acknowledged; an event may only name a proof that is already durable, so a
crash can leave a proof without its event (harmless: the device sends the event again) but
never an acknowledged event without its proof. The same bytes uploaded twice are one file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from voltvan.errors import InvalidInput
from voltvan.files import fsync_dir, write_atomic

#: The largest photo or signature accepted (bytes).
MAX_PROOF_BYTES = 10 * 1024 * 1024


def sniff_image(data: bytes) -> str:
    """The media type of a JPEG, PNG or WebP by its first bytes; anything else is refused."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    raise InvalidInput("not an image: a proof must be a JPEG, PNG or WebP file", field="body")


def proof_id_of(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class ProofFiles:
    """The folder of proof files: ``ab/abcdef...`` for the proof ``sha256:abcdef...``."""

    root: Path

    def path(self, proof_id: str) -> Path:
        digest = proof_id.removeprefix("sha256:")
        return self.root / digest[:2] / digest

    def exists(self, proof_id: str) -> bool:
        return self.path(proof_id).is_file()

    def put(self, data: bytes) -> tuple[str, str]:
        """Store ``data`` durably; return its proof id and media type."""
        if not data:
            raise InvalidInput("the upload is empty", field="body")
        media_type = sniff_image(data)
        proof_id = proof_id_of(data)
        target = self.path(proof_id)
        if target.is_file() and target.stat().st_size == len(data):
            return proof_id, media_type
        write_atomic(target, data)  # fsynced, and its folder too, before the event may commit
        fsync_dir(self.root)  # the shard folder may be new: its entry in the root must last too
        return proof_id, media_type
