"""Daily posts, answers and question reports. All SQL for them lives here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.shards import Ownership, guild_filter
from bot.db import Conflict, Database, Row, utc_text
from bot.features.errorlog.model import NewMiss
from bot.features.errorlog.repo import insert_miss
from bot.features.members.repo import ensure_member

_NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)
_LETTERS = "ABCDE"


@dataclass(frozen=True, slots=True)
class PostRecord:
    """A guild's daily post: also an outbox row (status, tries, when it was prepared)."""

    id: int
    guild_id: int
    channel_id: int
    message_id: int | None
    question_id: str
    cycle: int
    post_date: dt.date
    status: str = "pending"
    attempts: int = 0
    due_at: dt.datetime = _NEVER

    @property
    def nonce(self) -> str:
        """Sent with the message: Discord does not show a retry of the same post twice."""
        return f"emr-quiz-{self.id}"


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer: the option chosen (0-3) for a single-answer question, or the set of options chosen
    (0-4 for A-E) for a multiple-response one."""

    user_id: int
    guild_id: int | None
    question_id: str
    domain: str
    choice: int | frozenset[int]
    correct: bool
    answered_on: dt.date
    post_id: int | None = None
    issued_at: int | None = None
    seconds: float | None = None

    def __post_init__(self) -> None:
        if self.choice == frozenset():
            raise ValueError("a multiple-response answer chooses at least one option")

    @property
    def single_choice(self) -> int | None:
        """The ``choice`` column: the option of a single answer, None for a multiple-response one."""
        return None if isinstance(self.choice, frozenset) else self.choice

    @property
    def choice_letters(self) -> str | None:
        """The ``choices`` column: a multiple-response answer's letters in order ('ACE'), else None."""
        if not isinstance(self.choice, frozenset):
            return None
        return "".join(_LETTERS[i] for i in sorted(self.choice))


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    question_id: str
    domain: str
    correct: bool
    answered_on: dt.date


@dataclass(frozen=True, slots=True)
class Report:
    user_id: int
    question_id: str
    reason: str
    reported_at: dt.datetime


