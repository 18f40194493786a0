"""The one exception tree of voltvan.

Every error a user can cause derives from :class:`VoltvanError`, so the CLI and the web API each
need exactly one handler. Each class carries the HTTP status the API answers with and the exit
code the CLI returns::

    VoltvanError (500, exit 1)
    ├── InvalidInput (422, exit 2)        bad file, field or value; names file, line and field
    ├── NotFound (404, exit 2)            an id or a path that does not exist
    ├── Unauthorized (401, exit 2)        missing or wrong credentials
    ├── Forbidden (403, exit 2)           credentials valid, action not allowed
    ├── TooLarge (413, exit 2)            a request or file over its documented size limit
    ├── Conflict (409, exit 1)            the request contradicts stored state
    └── Infeasible (409, exit 1)          the model is well formed but no solution exists
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class VoltvanError(Exception):
    """Base class: anything voltvan raises on purpose."""

    status: int = 500
    exit_code: int = 1

    @property
    def kind(self) -> str:
        return type(self).__name__

    def to_dict(self) -> dict[str, object]:
        """The JSON error shape of the API: ``{"error": kind, "message": text, ...}``."""
        return {"error": self.kind, "message": str(self)}


@dataclass(frozen=True, slots=True)
class Location:
    """Where in an input a bad value sits; every part is optional."""

    file: str | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.file is not None:
            parts.append(self.file)
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.field is not None:
            parts.append(f"field {self.field}")
        return ", ".join(parts)


class InvalidInput(VoltvanError, ValueError):
    """Input that cannot be used as given: the message says what is wrong and where."""

    status = 422
    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.where = Location(file=str(file) if file is not None else None, line=line, field=field)
        super().__init__(str(self))

    def __str__(self) -> str:
        where = str(self.where)
        return f"{where}: {self.message}" if where else self.message

    def at(self, *, file: str | Path | None = None, line: int | None = None) -> InvalidInput:
        """The same error, placed in a file and line (keeps what is already known)."""
        return type(self)(
            self.message,
            file=self.where.file if self.where.file is not None else file,
            line=self.where.line if self.where.line is not None else line,
            field=self.where.field,
        )

    def to_dict(self) -> dict[str, object]:
        out = super().to_dict()
        out.update(
            {
                k: v
                for k, v in (
                    ("file", self.where.file),
                    ("line", self.where.line),
                    ("field", self.where.field),
                )
                if v is not None
            }
        )
        return out


class NotFound(VoltvanError):
    status = 404
    exit_code = 2


class Unauthorized(VoltvanError):
    status = 401
    exit_code = 2


class Forbidden(VoltvanError):
    status = 403
    exit_code = 2


class TooLarge(VoltvanError):
    status = 413
    exit_code = 2


class Conflict(VoltvanError):
    status = 409


class Infeasible(VoltvanError):
    status = 409


class InputWarning(UserWarning):
    """Suspicious but valid input (a 14-hour shift, 40 °C in winter): worth a look."""
