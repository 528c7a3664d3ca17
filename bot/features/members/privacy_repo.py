"""Export and delete everything the bot holds about one member.

Member tables are found from the schema, not listed by hand: every table with a ``user_id`` column
holds a member's data. Tables without one must be named in :data:`NON_MEMBER_TABLES` with the reason;
a test fails on any table that is in neither group, so a future table cannot be forgotten.
"""

from __future__ import annotations

from typing import Any

from bot.db import Store

MEMBER_COLUMN = "user_id"

#: Tables that hold no member's data, each with the reason.
NON_MEMBER_TABLES: dict[str, str] = {
    "schema_migrations": "which migrations ran; no member data",
    "guild_settings": "a guild's quiz channel, time and zone, set by organisers; no member data",
    "quiz_posts": "which question a guild's daily post showed; answers are in quiz_answers",
}


class PrivacyRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def tables(self) -> list[tuple[str, list[str]]]:
        """Every table in the schema with its columns, ``sqlite_`` internals excluded."""
        async with self.store.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ) as cursor:
            names = [row[0] for row in await cursor.fetchall()]
        result = []
        for name in names:
            async with self.store.db.execute(f'PRAGMA table_info("{name}")') as cursor:
                result.append((name, [row[1] for row in await cursor.fetchall()]))
        return result

    async def member_tables(self) -> list[str]:
        return [name for name, columns in await self.tables() if MEMBER_COLUMN in columns]

    async def export(self, user_id: int) -> dict[str, list[dict[str, Any]]]:
        data: dict[str, list[dict[str, Any]]] = {}
        for table in await self.member_tables():
            async with self.store.db.execute(
                f'SELECT * FROM "{table}" WHERE {MEMBER_COLUMN} = ?', (user_id,)
            ) as cursor:
                data[table] = [dict(row) for row in await cursor.fetchall()]
        return data

    async def delete(self, user_id: int) -> int:
        """Delete the member's rows from every member table, in one transaction; rows removed."""
        tables = await self.member_tables()
        removed = 0
        async with self.store.write() as db:
            # Child tables first, `members` (the parent of the foreign keys) last.
            for table in sorted(tables, key=lambda name: name == "members"):
                cursor = await db.execute(f'DELETE FROM "{table}" WHERE {MEMBER_COLUMN} = ?', (user_id,))
                removed += cursor.rowcount
        return removed
