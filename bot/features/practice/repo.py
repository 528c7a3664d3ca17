"""Practice sessions and their answers. All SQL for them lives here."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from bot.db import Conflict, Database, Row, utc_text
from bot.features.errorlog.model import Bucket, NewMiss
from bot.features.errorlog.repo import insert_miss
from bot.features.members.repo import ensure_member
from bot.features.practice.model import ItemRef, Mode, Outcome, Session, Status

_SESSION = "id, user_id, mode, bucket, items, position, status, started_at, shown_at, target"


def _session(row: Row) -> Session:
    return Session(
        id=row[0],
        user_id=row[1],
        mode=Mode(row[2]),
        bucket=Bucket(row[3]) if row[3] else None,
        items=tuple(ItemRef.decode(text) for text in json.loads(row[4])),
        position=row[5],
        status=Status(row[6]),
        started_at=dt.datetime.fromisoformat(row[7]),
        shown_at=dt.datetime.fromisoformat(row[8]) if row[8] else None,
        target=row[9],
    )


class PracticeRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def start(
        self,
        user_id: int,
        mode: Mode,
        bucket: Bucket | None,
        items: Sequence[ItemRef],
        now: dt.datetime,
        target: float | None = None,
    ) -> Session | None:
        """A new active session; None if the member already has one (one at a time)."""
        try:
            async with self.db.transaction() as tx:
                await ensure_member(tx, user_id, self.db.now_text())
                result = await tx.execute(
                    "INSERT INTO practice_sessions (user_id, mode, bucket, items, target, started_at) "
                    f"VALUES (?, ?, ?, ?, ?, ?) RETURNING {_SESSION}",
                    (
                        user_id,
                        mode.value,
                        bucket.value if bucket else None,
                        json.dumps([item.encode() for item in items]),
                        target,
                        utc_text(now),
                    ),
                )
        except Conflict:
            return None
        row = result.one()
        return _session(row) if row else None

    async def get(self, session_id: int) -> Session | None:
        row = (
            await self.db.query(f"SELECT {_SESSION} FROM practice_sessions WHERE id = ?", (session_id,))
        ).one()
        return _session(row) if row else None

    async def active(self, user_id: int) -> Session | None:
        row = (
            await self.db.query(
                f"SELECT {_SESSION} FROM practice_sessions WHERE user_id = ? AND status = 'active'",
                (user_id,),
            )
        ).one()
        return _session(row) if row else None

    async def mark_shown(self, session_id: int, position: int, now: dt.datetime) -> None:
        """The item at ``position`` is on screen: its clock starts (once; a re-show keeps the first)."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE practice_sessions SET shown_at = coalesce(shown_at, ?) WHERE id = ? AND position = ?",
                (utc_text(now), session_id, position),
            )

    async def record(
        self,
        session: Session,
        outcome: Outcome,
        misses: Sequence[NewMiss],
        today: dt.date,
        next_item: ItemRef | None = None,
    ) -> bool:
        """The answer, its misses and the session's step forward, in ONE transaction.

        ``next_item`` (a check-in) is appended to the session's items in the same step, so it goes on.
        False (nothing written) if that position was already answered: a double click counts once.
        """
        now = self.db.now_text()
        finished = outcome.position + 1 >= session.length + (next_item is not None)
        try:
            async with self.db.transaction() as tx:
                await tx.execute(
                    "INSERT INTO practice_answers (session_id, user_id, position, item, domain, bucket, correct, "
                    "in_place, seconds, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        session.id,
                        session.user_id,
                        outcome.position,
                        outcome.item.encode(),
                        outcome.domain,
                        outcome.bucket.value,
                        int(outcome.correct),
                        outcome.in_place,
                        outcome.seconds,
                        now,
                    ),
                )
                for miss in misses:
                    await insert_miss(tx, session.user_id, miss, today, now)
                moved = await tx.execute(
                    "UPDATE practice_sessions SET position = ?, shown_at = NULL, status = ?, ended_at = ?, "
                    "items = coalesce(?, items) "
                    "WHERE id = ? AND position = ? AND status = 'active'",
                    (
                        outcome.position + 1,
                        Status.FINISHED.value if finished else Status.ACTIVE.value,
                        now if finished else None,
                        json.dumps([i.encode() for i in (*session.items, next_item)]) if next_item else None,
                        session.id,
                        outcome.position,
                    ),
                )
                if moved.rowcount != 1:
                    raise Conflict("the session moved on or ended")
        except Conflict:
            return False
        return True

    async def end(self, session_id: int, status: Status) -> bool:
        async with self.db.transaction() as tx:
            result = await tx.execute(
                "UPDATE practice_sessions SET status = ?, ended_at = ? WHERE id = ? AND status = 'active'",
                (status.value, self.db.now_text(), session_id),
            )
        return result.rowcount == 1

    async def outcomes(self, session_id: int) -> list[Outcome]:
        result = await self.db.query(
            "SELECT position, item, domain, bucket, correct, seconds, in_place FROM practice_answers "
            "WHERE session_id = ? ORDER BY position",
            (session_id,),
        )
        return [
            Outcome(r[0], ItemRef.decode(r[1]), r[2], Bucket(r[3]), bool(r[4]), r[5], r[6])
            for r in result.all()
        ]

    async def domain_history(self, user_id: int) -> dict[str, tuple[int, int]]:
        """(answered, right) per exam domain from this member's practice answers."""
        result = await self.db.query(
            "SELECT domain, count(*), coalesce(sum(correct), 0) FROM practice_answers "
            "WHERE user_id = ? AND domain IS NOT NULL GROUP BY domain",
            (user_id,),
        )
        return {r[0]: (int(r[1]), int(r[2])) for r in result.all()}

    async def recent_items(self, user_id: int, limit: int = 200) -> set[str]:
        result = await self.db.query(
            "SELECT item FROM practice_answers WHERE user_id = ? ORDER BY id DESC LIMIT ?", (user_id, limit)
        )
        return {ItemRef.decode(r[0]).id for r in result.all()}
