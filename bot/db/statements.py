"""Running one statement on a SQLAlchemy connection, the same way for both backends (synchronous: the
backends call it on their database thread or through ``run_sync``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc

from bot.db.base import Conflict, Params, Result, Statement, utc_text

_UTC_TEXT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00")
_PLACEHOLDER = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\?")


def dollar_placeholders(sql: str) -> str:
    """``?`` placeholders (outside quotes) as PostgreSQL's ``$1, $2, ...``."""
    count = 0

    def number(match: re.Match[str]) -> str:
        nonlocal count
        if match[0] != "?":
            return match[0]
        count += 1
        return f"${count}"

    return _PLACEHOLDER.sub(number, sql)


def _postgres_param(value: Any) -> Any:
    """Stored UTC text bound to PostgreSQL becomes a datetime (its columns are TIMESTAMPTZ)."""
    if isinstance(value, str) and _UTC_TEXT.fullmatch(value):
        return dt.datetime.fromisoformat(value)
    return value


def _stored(value: Any) -> Any:
    return utc_text(value) if isinstance(value, dt.datetime) else value


def to_result(cursor: sa.CursorResult[Any], *, raw_postgres: bool = False) -> Result:
    if cursor.returns_rows:
        columns = tuple(cursor.keys())
        if raw_postgres:
            rows = [tuple(_stored(v) for v in row) for row in cursor.fetchall()]
        else:
            rows = [tuple(row) for row in cursor.fetchall()]
    else:
        columns, rows = (), []
    lastrowid = cursor.lastrowid if cursor.dialect.name == "sqlite" and not cursor.returns_rows else None
    return Result(rows, cursor.rowcount, lastrowid, columns)


def execute(connection: sa.Connection, sql: Statement, params: Params = ()) -> Result:
    """One statement: a Core one, or SQL text with ``?`` placeholders (translated for PostgreSQL)."""
    try:
        if isinstance(sql, str):
            if connection.dialect.name == "postgresql":
                values = tuple(_postgres_param(v) for v in params) if params else ()
                cursor = connection.exec_driver_sql(dollar_placeholders(sql), values)
                return to_result(cursor, raw_postgres=True)
            return to_result(connection.exec_driver_sql(sql, tuple(params) if params else ()))
        return to_result(connection.execute(sql, dict(params) if params else None))
    except exc.IntegrityError as error:
        raise Conflict(str(error.orig)) from error


def execute_many(connection: sa.Connection, sql: Statement, rows: Iterable[Params]) -> None:
    batch = list(rows)
    if not batch:
        return
    try:
        if isinstance(sql, str):
            if connection.dialect.name == "postgresql":
                values = [tuple(_postgres_param(v) for v in row) for row in batch]
                connection.exec_driver_sql(dollar_placeholders(sql), values)
            else:
                connection.exec_driver_sql(sql, [tuple(row) for row in batch])
        else:
            connection.execute(sql, [dict(row) for row in batch])
    except exc.IntegrityError as error:
        raise Conflict(str(error.orig)) from error


def unwrap(error: exc.DBAPIError) -> str:
    """The driver's own message, one line."""
    return str(error.orig).strip().splitlines()[0] if error.orig is not None else str(error)
