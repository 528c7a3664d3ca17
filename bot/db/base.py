"""The database seam: the few operations every repository needs, whatever the backend.

Repositories write plain SQL with ``?`` placeholders and get back a :class:`Result`; they never see a
driver's connection, cursor or exception types. A unique or foreign-key violation is a
:class:`Conflict`. Timestamps are stored as UTC ISO-8601 text through :func:`utc_text`, so text order
is time order on every backend.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, Protocol

#: One row: a tuple in SELECT order.
Row = tuple[Any, ...]
Params = Sequence[Any]


class Conflict(Exception):
    """The write broke a uniqueness or reference rule (the row exists, or its parent does not)."""


class DatabaseUnavailable(Exception):
    """The database cannot be opened at all (no such folder, no permission, not a database): the host's
    problem, reported at start-up in one line."""


@dataclass(frozen=True, slots=True)
class Result:
    rows: list[Row]
    rowcount: int = -1
    lastrowid: int | None = None
    columns: tuple[str, ...] = ()

    def one(self) -> Row | None:
        return self.rows[0] if self.rows else None

    def all(self) -> list[Row]:
        return self.rows

    def scalar(self) -> Any:
        """The first column of the first row, or None."""
        return self.rows[0][0] if self.rows else None

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


class Transaction(Protocol):
    async def execute(self, sql: str, params: Params = ()) -> Result: ...

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None: ...


class Database(Protocol):
    """What a repository may ask of the database."""

    async def query(self, sql: str, params: Params = ()) -> Result:
        """A read outside any transaction."""

    def transaction(self) -> AbstractAsyncContextManager[Transaction]:
        """One write transaction: committed at the end of the block, rolled back on any error."""

    def now_text(self) -> str:
        """The current instant as stored text (the injected clock, UTC)."""

    async def table_columns(self) -> list[tuple[str, list[str]]]:
        """Every table of the schema with its columns (for privacy export and delete)."""

    async def close(self) -> None: ...


def utc_text(instant: dt.datetime) -> str:
    """A UTC instant in the one stored format (seconds precision), so text order is time order."""
    if instant.tzinfo is None:
        raise ValueError("naive datetimes are not stored")
    return instant.astimezone(dt.UTC).isoformat(timespec="seconds")


def parse_utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC)
