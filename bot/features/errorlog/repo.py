"""The error log's rows. All SQL for misses lives here."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from bot.db import Database, Transaction
from bot.features.errorlog.model import Bucket, Miss, NewMiss
from bot.features.members.repo import ensure_member


async def insert_miss(tx: Transaction, user_id: int, miss: NewMiss, logged_on: dt.date, now: str) -> None:
    """Log one miss inside the caller's transaction (a quiz answer and its misses are one write)."""
    await ensure_member(tx, user_id, now)
    await tx.execute(
        "INSERT INTO misses (user_id, bucket, note, source, question_id, logged_on, logged_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (user_id, miss.bucket.value, miss.note, miss.source, miss.question_id, logged_on.isoformat(), now),
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
        result = await self.db.query(
            "SELECT bucket, count(*) FROM misses WHERE user_id = ? AND logged_on >= ? GROUP BY bucket",
            (user_id, since.isoformat() if since else ""),
        )
        return Counter({Bucket(r[0]): r[1] for r in result.all()})

    async def recent_misses(self, user_id: int, limit: int = 5) -> list[Miss]:
        result = await self.db.query(
            "SELECT bucket, note, source, logged_on FROM misses WHERE user_id = ? ORDER BY id DESC LIMIT ?",
            (user_id, limit),
        )
        return [Miss(Bucket(r[0]), r[1], r[2], dt.date.fromisoformat(r[3])) for r in result.all()]
