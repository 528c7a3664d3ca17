"""What /quiz items reads: every member's answers to bank questions (counts only leave this feature),
the reports per question and the item calibration. All its SQL is here."""

from __future__ import annotations

import sqlalchemy as sa

from bot.db import Database, Row
from bot.db.tables import item_calibration, practice_answers, question_reports, quiz_answers


def question_of(item: sa.ColumnElement[str], dialect: str) -> sa.ColumnElement[str]:
    """A practice item's question id: the text after its ``q:`` / ``qr:`` prefix (SQLite's instr is
    PostgreSQL's strpos)."""
    position = sa.func.strpos if dialect == "postgresql" else sa.func.instr
    return sa.func.substr(item, position(item, ":") + 1)


class ItemsRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def answers(self) -> list[Row]:
        """(member, question id, right) for every answer in every server, oldest first: /quiz answers and
        practice answers to bank questions (practice items ``q:<id>`` or ``qr:<id>``)."""
        qa, pa = quiz_answers.c, practice_answers.c
        answers = sa.union_all(
            sa.select(qa.user_id, qa.question_id, qa.correct, qa.answered_at),
            sa.select(
                pa.user_id,
                question_of(pa.item, self.db.dialect).label("question_id"),
                pa.correct,
                pa.answered_at,
            ).where(sa.func.substr(pa.item, 1, 1) == "q"),
        ).subquery()
        result = await self.db.query(
            sa.select(answers.c.user_id, answers.c.question_id, answers.c.correct).order_by(
                answers.c.answered_at
            )
        )
        return result.rows

    async def report_counts(self) -> dict[str, int]:
        """Reports per question, every server (a count: no reporter, no reason)."""
        qr = question_reports.c
        result = await self.db.query(sa.select(qr.question_id, sa.func.count()).group_by(qr.question_id))
        return {r[0]: int(r[1]) for r in result.all()}

    async def calibrated(self) -> dict[str, tuple[float, int]]:
        """question id -> (fitted difficulty in logits, answers the fit used)."""
        ic = item_calibration.c
        result = await self.db.query(sa.select(ic.item_id, ic.difficulty, ic.responses))
        return {r[0]: (float(r[1]), int(r[2])) for r in result.all()}
