"""The database: a narrow seam (:mod:`bot.db.base`) and its SQLite implementation (:mod:`bot.db.sqlite`).

Repositories depend on :class:`Database` only; the PostgreSQL backend joins here as a second
implementation of the same seam.
"""

from bot.db.base import Conflict, Database, DatabaseUnavailable, Result, Row, Transaction, parse_utc, utc_text
from bot.db.migrate import Migration, bundled_migrations
from bot.db.sqlite import SQLiteDatabase

__all__ = [
    "Conflict",
    "Database",
    "DatabaseUnavailable",
    "Migration",
    "Result",
    "Row",
    "SQLiteDatabase",
    "Transaction",
    "bundled_migrations",
    "parse_utc",
    "utc_text",
]
