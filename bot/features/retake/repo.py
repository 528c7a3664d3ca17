"""Failed attempts and refresher courses. All SQL for them lives here."""

from __future__ import annotations

import datetime as dt

from bot.db import Database
from bot.features.members.repo import ensure_member
from bot.features.retake.model import Attempt


class RetakeRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def attempts(self, user_id: int) -> list[Attempt]:
        result = await self.db.query(
            "SELECT taken_on, score FROM attempts WHERE user_id = ? ORDER BY taken_on", (user_id,)
        )
        return [Attempt(dt.date.fromisoformat(r[0]), r[1]) for r in result.all()]

    async def last_refresher(self, user_id: int) -> dt.date | None:
        result = await self.db.query("SELECT max(completed_on) FROM refreshers WHERE user_id = ?", (user_id,))
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
                    "INSERT INTO refreshers (user_id, completed_on, recorded_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (user_id, completed_on) DO NOTHING",
                    (user_id, refresher.isoformat(), now),
                )
            if attempt is not None:
                await tx.execute(
                    "INSERT INTO attempts (user_id, taken_on, score, recorded_at) VALUES (?, ?, ?, ?)",
                    (user_id, attempt.taken_on.isoformat(), attempt.score, now),
                )

    async def remove_last_attempt(self, user_id: int) -> Attempt | None:
        async with self.db.transaction() as tx:
            result = await tx.execute(
                "DELETE FROM attempts WHERE id = (SELECT id FROM attempts WHERE user_id = ? "
                "ORDER BY taken_on DESC LIMIT 1) RETURNING taken_on, score",
                (user_id,),
            )
        row = result.one()
        return Attempt(dt.date.fromisoformat(row[0]), row[1]) if row else None
