"""The database: a narrow seam (:mod:`bot.db.base`), the tables (:mod:`bot.db.tables`, SQLAlchemy Core)
and two implementations: SQLite (:mod:`bot.db.sqlite`, the default) and PostgreSQL
(:mod:`bot.db.postgres`). Repositories depend on :class:`Database` only. See bot/db/README.md.
"""

from bot.db.base import Conflict, Database, DatabaseUnavailable, Result, Row, Transaction, parse_utc, utc_text
from bot.db.migrate import Migration, bundled_migrations
from bot.db.postgres import PostgresDatabase
from bot.db.sqlite import SQLiteDatabase

__all__ = [
    "Conflict",
    "Database",
    "DatabaseUnavailable",
    "Migration",
    "PostgresDatabase",
    "Result",
    "Row",
    "SQLiteDatabase",
    "Transaction",
    "bundled_migrations",
    "parse_utc",
    "utc_text",
]
