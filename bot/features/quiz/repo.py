"""Daily posts, answers and question reports. All SQL for them lives here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa

from bot.core.leases import claim_values, held, recoverable, released, take_over
from bot.core.outbox import Claimant, Lease
from bot.core.shards import Ownership, owned_clause
from bot.db import Conflict, Database, Row, utc_text
from bot.db.tables import insert, question_reports, quiz_answers, quiz_posts
from bot.features.errorlog.model import NewMiss
from bot.features.errorlog.repo import insert_miss
from bot.features.members.repo import ensure_member
from bot.features.quiz.records import Answer, PostRecord, Report, StoredAnswer

__all__ = ["Answer", "PostRecord", "QuizRepository", "Report", "StoredAnswer"]

p = quiz_posts.c
a = quiz_answers.c
_POST = (p.id, p.guild_id, p.channel_id, p.message_id, p.question_id, p.cycle, p.post_date, p.status, p.attempts,
         p.posted_at, p.owner)  # fmt: skip


def _post(row: Row) -> PostRecord:
    return PostRecord(
        id=row[0],
        guild_id=row[1],
        channel_id=row[2],
        message_id=row[3],
        question_id=row[4],
        cycle=row[5],
        post_date=dt.date.fromisoformat(row[6]),
        status=row[7],
        attempts=row[8],
        due_at=dt.datetime.fromisoformat(row[9]),
        owner=row[10],
    )


class QuizRepository:
    def __init__(self, db: Database, owned: Ownership | None = None) -> None:
        self.db = db
        #: The shards this process runs: crash recovery (``claimed_posts``) is for their guilds only.
        self.owned = owned or Ownership()

    # ---------------------------------------------------------------------------------------- posts

    async def last_post(self, guild_id: int, *, before: dt.date | None = None) -> PostRecord | None:
        """The guild's latest post, or its latest before the local date ``before``."""
        result = await self.db.query(
            sa.select(*_POST)
            .where(p.guild_id == guild_id, p.post_date < (before.isoformat() if before else "9999-12-31"))
            .order_by(p.post_date.desc(), p.id.desc())
            .limit(1)
        )
        row = result.one()
        return _post(row) if row else None

    async def get_post(self, post_id: int) -> PostRecord | None:
        result = await self.db.query(sa.select(*_POST).where(p.id == post_id))
        row = result.one()
        return _post(row) if row else None

    async def used_in_cycle(self, guild_id: int) -> tuple[int, set[str]]:
        """The guild's current cycle and the questions already posted in it."""
        newest = sa.select(sa.func.max(p.cycle)).where(p.guild_id == guild_id).scalar_subquery()
        result = await self.db.query(
            sa.select(p.cycle, p.question_id).where(p.guild_id == guild_id, p.cycle == newest)
        )
        rows = result.all()  # no rows: no post yet, cycle 0
        return (int(rows[0][0]) if rows else 0), {r[1] for r in rows}

    async def create_post(
        self,
        guild_id: int,
        channel_id: int,
        question_id: str,
        cycle: int,
        post_date: dt.date,
        now: dt.datetime,
    ) -> PostRecord | None:
        """Prepare the guild's post for ``post_date`` (pending); None if that day's post already exists."""
        async with self.db.transaction() as tx:
            result = await tx.execute(
                insert(quiz_posts, tx.dialect)
                .values(guild_id=guild_id, channel_id=channel_id, question_id=question_id, cycle=cycle,
                        post_date=post_date.isoformat(), posted_at=utc_text(now), status="pending")
                .on_conflict_do_nothing(index_elements=[p.guild_id, p.post_date])
                .returning(*_POST)
            )  # fmt: skip
        row = result.one()
        return _post(row) if row else None

    async def claim_post(self, post_id: int, lease: Lease) -> PostRecord | None:
        """Atomically take a pending post under ``lease``, counting a try; None if it is taken or gone."""
        async with self.db.transaction() as tx:
            result = await tx.execute(
                sa.update(quiz_posts).where(p.id == post_id, p.status == "pending")
                .values(status="claimed", attempts=p.attempts + 1, **claim_values(lease)).returning(*_POST)
            )  # fmt: skip
        row = result.one()
        return _post(row) if row else None

    async def claimed_posts(self, now: dt.datetime, claimant: Claimant) -> list[PostRecord]:
        """Claimed posts of this process's guilds to resolve (their lease ran out: :mod:`bot.core.leases`)."""
        mine = (owned_clause(p.guild_id, self.owned), recoverable(p.lease_until, now, claimant))
        result = await self.db.query(sa.select(*_POST).where(p.status == "claimed", *mine).order_by(p.id))
        return [_post(r) for r in result.all()]

    async def take_over_post(
        self, post: PostRecord, now: dt.datetime, claimant: Claimant
    ) -> PostRecord | None:
        """Make a claimed post whose lease ran out this process's (see OutboxClient.take_over)."""
        async with self.db.transaction() as tx:
            result = await tx.execute(take_over(quiz_posts, post.id, now, claimant).returning(*_POST))
        row = result.one()
        return _post(row) if row else None

    async def finish_post(
        self,
        post_id: int,
        status: str,
        *,
        owner: str | None = None,
        message_id: int | None = None,
        error: str | None = None,
    ) -> None:
        """End a post; with ``owner``, only while that process still holds its claim."""
        message = p.message_id if message_id is None else message_id
        guard = () if owner is None else held(quiz_posts, owner)
        async with self.db.transaction() as tx:
            await tx.execute(
                sa.update(quiz_posts)
                .where(p.id == post_id, *guard)
                .values(status=status, message_id=message, last_error=error)
            )

    async def release_post(self, post: PostRecord, error: str | None, *, uncount: bool = False) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                sa.update(quiz_posts)
                .where(p.id == post.id, *held(quiz_posts, post.owner))
                .values(last_error=error, **released(quiz_posts, uncount=uncount))
            )

    async def delete_post(self, post_id: int) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(sa.delete(quiz_posts).where(p.id == post_id))

    async def post_results(self, post_id: int) -> tuple[int, int]:
        """(members who answered, members who got it right)."""
        result = await self.db.query(
            sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(a.correct), 0)).where(
                a.post_id == post_id
            )
        )
        row = result.one()
        return (int(row[0]), int(row[1])) if row else (0, 0)

    # -------------------------------------------------------------------------------------- answers

    async def record_answer(self, answer: Answer, misses: Sequence[NewMiss] = ()) -> bool:
        """Store an answer and the misses it means for the error log, in ONE transaction.

        False (and nothing stored) if this member already answered that post (or that exact question).
        """
        now = self.db.now_text()
        row = {
            "user_id": answer.user_id,
            "guild_id": answer.guild_id,
            "question_id": answer.question_id,
            "domain": answer.domain,
            "post_id": answer.post_id,
            "issued_at": answer.issued_at,
            "choice": answer.single_choice,
            "choices": answer.choice_letters,
            "correct": int(answer.correct),
            "seconds": answer.seconds,
            "answered_on": answer.answered_on.isoformat(),
            "answered_at": now,
        }
        try:
            async with self.db.transaction() as tx:
                await ensure_member(tx, answer.user_id, now)
                for miss in misses:
                    await insert_miss(tx, answer.user_id, miss, answer.answered_on, now)
                await tx.execute(sa.insert(quiz_answers).values(row))
        except Conflict:
            return False
        return True

    async def first_choice(self, user_id: int, post_id: int) -> int | None:
        result = await self.db.query(sa.select(a.choice).where(a.user_id == user_id, a.post_id == post_id))
        row = result.one()
        return int(row[0]) if row else None

    async def answers(self, user_id: int) -> list[StoredAnswer]:
        result = await self.db.query(
            sa.select(a.question_id, a.domain, a.correct, a.answered_on)
            .where(a.user_id == user_id)
            .order_by(a.id)
        )
        return [StoredAnswer(r[0], r[1], bool(r[2]), dt.date.fromisoformat(r[3])) for r in result.all()]

    async def recent_question_ids(self, user_id: int, limit: int) -> set[str]:
        result = await self.db.query(
            sa.select(a.question_id).where(a.user_id == user_id).order_by(a.id.desc()).limit(limit)
        )
        return {r[0] for r in result.all()}

    # -------------------------------------------------------------------------------------- reports

    async def add_report(self, user_id: int, guild_id: int | None, question_id: str, reason: str) -> None:
        now = self.db.now_text()
        async with self.db.transaction() as tx:
            await ensure_member(tx, user_id, now)
            await tx.execute(
                sa.insert(question_reports).values(
                    user_id=user_id,
                    guild_id=guild_id,
                    question_id=question_id,
                    reason=reason,
                    reported_at=now,
                )
            )

    async def reports(self, guild_id: int, limit: int = 20) -> list[Report]:
        q = question_reports.c
        result = await self.db.query(
            sa.select(q.user_id, q.question_id, q.reason, q.reported_at)
            .where(q.guild_id == guild_id)
            .order_by(q.id.desc())
            .limit(limit)
        )
        return [Report(r[0], r[1], r[2], dt.datetime.fromisoformat(r[3])) for r in result.all()]
