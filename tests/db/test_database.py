"""The store: migrations applied once and atomically; privacy covers every member table."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.db import Conflict, Migration, SQLiteDatabase, Transaction, bundled_migrations
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


async def test_every_table_is_a_member_table_or_explained(store: SQLiteDatabase) -> None:
    """A new table must either carry user_id (then export/delete cover it) or say why it holds none."""
    tables = await PrivacyRepository(store).tables()
    unexplained = [
        name for name, columns in tables if MEMBER_COLUMN not in columns and name not in NON_MEMBER_TABLES
    ]
    assert unexplained == []
    stale = set(NON_MEMBER_TABLES) - {name for name, _ in tables}
    assert stale == set()


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


async def _seed_every_member_table(store: SQLiteDatabase, user_id: int) -> None:
    """Insert one row per member table from the schema alone, filling NOT NULL columns generically."""
    privacy = PrivacyRepository(store)
    member_tables = await privacy.member_tables()
    now = store.now_text()
    async with store.transaction() as tx:
        await tx.execute(
            "INSERT INTO members (user_id, created_at, updated_at) VALUES (?, ?, ?)", (user_id, now, now)
        )
        # A member table may reference another (practice_answers -> practice_sessions): insert in passes,
        # deferring a table whose parent row is not there yet.
        waiting = [t for t in member_tables if t != "members"]
        for _ in range(len(waiting) + 1):
            deferred = []
            for table in waiting:
                result = await tx.execute(f'PRAGMA table_info("{table}")')
                parents = {
                    row[3]: row[2]
                    for row in (await tx.execute(f'PRAGMA foreign_key_list("{table}")')).all()
                    if row[2] in member_tables and row[2] != "members"
                }
                values = {}
                for _, name, kind, notnull, default, pk in result.all():
                    if name == MEMBER_COLUMN:
                        values[name] = user_id
                    elif name in parents:  # this member's own parent row, once it exists
                        parent = await tx.execute(
                            f'SELECT max(id) FROM "{parents[name]}" WHERE {MEMBER_COLUMN} = ?', (user_id,)
                        )
                        values[name] = parent.scalar()
                    elif (notnull or pk) and default is None and not (pk and kind.upper() == "INTEGER"):
                        values[name] = await _valid_value(tx, table, name, kind)
                names = ", ".join(values)
                marks = ", ".join("?" for _ in values)
                try:
                    await tx.execute(
                        f'INSERT INTO "{table}" ({names}) VALUES ({marks})', tuple(values.values())
                    )
                except Conflict:
                    deferred.append(table)
            waiting = deferred
        assert waiting == [], f"could not seed {waiting}"


async def _valid_value(tx: Transaction, table: str, column: str, kind: str) -> object:
    """A value that satisfies CHECK constraints: the first IN (...) choice if the schema has one."""
    import re

    result = await tx.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,))
    sql = (result.one())[0]
    choice = re.search(rf"\b{column}\b[^,]*?CHECK \({column} IN \(([^)]*)\)", sql)
    if choice:
        first = choice.group(1).split(",")[0].strip()
        return int(first) if first.lstrip("-").isdigit() else first.strip("'")
    return 1 if "INT" in kind.upper() else "2026-01-01T00:00:00+00:00"
