"""Migrations: Alembic revisions (``bot/db/alembic/versions``), and the numbered SQL files they carry over.

History: releases up to this one applied ``bot/db/migrations/NNN_name.sql`` and recorded each in
``schema_migrations``. Those files are now Alembic revisions ``001`` ... ``010`` (one per file; on
SQLite a revision runs its very file, so a new SQLite database is built exactly as before). A database
made by an earlier release (``schema_migrations`` but no ``alembic_version``) is recognized and stamped at
its last numbered migration, then upgraded: nothing is rebuilt, every row is kept.

A numbered ``.sql`` file newer than the last Alembic revision (written on a branch against the old
seam) still runs on SQLite, after Alembic, recorded in ``schema_migrations``; PostgreSQL refuses to
start until it is ported (recipe: ``bot/db/README.md``). Everything here is synchronous, given a
SQLAlchemy connection: the backends run it on their database thread or through ``run_sync``.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from bot.db.base import DatabaseUnavailable

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"(\d{3})_([a-z0-9_]+)\.sql")
ALEMBIC_DIR = Path(__file__).parent / "alembic"
LEGACY_TABLE = "schema_migrations"


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def bundled_migrations() -> list[Migration]:
    """The numbered ``NNN_name.sql`` files shipped in ``bot/db/migrations``, in order."""
    found: list[Migration] = []
    for entry in resources.files("bot.db").joinpath("migrations").iterdir():
        match = _MIGRATION_NAME.fullmatch(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 001, 002, ... without gaps, found {versions}")
    return found


def split_statements(sql: str) -> list[str]:
    """Split a migration into statements with sqlite3's own completeness test (handles triggers)."""
    statements: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer)
            buffer = ""
    if buffer.strip() and not all(
        part.strip().startswith("--") or not part.strip() for part in buffer.splitlines()
    ):
        raise RuntimeError(f"migration ends with an incomplete statement: {buffer.strip()[:80]!r}")
    return statements


def alembic_config(connection: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def last_ported_version() -> int:
    """The newest numbered migration that has an Alembic revision (revision ids are ``NNN``)."""
    script = ScriptDirectory.from_config(alembic_config())
    return max(int(rev.revision) for rev in script.walk_revisions() if rev.revision.isdigit())


def legacy_versions(connection: sa.Connection) -> set[int]:
    if not sa.inspect(connection).has_table(LEGACY_TABLE):
        return set()
    return {row[0] for row in connection.exec_driver_sql(f"SELECT version FROM {LEGACY_TABLE}")}


def _record(connection: sa.Connection, migration: Migration, now: str) -> bool:
    """Record a numbered migration in the legacy table; False if it was recorded already."""
    connection.exec_driver_sql(
        f"CREATE TABLE IF NOT EXISTS {LEGACY_TABLE} ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    if migration.version in legacy_versions(connection):
        return False
    connection.execute(
        sa.text(f"INSERT INTO {LEGACY_TABLE} (version, name, applied_at) VALUES (:v, :n, :at)"),
        {"v": migration.version, "n": migration.name, "at": now},
    )
    return True


def apply_legacy(connection: sa.Connection, migration: Migration, now: str) -> bool:
    """Run one numbered SQL file (SQLite only) inside the caller's transaction and record it; False if it
    was recorded already."""
    if not _record(connection, migration, now):
        return False
    for statement in split_statements(migration.sql):
        if statement.strip():
            connection.exec_driver_sql(statement)
    log.info("applied migration %03d_%s", migration.version, migration.name)
    return True


def stamp_legacy(connection: sa.Connection) -> str | None:
    """A database from a release before Alembic: stamp it at its last numbered migration."""
    inspector = sa.inspect(connection)
    if inspector.has_table("alembic_version") or not inspector.has_table(LEGACY_TABLE):
        return None
    applied = legacy_versions(connection)
    ported = [v for v in sorted(applied) if v <= last_ported_version()]
    if not ported:
        return None
    revision = f"{ported[-1]:03d}"
    command.stamp(alembic_config(connection), revision)
    log.info("database from an earlier release (migration %s): stamped, upgrading in place", revision)
    return revision


def upgrade(connection: sa.Connection, extra: list[Migration] | None = None, *, now: str) -> None:
    """Bring the schema to the newest revision, then any numbered SQL file not yet ported (SQLite).

    ``connection`` must open real transactions (BEGIN ... COMMIT); each revision is its own."""
    stamp_legacy(connection)
    if connection.in_transaction():
        connection.commit()
    command.upgrade(alembic_config(connection), "head")
    if connection.in_transaction():
        connection.commit()
    last = last_ported_version()
    newer = [m for m in (extra if extra is not None else bundled_migrations()) if m.version > last]
    if newer and connection.dialect.name != "sqlite":
        names = ", ".join(f"{m.version:03d}_{m.name}.sql" for m in newer)
        raise DatabaseUnavailable(f"{names} has no Alembic revision yet: port it first (bot/db/README.md)")
    for migration in newer:
        with connection.begin():
            apply_legacy(connection, migration, now)


def current_revision(connection: sa.Connection) -> str | None:
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def carry_over(version: int) -> bool:
    """In revision ``NNN``: on SQLite run ``NNN_*.sql`` itself (unless an earlier release did) and return
    True; on another backend return False, and the revision builds the same with ``op`` calls."""
    import datetime as dt

    from alembic import op

    bind = op.get_bind()
    migration = next(m for m in bundled_migrations() if m.version == version)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    if bind.dialect.name != "sqlite":
        if _record(bind, migration, now):  # the same history on every backend
            log.info("applied migration %03d_%s", migration.version, migration.name)
        return False
    apply_legacy(bind, migration, now)
    return True
