"""Members: time zone, sharing and reminder preferences. All SQL for them lives here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from bot.db import Database, Transaction
from bot.db.tables import insert, members


@dataclass(frozen=True, slots=True)
class MemberProfile:
    user_id: int
    timezone: str | None
    share_status: bool
    reminders_enabled: bool
    review_goal: dt.date | None = None  # the member's own target date for spaced review
    nudge_hour: int | None = None  # local hour of the opt-in daily review nudge; None: no nudge


async def ensure_member(tx: Transaction, user_id: int, now: str) -> None:
    """Create the member's row if missing (inside the caller's write transaction)."""
    await tx.execute(
        insert(members, tx.dialect)
        .values(user_id=user_id, created_at=now, updated_at=now)
        .on_conflict_do_nothing(index_elements=[members.c.user_id])
    )


class MemberRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, user_id: int) -> MemberProfile | None:
        c = members.c
        result = await self.db.query(
            sa.select(
                c.user_id,
                c.timezone,
                c.share_status,
                c.reminders_enabled,
                c.review_goal_on,
                c.review_nudge_hour,
            ).where(c.user_id == user_id)
        )
        row = result.one()
        if row is None:
            return None
        goal = dt.date.fromisoformat(row[4]) if row[4] else None
        return MemberProfile(row[0], row[1], bool(row[2]), bool(row[3]), goal, row[5])

    async def _set(self, user_id: int, column: str, value: object) -> None:
        now = self.db.now_text()
        async with self.db.transaction() as tx:
            await ensure_member(tx, user_id, now)
            await tx.execute(
                sa.update(members)
                .where(members.c.user_id == user_id)
                .values({column: value, "updated_at": now})
            )

    async def set_timezone(self, user_id: int, name: str) -> None:
        await self._set(user_id, "timezone", name)

    async def set_sharing(self, user_id: int, share: bool) -> None:
        await self._set(user_id, "share_status", int(share))

    async def set_reminders(self, user_id: int, enabled: bool) -> None:
        await self._set(user_id, "reminders_enabled", int(enabled))

    async def set_review_goal(self, user_id: int, day: dt.date | None) -> None:
        await self._set(user_id, "review_goal_on", day.isoformat() if day else None)

    async def set_nudge_hour(self, user_id: int, hour: int | None) -> None:
        await self._set(user_id, "review_nudge_hour", hour)

    async def dm_channel(self, user_id: int) -> int | None:
        """The member's DM channel with the bot, if a DM has been sent before."""
        result = await self.db.query(sa.select(members.c.dm_channel_id).where(members.c.user_id == user_id))
        value = result.scalar()
        return int(value) if value is not None else None

    async def remember_dm_channel(self, user_id: int, channel_id: int | None) -> None:
        """Record (or, with None, forget) the member's DM channel. Not a change the member made."""
        async with self.db.transaction() as tx:
            await tx.execute(
                sa.update(members).where(members.c.user_id == user_id).values(dm_channel_id=channel_id)
            )
