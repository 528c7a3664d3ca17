"""The error log's rows. All SQL for misses lives here."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import sqlalchemy as sa

from bot.db import Database, Transaction
from bot.db.tables import misses
from bot.features.errorlog.model import Bucket, Miss, NewMiss
from bot.features.members.repo import ensure_member


async def insert_miss(tx: Transaction, user_id: int, miss: NewMiss, logged_on: dt.date, now: str) -> None:
    """Log one miss inside the caller's transaction (a quiz answer and its misses are one write)."""
    await ensure_member(tx, user_id, now)
    await tx.execute(
        sa.insert(misses).values(
            user_id=user_id,
            bucket=miss.bucket.value,
            note=miss.note,
            source=miss.source,
            question_id=miss.question_id,
            logged_on=logged_on.isoformat(),
            logged_at=now,
        )
    )


class ErrorLogRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def log_miss(
        self,
        user_id: int,
        bucket: Bucket,
        logged_on: dt.date,
        *,
        note: str | None = None,
        source: str = "manual",
        question_id: str | None = None,
    ) -> None:
        async with self.db.transaction() as tx:
            await insert_miss(
                tx, user_id, NewMiss(bucket, note, source, question_id), logged_on, self.db.now_text()
            )

    async def miss_counts(self, user_id: int, since: dt.date | None = None) -> Counter[Bucket]:
        """Misses per bucket, all of them or those logged on or after ``since``."""
        m = misses.c
        result = await self.db.query(
            sa.select(m.bucket, sa.func.count())
            .where(m.user_id == user_id, m.logged_on >= (since.isoformat() if since else ""))
            .group_by(m.bucket)
        )
        return Counter({Bucket(r[0]): r[1] for r in result.all()})

    async def recent_misses(self, user_id: int, limit: int = 5) -> list[Miss]:
        m = misses.c
        result = await self.db.query(
            sa.select(m.bucket, m.note, m.source, m.logged_on)
            .where(m.user_id == user_id)
            .order_by(m.id.desc())
            .limit(limit)
        )
        return [Miss(Bucket(r[0]), r[1], r[2], dt.date.fromisoformat(r[3])) for r in result.all()]
