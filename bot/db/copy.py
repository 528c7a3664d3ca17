"""``python -m bot db copy --to postgresql://...``: a SQLite database, every table, into an empty
PostgreSQL database; the row counts are compared afterwards.

Tables are copied parents first (the foreign keys' order), in one transaction on the target; ids are
kept, and each id sequence is moved past the largest copied id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from bot.db.postgres import PostgresDatabase
from bot.db.sqlite import SQLiteDatabase
from bot.db.tables import metadata

BATCH = 2000
#: Kept by each database itself: the migration history.
BOOKKEEPING = {"alembic_version", "schema_migrations"}


class CopyRefused(Exception):
    """The copy cannot start (the target has rows, or the source has a table this code does not know)."""


@dataclass(frozen=True, slots=True)
class Copied:
    table: str
    rows: int


async def row_counts(db: SQLiteDatabase | PostgresDatabase) -> dict[str, int]:
    def count(connection: sa.Connection) -> dict[str, int]:
        return {
            table.name: connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for table in metadata.sorted_tables
        }

    return await db.read(count)


async def copy_database(
    source: SQLiteDatabase, target: PostgresDatabase, progress: Callable[[str], None] = lambda _: None
) -> list[Copied]:
    """Copy every table; :class:`CopyRefused` before writing anything if the target is not empty."""
    known = {table.name for table in metadata.sorted_tables} | BOOKKEEPING
    unknown = sorted({name for name, _ in await source.table_columns()} - known)
    if unknown:
        raise CopyRefused(f"the source has tables this version cannot copy yet: {', '.join(unknown)}")
    filled = {name: n for name, n in (await row_counts(target)).items() if n}
    if filled:
        listed = ", ".join(f"{name} ({n})" for name, n in sorted(filled.items()))
        raise CopyRefused(f"the target is not empty: {listed}; copy into a new, empty database")

    tables = metadata.sorted_tables
    rows = {table.name: await source.read(_all_rows(table)) for table in tables}

    def write(connection: sa.Connection) -> None:
        for table in tables:
            batch = rows[table.name]
            for start in range(0, len(batch), BATCH):
                connection.execute(table.insert(), batch[start : start + BATCH])
            if "id" in table.c and batch:
                connection.execute(
                    sa.text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), :top)"),
                    {"top": max(int(row["id"]) for row in batch)},  # type: ignore[call-overload]
                )
            progress(f"{table.name}: {len(batch)} rows")

    await target.run(write)
    before, after = await row_counts(source), await row_counts(target)
    if before != after:
        differ = ", ".join(f"{t} {before[t]} -> {after[t]}" for t in before if before[t] != after[t])
        raise RuntimeError(f"row counts differ after the copy: {differ}")
    return [Copied(table.name, after[table.name]) for table in tables]


def _all_rows(table: sa.Table) -> Callable[[sa.Connection], list[dict[str, object]]]:
    def read(connection: sa.Connection) -> list[dict[str, object]]:
        return [dict(row._mapping) for row in connection.execute(sa.select(table))]

    return read
