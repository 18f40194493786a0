"""Reading a request body without ever holding more of it than the route allows.

Ingest, queries and delivery proofs all take bodies from clients the server cannot trust to be
small; a body is refused by its declared size before a byte is read, and cut off while it
streams once it passes the limit, so one client cannot fill the server's memory.
"""

from __future__ import annotations

from fastapi import Request

from voltvan.errors import InvalidInput, TooLarge


async def capped_body(request: Request, max_bytes: int) -> bytes:
    """The request body, refused (413) by its ``Content-Length`` before reading, and cut off
    while streaming once it passes ``max_bytes``: never buffer a body past the limit."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            size = int(declared)
        except ValueError:
            raise InvalidInput("Content-Length is not a number", field="Content-Length") from None
        if size > max_bytes:
            raise TooLarge(f"the body is {size:,} bytes; the limit is {max_bytes:,}")
    chunks: list[bytes] = []
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > max_bytes:
            raise TooLarge(f"the body is over the limit of {max_bytes:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
