"""The column types and helpers every table uses (the tables themselves: :mod:`bot.db.tables`).

Instants are :class:`UtcInstant`; Discord ids and counters' ids are :data:`Id`; REAL is :data:`Real`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect

from bot.db.base import utc_text

metadata = sa.MetaData()

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # SQLite: INTEGER PRIMARY KEY is the rowid
Real = sa.Float().with_variant(postgresql.DOUBLE_PRECISION(), "postgresql")


class UtcInstant(sa.types.TypeDecorator[str]):
    """An instant: UTC text in Python and on SQLite, TIMESTAMPTZ on PostgreSQL.

    Accepts an aware datetime or stored text when binding; always returns :func:`utc_text` text."""

    impl = sa.Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.TIMESTAMP(timezone=True))
        return dialect.type_descriptor(sa.Text())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if dialect.name == "postgresql":
            return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
        return utc_text(value) if isinstance(value, dt.datetime) else value

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if isinstance(value, dt.datetime):
            return utc_text(value)
        return value  # type: ignore[no-any-return]


def member_column() -> sa.Column[int]:
    return sa.Column("user_id", Id, sa.ForeignKey("members.user_id", ondelete="CASCADE"), nullable=False)


def flag(name: str, default: int | None = None, *, nullable: bool = False) -> sa.Column[int]:
    server_default = None if default is None else sa.text(str(default))
    return sa.Column(name, sa.Integer, sa.CheckConstraint(f"{name} IN (0, 1)"), nullable=nullable,
                     server_default=server_default)  # fmt: skip


def insert(table: sa.Table, dialect: str) -> postgresql.Insert | sqlite.Insert:
    """The dialect's own INSERT (it has ``on_conflict_do_update`` / ``on_conflict_do_nothing``)."""
    return postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
