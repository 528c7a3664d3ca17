"""Per-guild settings: the quiz channel, time and zone. All SQL for them lives here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.store import Store


@dataclass(frozen=True, slots=True)
class GuildSettings:
    guild_id: int
    quiz_channel_id: int | None
    quiz_time: dt.time | None
    quiz_timezone: str | None
    paused: bool


class GuildRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def get(self, guild_id: int) -> GuildSettings | None:
        async with self.store.db.execute(
            "SELECT guild_id, quiz_channel_id, quiz_time, quiz_timezone, paused FROM guild_settings "
            "WHERE guild_id = ?",
            (guild_id,),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        return GuildSettings(
            row[0], row[1], dt.time.fromisoformat(row[2]) if row[2] else None, row[3], bool(row[4])
        )

    async def set_quiz(self, guild_id: int, channel_id: int, at: dt.time, zone: str) -> None:
        now = self.store.now_text()
        async with self.store.write() as db:
            await db.execute(
                "INSERT INTO guild_settings (guild_id, quiz_channel_id, quiz_time, quiz_timezone, paused, updated_at) "
                "VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (guild_id) DO UPDATE SET "
                "quiz_channel_id = excluded.quiz_channel_id, quiz_time = excluded.quiz_time, "
                "quiz_timezone = excluded.quiz_timezone, paused = 0, updated_at = excluded.updated_at",
                (guild_id, channel_id, at.strftime("%H:%M"), zone, now),
            )

    async def set_paused(self, guild_id: int, paused: bool) -> bool:
        """Pause or resume; False if the guild has no quiz set up."""
        async with self.store.write() as db:
            cursor = await db.execute(
                "UPDATE guild_settings SET paused = ?, updated_at = ? WHERE guild_id = ?",
                (int(paused), self.store.now_text(), guild_id),
            )
            return cursor.rowcount == 1
