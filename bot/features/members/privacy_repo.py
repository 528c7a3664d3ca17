"""Export and delete everything the bot holds about one member.

Member tables are found from the schema, not listed by hand: every table with a ``user_id`` column
holds a member's data. Tables without one must be named in :data:`NON_MEMBER_TABLES` with the reason;
a test fails on any table that is in neither group, so a future table cannot be forgotten.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from bot.db import Database
from bot.db.base import Statement
from bot.db.tables import metadata

MEMBER_COLUMN = "user_id"

#: Tables that hold no member's data, each with the reason.
NON_MEMBER_TABLES: dict[str, str] = {
    "schema_migrations": "which numbered migrations ran; no member data",
    "alembic_version": "the schema's Alembic revision; no member data",
    "guild_settings": "a guild's quiz channel, time and zone, set by organizers; no member data",
    "quiz_posts": "which question a guild's daily post showed; answers are in quiz_answers",
    "item_calibration": "each bank item's fitted difficulty over all members' answers; no member data",
    "calibration_runs": "when each item calibration ran and how many answers it saw; no member data",
    "group_digest_settings": "a guild's weekly digest switch and day, set by organizers; no member data",
    "group_digests": "when a guild's weekly digest was posted (counts only, computed when sent)",
}


class PrivacyRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def tables(self) -> list[tuple[str, list[str]]]:
        """Every table in the schema with its columns, the backend's internals excluded."""
        return await self.db.table_columns()

    async def member_tables(self) -> list[str]:
        return [name for name, columns in await self.tables() if MEMBER_COLUMN in columns]

    async def export(self, user_id: int) -> dict[str, list[dict[str, Any]]]:
        data: dict[str, list[dict[str, Any]]] = {}
        for table in await self.member_tables():
            result = await self.db.query(*_select(table, user_id))
            data[table] = result.dicts()
        return data

    async def delete(self, user_id: int) -> int:
        """Delete the member's rows from every member table, in one transaction; rows removed."""
        tables = await self.member_tables()
        removed = 0
        async with self.db.transaction() as tx:
            # Child tables first, `members` (the parent of the foreign keys) last.
            for table in sorted(tables, key=lambda name: name == "members"):
                cursor = await tx.execute(*_delete(table, user_id))
                removed += cursor.rowcount
        return removed


#: The bot's own bookkeeping on a member's rows, not data about them: which process held an outbox row's
#: claim (its host name) and until when. Left out of the export; deleted with the rows.
OPERATIONAL = frozenset({"owner", "lease_until"})


def _select(name: str, user_id: int) -> tuple[Statement, tuple[int, ...]]:
    """Core on a known table (its types: instants as stored text on both backends); SQL text on a table
    only a newer numbered migration made (SQLite)."""
    table = metadata.tables.get(name)
    if table is None:
        return f'SELECT * FROM "{name}" WHERE {MEMBER_COLUMN} = ?', (user_id,)
    columns = [column for column in table.c if column.name not in OPERATIONAL]
    return sa.select(*columns).where(table.c[MEMBER_COLUMN] == user_id), ()


def _delete(name: str, user_id: int) -> tuple[Statement, tuple[int, ...]]:
    table = metadata.tables.get(name)
    if table is None:
        return f'DELETE FROM "{name}" WHERE {MEMBER_COLUMN} = ?', (user_id,)
    return sa.delete(table).where(table.c[MEMBER_COLUMN] == user_id), ()
