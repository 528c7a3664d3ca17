"""Practice sessions and their answers. All SQL for them lives here."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

import sqlalchemy as sa

from bot.db import Conflict, Database, Row, utc_text
from bot.db.tables import practice_answers, practice_sessions
from bot.features.errorlog.model import Bucket, NewMiss
from bot.features.errorlog.repo import insert_miss
from bot.features.members.repo import ensure_member
from bot.features.practice.model import ItemRef, Mode, Outcome, Session, Status

s = practice_sessions.c
pa = practice_answers.c
_SESSION = (
    s.id,
    s.user_id,
    s.mode,
    s.bucket,
    s["items"],
    s.position,
    s.status,
    s.started_at,
    s.shown_at,
    s.target,
)
_ACTIVE = s.status == "active"


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
                    sa.insert(practice_sessions)
                    .values(
                        user_id=user_id,
                        mode=mode.value,
                        bucket=bucket.value if bucket else None,
                        items=json.dumps([item.encode() for item in items]),
                        target=target,
                        started_at=utc_text(now),
                    )
                    .returning(*_SESSION)
                )
        except Conflict:
            return None
        row = result.one()
        return _session(row) if row else None

    async def get(self, session_id: int) -> Session | None:
        row = (await self.db.query(sa.select(*_SESSION).where(s.id == session_id))).one()
        return _session(row) if row else None

    async def active(self, user_id: int) -> Session | None:
        row = (await self.db.query(sa.select(*_SESSION).where(s.user_id == user_id, _ACTIVE))).one()
        return _session(row) if row else None

    async def mark_shown(self, session_id: int, position: int, now: dt.datetime) -> None:
        """The item at ``position`` is on screen: its clock starts (once; a re-show keeps the first)."""
        async with self.db.transaction() as tx:
            await tx.execute(
                sa.update(practice_sessions)
                .where(s.id == session_id, s.position == position)
                .values(shown_at=sa.func.coalesce(s.shown_at, sa.cast(utc_text(now), s.shown_at.type)))
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
                    sa.insert(practice_answers).values(
                        session_id=session.id,
                        user_id=session.user_id,
                        position=outcome.position,
                        item=outcome.item.encode(),
                        domain=outcome.domain,
                        bucket=outcome.bucket.value,
                        correct=int(outcome.correct),
                        in_place=outcome.in_place,
                        seconds=outcome.seconds,
                        answered_at=now,
                    )
                )
                for miss in misses:
                    await insert_miss(tx, session.user_id, miss, today, now)
                moved = await tx.execute(
                    sa.update(practice_sessions)
                    .where(s.id == session.id, s.position == outcome.position, _ACTIVE)
                    .values(
                        position=outcome.position + 1,
                        shown_at=None,
                        status=Status.FINISHED.value if finished else Status.ACTIVE.value,
                        ended_at=now if finished else None,
                        items=json.dumps([i.encode() for i in (*session.items, next_item)])
                        if next_item
                        else s["items"],
                    )
                )
                if moved.rowcount != 1:
                    raise Conflict("the session moved on or ended")
        except Conflict:
            return False
        return True

    async def end(self, session_id: int, status: Status) -> bool:
        async with self.db.transaction() as tx:
            result = await tx.execute(
                sa.update(practice_sessions)
                .where(s.id == session_id, _ACTIVE)
                .values(status=status.value, ended_at=self.db.now_text())
            )
        return result.rowcount == 1

    async def outcomes(self, session_id: int) -> list[Outcome]:
        result = await self.db.query(
            sa.select(pa.position, pa.item, pa.domain, pa.bucket, pa.correct, pa.seconds, pa.in_place)
            .where(pa.session_id == session_id)
            .order_by(pa.position)
        )
        return [
            Outcome(r[0], ItemRef.decode(r[1]), r[2], Bucket(r[3]), bool(r[4]), r[5], r[6])
            for r in result.all()
        ]

    async def domain_history(self, user_id: int) -> dict[str, tuple[int, int]]:
        """(answered, right) per exam domain from this member's practice answers."""
        result = await self.db.query(
            sa.select(pa.domain, sa.func.count(), sa.func.coalesce(sa.func.sum(pa.correct), 0))
            .where(pa.user_id == user_id, pa.domain.is_not(None))
            .group_by(pa.domain)
        )
        return {r[0]: (int(r[1]), int(r[2])) for r in result.all()}

    async def recent_items(self, user_id: int, limit: int = 200) -> set[str]:
        result = await self.db.query(
            sa.select(pa.item).where(pa.user_id == user_id).order_by(pa.id.desc()).limit(limit)
        )
        return {ItemRef.decode(r[0]).id for r in result.all()}
