"""Per-guild settings: the quiz channel, time, zone, pause and next post time. All SQL for them lives here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.core.shards import Ownership, guild_filter
from bot.db import Database, Row, utc_text


@dataclass(frozen=True, slots=True)
class GuildSettings:
    guild_id: int
    quiz_channel_id: int | None
    quiz_time: dt.time | None
    quiz_timezone: str | None
    paused: bool
    next_post_at: dt.datetime | None = None
    #: Set when the bot paused the post itself (the channel is gone, a permission was lost).
    pause_reason: str | None = None

    @property
    def configured(self) -> bool:
        return (
            self.quiz_channel_id is not None and self.quiz_time is not None and self.quiz_timezone is not None
        )


_COLUMNS = "guild_id, quiz_channel_id, quiz_time, quiz_timezone, paused, next_post_at, pause_reason"


def _settings(row: Row) -> GuildSettings:
    return GuildSettings(
        guild_id=row[0],
        quiz_channel_id=row[1],
        quiz_time=dt.time.fromisoformat(row[2]) if row[2] else None,
        quiz_timezone=row[3],
        paused=bool(row[4]),
        next_post_at=dt.datetime.fromisoformat(row[5]) if row[5] else None,
        pause_reason=row[6],
    )


class GuildRepository:
    """``owned``: the shards this process runs; the daily post's queries (``due``, ``next_wake``) only
    see guilds on them (:mod:`bot.core.shards`). Everything else reads and writes any guild."""

    def __init__(self, db: Database, owned: Ownership | None = None) -> None:
        self.db = db
        self.owned = owned or Ownership()

    async def get(self, guild_id: int) -> GuildSettings | None:
        result = await self.db.query(f"SELECT {_COLUMNS} FROM guild_settings WHERE guild_id = ?", (guild_id,))
        row = result.one()
        return _settings(row) if row else None

    async def set_quiz(
        self, guild_id: int, channel_id: int, at: dt.time, zone: str, next_post_at: dt.datetime | None = None
    ) -> None:
        now = self.db.now_text()
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO guild_settings (guild_id, quiz_channel_id, quiz_time, quiz_timezone, paused, "
                "next_post_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET "
                "quiz_channel_id = excluded.quiz_channel_id, quiz_time = excluded.quiz_time, "
                "quiz_timezone = excluded.quiz_timezone, next_post_at = excluded.next_post_at, "
                "paused = CASE WHEN guild_settings.pause_reason IS NULL THEN guild_settings.paused ELSE 0 END, "
                "pause_reason = NULL, updated_at = excluded.updated_at",
                (
                    guild_id,
                    channel_id,
                    at.strftime("%H:%M"),
                    zone,
                    utc_text(next_post_at) if next_post_at else None,
                    now,
                ),
            )

    async def pause_for(self, guild_id: int, reason: str) -> None:
        """The bot pauses the daily post itself, saying why (organizers see it on their next /quiz)."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE guild_settings SET paused = 1, pause_reason = ?, updated_at = ? WHERE guild_id = ?",
                (reason, self.db.now_text(), guild_id),
            )

    async def set_paused(self, guild_id: int, paused: bool) -> bool:
        """Pause or resume (an organizer's choice, which clears the bot's own pause reason)."""
        async with self.db.transaction() as tx:
            cursor = await tx.execute(
                "UPDATE guild_settings SET paused = ?, pause_reason = NULL, updated_at = ? WHERE guild_id = ?",
                (int(paused), self.db.now_text(), guild_id),
            )
            return cursor.rowcount == 1

    async def set_next_post(self, guild_id: int, at: dt.datetime) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE guild_settings SET next_post_at = ? WHERE guild_id = ?", (utc_text(at), guild_id)
            )

    async def active(self) -> list[GuildSettings]:
        """Guilds with a daily quiz set up and not paused."""
        result = await self.db.query(
            f"SELECT {_COLUMNS} FROM guild_settings WHERE quiz_channel_id IS NOT NULL AND quiz_time IS NOT NULL "
            "AND quiz_timezone IS NOT NULL AND paused = 0"
        )
        return [_settings(r) for r in result.all()]

    async def due(self, now: dt.datetime, limit: int) -> list[GuildSettings]:
        mine, shards = guild_filter("guild_id", self.owned)
        result = await self.db.query(
            f"SELECT {_COLUMNS} FROM guild_settings WHERE quiz_channel_id IS NOT NULL AND paused = 0 "
            "AND quiz_time IS NOT NULL AND quiz_timezone IS NOT NULL "
            f"AND next_post_at IS NOT NULL AND next_post_at <= ? AND {mine} ORDER BY next_post_at LIMIT ?",
            (utc_text(now), *shards, limit),
        )
        return [_settings(r) for r in result.all()]

    async def next_wake(self) -> dt.datetime | None:
        mine, shards = guild_filter("guild_id", self.owned)
        result = await self.db.query(
            "SELECT min(next_post_at) FROM guild_settings WHERE quiz_channel_id IS NOT NULL AND paused = 0 "
            f"AND {mine}",
            shards,
        )
        row = result.one()
        return dt.datetime.fromisoformat(row[0]) if row and row[0] else None