_POST = "id, guild_id, channel_id, message_id, question_id, cycle, post_date, status, attempts, posted_at"


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
            f"SELECT {_POST} FROM quiz_posts WHERE guild_id = ? AND post_date < ? "
            "ORDER BY post_date DESC, id DESC LIMIT 1",
            (guild_id, before.isoformat() if before else "9999-12-31"),
        )
        row = result.one()
        return _post(row) if row else None

    async def get_post(self, post_id: int) -> PostRecord | None:
        result = await self.db.query(f"SELECT {_POST} FROM quiz_posts WHERE id = ?", (post_id,))
        row = result.one()
        return _post(row) if row else None

    async def used_in_cycle(self, guild_id: int) -> tuple[int, set[str]]:
        """The guild's current cycle and the questions already posted in it."""
        result = await self.db.query(
            "SELECT coalesce(max(cycle), 0) FROM quiz_posts WHERE guild_id = ?", (guild_id,)
        )
        row = result.one()
        cycle = int(row[0]) if row else 0
        result = await self.db.query(
            "SELECT question_id FROM quiz_posts WHERE guild_id = ? AND cycle = ?", (guild_id, cycle)
        )
        return cycle, {r[0] for r in result.all()}

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
                "INSERT INTO quiz_posts (guild_id, channel_id, question_id, cycle, post_date, posted_at, status) "
                "VALUES (?, ?, ?, ?, ?, ?, 'pending') ON CONFLICT (guild_id, post_date) DO NOTHING "
                f"RETURNING {_POST}",
                (guild_id, channel_id, question_id, cycle, post_date.isoformat(), utc_text(now)),
            )
        row = result.one()
        return _post(row) if row else None

    async def claim_post(self, post_id: int) -> PostRecord | None:
        """Atomically take a pending post for sending, counting a try; None if it is taken or gone."""
        async with self.db.transaction() as tx:
            result = await tx.execute(
                "UPDATE quiz_posts SET status = 'claimed', attempts = attempts + 1 "
                f"WHERE id = ? AND status = 'pending' RETURNING {_POST}",
                (post_id,),
            )
        row = result.one()
        return _post(row) if row else None

    async def claimed_posts(self) -> list[PostRecord]:
        mine, shards = guild_filter("guild_id", self.owned)
        result = await self.db.query(
            f"SELECT {_POST} FROM quiz_posts WHERE status = 'claimed' AND {mine} ORDER BY id", shards
        )
        return [_post(r) for r in result.all()]

    async def finish_post(
        self, post_id: int, status: str, *, message_id: int | None = None, error: str | None = None
    ) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE quiz_posts SET status = ?, message_id = coalesce(?, message_id), last_error = ? "
                "WHERE id = ?",
                (status, message_id, error, post_id),
            )

    async def release_post(self, post_id: int, error: str | None) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE quiz_posts SET status = 'pending', last_error = ? WHERE id = ? AND status = 'claimed'",
                (error, post_id),
            )

    async def delete_post(self, post_id: int) -> None:
        async with self.db.transaction() as tx:
            await tx.execute("DELETE FROM quiz_posts WHERE id = ?", (post_id,))

    async def post_results(self, post_id: int) -> tuple[int, int]:
        """(members who answered, members who got it right)."""
        result = await self.db.query(
            "SELECT count(*), coalesce(sum(correct), 0) FROM quiz_answers WHERE post_id = ?", (post_id,)
        )
        row = result.one()
        return (int(row[0]), int(row[1])) if row else (0, 0)

    # -------------------------------------------------------------------------------------- answers

    async def record_answer(self, answer: Answer, misses: Sequence[NewMiss] = ()) -> bool:
        """Store an answer and the misses it means for the error log, in ONE transaction.

        False (and nothing stored) if this member already answered that post (or that exact question).
        """
        now = self.db.now_text()
        try:
            async with self.db.transaction() as tx:
                await ensure_member(tx, answer.user_id, now)
                for miss in misses:
                    await insert_miss(tx, answer.user_id, miss, answer.answered_on, now)
                await tx.execute(
                    "INSERT INTO quiz_answers (user_id, guild_id, question_id, domain, post_id, issued_at, choice, "
                    "choices, correct, seconds, answered_on, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        answer.user_id,
                        answer.guild_id,
                        answer.question_id,
                        answer.domain,
                        answer.post_id,
                        answer.issued_at,
                        answer.single_choice,
                        answer.choice_letters,
                        int(answer.correct),
                        answer.seconds,
                        answer.answered_on.isoformat(),
                        now,
                    ),
                )
        except Conflict:
            return False
        return True

    async def first_choice(self, user_id: int, post_id: int) -> int | None:
        result = await self.db.query(
            "SELECT choice FROM quiz_answers WHERE user_id = ? AND post_id = ?", (user_id, post_id)
        )
        row = result.one()
        return int(row[0]) if row else None

    async def answers(self, user_id: int) -> list[StoredAnswer]:
        result = await self.db.query(
            "SELECT question_id, domain, correct, answered_on FROM quiz_answers WHERE user_id = ? ORDER BY id",
            (user_id,),
        )
        return [StoredAnswer(r[0], r[1], bool(r[2]), dt.date.fromisoformat(r[3])) for r in result.all()]

    async def recent_question_ids(self, user_id: int, limit: int) -> set[str]:
        result = await self.db.query(
            "SELECT question_id FROM quiz_answers WHERE user_id = ? ORDER BY id DESC LIMIT ?",
            (user_id, limit),
        )
        return {r[0] for r in result.all()}

    # -------------------------------------------------------------------------------------- reports

    async def add_report(self, user_id: int, guild_id: int | None, question_id: str, reason: str) -> None:
        now = self.db.now_text()
        async with self.db.transaction() as tx:
            await ensure_member(tx, user_id, now)
            await tx.execute(
                "INSERT INTO question_reports (user_id, guild_id, question_id, reason, reported_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (user_id, guild_id, question_id, reason, now),
            )

    async def reports(self, guild_id: int, limit: int = 20) -> list[Report]:
        result = await self.db.query(
            "SELECT user_id, question_id, reason, reported_at FROM question_reports WHERE guild_id = ? "
            "ORDER BY id DESC LIMIT ?",
            (guild_id, limit),
        )
        return [Report(r[0], r[1], r[2], dt.datetime.fromisoformat(r[3])) for r in result.all()]
