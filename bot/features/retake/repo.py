"""Failed attempts and refresher courses. All SQL for them lives here."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from bot.db import Database
from bot.db.tables import attempts, insert, refreshers
from bot.features.members.repo import ensure_member
from bot.features.retake.model import Attempt


class RetakeRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def attempts(self, user_id: int) -> list[Attempt]:
        result = await self.db.query(
            sa.select(attempts.c.taken_on, attempts.c.score)
            .where(attempts.c.user_id == user_id)
            .order_by(attempts.c.taken_on)
        )
        return [Attempt(dt.date.fromisoformat(r[0]), r[1]) for r in result.all()]

    async def last_refresher(self, user_id: int) -> dt.date | None:
        result = await self.db.query(
            sa.select(sa.func.max(refreshers.c.completed_on)).where(refreshers.c.user_id == user_id)
        )
        row = result.one()
        return dt.date.fromisoformat(row[0]) if row and row[0] else None

    async def record(
        self, user_id: int, *, refresher: dt.date | None = None, attempt: Attempt | None = None
    ) -> None:
        """A refresher course and/or a failed attempt, in one transaction: both are stored or neither."""
        now = self.db.now_text()
        async with self.db.transaction() as tx:
            await ensure_member(tx, user_id, now)
            if refresher is not None:
                await tx.execute(
                    insert(refreshers, tx.dialect)
                    .values(user_id=user_id, completed_on=refresher.isoformat(), recorded_at=now)
                    .on_conflict_do_nothing(index_elements=[refreshers.c.user_id, refreshers.c.completed_on])
                )
            if attempt is not None:
                await tx.execute(
                    sa.insert(attempts).values(
                        user_id=user_id,
                        taken_on=attempt.taken_on.isoformat(),
                        score=attempt.score,
                        recorded_at=now,
                    )
                )

    async def remove_last_attempt(self, user_id: int) -> Attempt | None:
        last = (
            sa.select(attempts.c.id)
            .where(attempts.c.user_id == user_id)
            .order_by(attempts.c.taken_on.desc())
            .limit(1)
            .scalar_subquery()
        )
        async with self.db.transaction() as tx:
            result = await tx.execute(
                sa.delete(attempts)
                .where(attempts.c.id == last)
                .returning(attempts.c.taken_on, attempts.c.score)
            )
        row = result.one()
        return Attempt(dt.date.fromisoformat(row[0]), row[1]) if row else None
