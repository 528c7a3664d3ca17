"""Per-guild settings: the quiz channel, time, zone, pause and next post time. All SQL for them lives here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from bot.core.shards import Ownership, owned_clause
from bot.db import Database, Row, utc_text
from bot.db.tables import guild_settings, insert


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


g = guild_settings.c
_COLUMNS = (
    g.guild_id,
    g.quiz_channel_id,
    g.quiz_time,
    g.quiz_timezone,
    g.paused,
    g.next_post_at,
    g.pause_reason,
)
_SET_UP = sa.and_(g.quiz_channel_id.is_not(None), g.quiz_time.is_not(None), g.quiz_timezone.is_not(None))


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
        result = await self.db.query(sa.select(*_COLUMNS).where(g.guild_id == guild_id))
        row = result.one()
        return _settings(row) if row else None

    async def set_quiz(
        self, guild_id: int, channel_id: int, at: dt.time, zone: str, next_post_at: dt.datetime | None = None
    ) -> None:
        now = self.db.now_text()
        async with self.db.transaction() as tx:
            upsert = insert(guild_settings, tx.dialect).values(
                guild_id=guild_id,
                quiz_channel_id=channel_id,
                quiz_time=at.strftime("%H:%M"),
                quiz_timezone=zone,
                paused=0,
                next_post_at=utc_text(next_post_at) if next_post_at else None,
                updated_at=now,
            )
            new = upsert.excluded
            await tx.execute(
                upsert.on_conflict_do_update(
                    index_elements=[g.guild_id],
                    set_={
                        "quiz_channel_id": new.quiz_channel_id,
                        "quiz_time": new.quiz_time,
                        "quiz_timezone": new.quiz_timezone,
                        "next_post_at": new.next_post_at,
                        # an organizer's own pause stays; the bot's pause (it had a reason) is lifted
                        "paused": sa.case((g.pause_reason.is_(None), g.paused), else_=0),
                        "pause_reason": None,
                        "updated_at": new.updated_at,
                    },
                )
            )

    async def pause_for(self, guild_id: int, reason: str) -> None:
        """The bot pauses the daily post itself, saying why (organizers see it on their next /quiz)."""
        async with self.db.transaction() as tx:
            await tx.execute(
                sa.update(guild_settings)
                .where(g.guild_id == guild_id)
                .values(paused=1, pause_reason=reason, updated_at=self.db.now_text())
            )

    async def set_paused(self, guild_id: int, paused: bool) -> bool:
        """Pause or resume (an organizer's choice, which clears the bot's own pause reason)."""
        async with self.db.transaction() as tx:
            cursor = await tx.execute(
                sa.update(guild_settings)
                .where(g.guild_id == guild_id)
                .values(paused=int(paused), pause_reason=None, updated_at=self.db.now_text())
            )
            return cursor.rowcount == 1

    async def set_next_post(self, guild_id: int, at: dt.datetime) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                sa.update(guild_settings).where(g.guild_id == guild_id).values(next_post_at=utc_text(at))
            )

    async def active(self) -> list[GuildSettings]:
        """Guilds with a daily quiz set up and not paused."""
        result = await self.db.query(sa.select(*_COLUMNS).where(_SET_UP, g.paused == 0))
        return [_settings(r) for r in result.all()]

    async def due(self, now: dt.datetime, limit: int) -> list[GuildSettings]:
        result = await self.db.query(
            sa.select(*_COLUMNS)
            .where(_SET_UP, g.paused == 0, g.next_post_at.is_not(None), g.next_post_at <= utc_text(now))
            .where(owned_clause(g.guild_id, self.owned))
            .order_by(g.next_post_at)
            .limit(limit)
        )
        return [_settings(r) for r in result.all()]

    async def next_wake(self) -> dt.datetime | None:
        result = await self.db.query(
            sa.select(sa.func.min(g.next_post_at)).where(
                g.quiz_channel_id.is_not(None), g.paused == 0, owned_clause(g.guild_id, self.owned)
            )
        )
        row = result.one()
        return dt.datetime.fromisoformat(row[0]) if row and row[0] else None
