"""The database seam: the few operations every repository needs, whatever the backend.

Repositories build SQLAlchemy Core statements on the tables of :mod:`bot.db.tables` (or, the older way
still accepted, plain SQL text with ``?`` placeholders) and get back a :class:`Result`; they never see a
driver's connection, cursor or exception types. A unique or foreign-key violation is a
:class:`Conflict`. Instants are UTC ISO-8601 text in Python (:func:`utc_text`), so text order is time
order on every backend (PostgreSQL stores them as TIMESTAMPTZ).

:meth:`Database.run` runs a whole unit of work (a plain function given a SQLAlchemy ``Connection``) in
one hop: on the SQLite thread, or through ``run_sync`` on PostgreSQL's connection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection
from sqlalchemy.sql.base import Executable

#: One row: a tuple in SELECT order.
Row = tuple[Any, ...]
Params = Sequence[Any] | dict[str, Any]
#: A Core statement, or SQL text with ``?`` placeholders (the older way; SQLite dialect).
Statement = Executable | str
T = TypeVar("T")


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
    dialect: str

    async def execute(self, sql: Statement, params: Params = ()) -> Result: ...

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None: ...


class Database(Protocol):
    """What a repository may ask of the database."""

    #: "sqlite" or "postgresql" (for a dialect's own INSERT: :func:`bot.db.tables.insert`).
    dialect: str

    async def query(self, sql: Statement, params: Params = ()) -> Result:
        """A read outside any transaction."""

    async def read(self, work: Callable[[Connection], T]) -> T:
        """``work(connection)`` that only reads, in one hop (no transaction of its own)."""

    async def run(self, work: Callable[[Connection], T]) -> T:
        """``work(connection)`` in one write transaction, in one hop (see the module docstring)."""

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
