"""The store: migrations applied once and atomically; privacy covers every member table (both backends)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from bot.db import Conflict, Migration, SQLiteDatabase, bundled_migrations
from bot.features.members.privacy_repo import MEMBER_COLUMN, NON_MEMBER_TABLES, PrivacyRepository
from tests.conftest import SimClock


async def test_migrations_are_applied_once_and_recorded(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    store = await SQLiteDatabase.open(path, clock=SimClock())
    versions = [m.version for m in bundled_migrations()]
    assert await store.applied_versions() == set(versions)
    assert await store.migrate() == []  # nothing left to do
    await store.close()

    reopened = await SQLiteDatabase.open(path, clock=SimClock())
    assert await reopened.migrate() == []
    result = await reopened.query("SELECT count(*) FROM schema_migrations")
    assert (result.one())[0] == len(versions)
    await reopened.close()


async def test_a_failing_migration_changes_nothing(store: SQLiteDatabase) -> None:
    bad = Migration(
        len(bundled_migrations()) + 1,
        "broken",
        "CREATE TABLE half_done (id INTEGER);\nINSERT INTO no_such_table VALUES (1);\n",
    )
    with pytest.raises(Exception, match="no_such_table"):
        await store.migrate([*bundled_migrations(), bad])
    result = await store.query("SELECT name FROM sqlite_master WHERE name = 'half_done'")
    assert result.one() is None
    assert bad.version not in await store.applied_versions()


async def test_connection_settings(store: SQLiteDatabase) -> None:
    result = await store.query("PRAGMA journal_mode")
    assert (result.one())[0] == "wal"
    result = await store.query("PRAGMA foreign_keys")
    assert (result.one())[0] == 1
    result = await store.query("PRAGMA busy_timeout")
    assert (result.one())[0] == 5000


@pytest.mark.both_backends
async def test_every_table_is_a_member_table_or_explained(store: SQLiteDatabase) -> None:
    """A new table must either carry user_id (then export/delete cover it) or say why it holds none."""
    tables = await PrivacyRepository(store).tables()
    unexplained = [
        name for name, columns in tables if MEMBER_COLUMN not in columns and name not in NON_MEMBER_TABLES
    ]
    assert unexplained == []
    stale = set(NON_MEMBER_TABLES) - {name for name, _ in tables}
    assert stale == set()


@pytest.mark.both_backends
async def test_export_and_delete_cover_every_member_table(store: SQLiteDatabase) -> None:
    """Fill every member table with a row for two members; export and delete find all of them."""
    privacy = PrivacyRepository(store)
    member_tables = await privacy.member_tables()
    assert {"members", "gates"} <= set(member_tables)
    for user_id in (1, 2):
        await _seed_every_member_table(store, user_id)

    exported = await privacy.export(1)
    assert set(exported) == set(member_tables)
    assert all(len(rows) >= 1 for rows in exported.values()), exported
    assert all(row[MEMBER_COLUMN] == 1 for rows in exported.values() for row in rows)

    removed = await privacy.delete(1)
    assert removed == sum(len(rows) for rows in exported.values())
    assert all(rows == [] for rows in (await privacy.export(1)).values())
    assert all(len(rows) >= 1 for rows in (await privacy.export(2)).values())


async def _schema(store: SQLiteDatabase) -> tuple[sa.MetaData, dict[str, str]]:
    """The live schema, reflected (not bot/db/tables.py), and each table's CHECK text."""

    def reflect(connection: sa.Connection) -> tuple[sa.MetaData, dict[str, str]]:
        schema = sa.MetaData()
        schema.reflect(connection)
        if connection.dialect.name == "sqlite":
            rows = connection.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
            return schema, {name: sql for name, sql in rows}
        inspector = sa.inspect(connection)
        checks = {
            t: " ".join(c["sqltext"] for c in inspector.get_check_constraints(t)) for t in schema.tables
        }
        return schema, checks

    return await store.read(reflect)


async def _seed_every_member_table(store: SQLiteDatabase, user_id: int) -> None:
    """Insert one row per member table from the schema alone, filling NOT NULL columns generically."""
    privacy = PrivacyRepository(store)
    member_tables = await privacy.member_tables()
    schema, checks = await _schema(store)
    now = store.now_text()
    async with store.transaction() as tx:
        await tx.execute(sa.insert(schema.tables["members"]).values(user_id=user_id, created_at=_instant(
            schema.tables["members"].c.created_at, now), updated_at=_instant(schema.tables["members"].c.updated_at, now)))  # fmt: skip
    # A member table may reference another (practice_answers -> practice_sessions): insert in passes,
    # deferring a table whose parent row is not there yet.
    waiting = [t for t in member_tables if t != "members"]
    for _ in range(len(waiting) + 1):
        deferred = []
        for name in waiting:
            table = schema.tables[name]
            parents = {
                fk.parent.name: fk.column.table.name
                for fk in table.foreign_keys
                if fk.column.table.name in member_tables and fk.column.table.name != "members"
            }
            values: dict[str, Any] = {}
            for column in table.columns:
                if column.name == MEMBER_COLUMN:
                    values[column.name] = user_id
                elif column.name in parents:  # this member's own parent row, once it exists
                    parent = schema.tables[parents[column.name]]
                    found = await store.query(
                        sa.select(sa.func.max(parent.c.id)).where(parent.c[MEMBER_COLUMN] == user_id)
                    )
                    values[column.name] = found.scalar()
                elif not column.nullable and column.server_default is None and not _generated(column):
                    values[column.name] = _valid_value(checks.get(name, ""), column)
            try:
                async with store.transaction() as tx:
                    await tx.execute(sa.insert(table).values(values))
            except Conflict:
                deferred.append(name)
        waiting = deferred
    assert waiting == [], f"could not seed {waiting}"


def _generated(column: sa.Column[Any]) -> bool:
    """An integer primary key the database numbers itself."""
    return bool(column.primary_key and isinstance(column.type, sa.Integer) and column.autoincrement)


def _instant(column: sa.Column[Any], text: str) -> object:
    return dt.datetime.fromisoformat(text) if isinstance(column.type, sa.DateTime) else text


def _valid_value(checks: str, column: sa.Column[Any]) -> object:
    """A value that satisfies CHECK constraints: the first IN (...) choice if the schema has one."""
    name = column.name
    choice = re.search(rf"\b{name}\b[^,]*?CHECK \({name} IN \(([^)]*)\)", checks) or re.search(
        rf"\(?{name} = ANY \(ARRAY\[([^\]]*)\]", checks
    )
    if choice:
        first = choice.group(1).split(",")[0].strip().split("::")[0]
        return int(first) if first.lstrip("-").isdigit() else first.strip("'")
    if isinstance(column.type, sa.DateTime):
        return dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    if isinstance(column.type, (sa.Integer, sa.Float, sa.Numeric)):
        return 1
    return "2026-01-01T00:00:00+00:00"
