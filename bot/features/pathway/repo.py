"""The pathway gates of each member. All SQL for them lives here."""

from __future__ import annotations

import datetime as dt

from bot.db import Database
from bot.features.members.repo import ensure_member
from bot.features.pathway.model import Gate, GateRecord, Mark


class PathwayRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def gates(self, user_id: int) -> list[GateRecord]:
        result = await self.db.query(
            "SELECT gate, mark, happened_on FROM gates WHERE user_id = ?", (user_id,)
        )
        rows = result.all()
        return [
            GateRecord(Gate(row[0]), Mark(row[1]), dt.date.fromisoformat(row[2]) if row[2] else None)
            for row in rows
        ]

    async def record(self, user_id: int, record: GateRecord) -> None:
        now = self.db.now_text()
        async with self.db.transaction() as tx:
            await ensure_member(tx, user_id, now)
            await tx.execute(
                "INSERT INTO gates (user_id, gate, mark, happened_on, updated_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (user_id, gate) DO UPDATE SET mark = excluded.mark, "
                "happened_on = excluded.happened_on, updated_at = excluded.updated_at",
                (
                    user_id,
                    record.gate.value,
                    record.mark.value,
                    record.date.isoformat() if record.date else None,
                    now,
                ),
            )
