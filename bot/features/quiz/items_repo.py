"""What /quiz items reads: every member's answers to bank questions (counts only leave this feature),
the reports per question and the item calibration. All its SQL is here."""

from __future__ import annotations

from bot.db import Database, Row


class ItemsRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def answers(self) -> list[Row]:
        """(member, question id, right) for every answer in every server, oldest first: /quiz answers and
        practice answers to bank questions (practice items ``q:<id>`` or ``qr:<id>``)."""
        result = await self.db.query(
            "SELECT user_id, question_id, correct FROM ("
            "SELECT user_id, question_id, correct, answered_at FROM quiz_answers UNION ALL "
            "SELECT user_id, substr(item, instr(item, ':') + 1), correct, answered_at FROM practice_answers "
            "WHERE substr(item, 1, 1) = 'q') ORDER BY answered_at"
        )
        return result.rows

    async def report_counts(self) -> dict[str, int]:
        """Reports per question, every server (a count: no reporter, no reason)."""
        result = await self.db.query(
            "SELECT question_id, count(*) FROM question_reports GROUP BY question_id"
        )
        return {r[0]: int(r[1]) for r in result.all()}

    async def calibrated(self) -> dict[str, tuple[float, int]]:
        """question id -> (fitted difficulty in logits, answers the fit used)."""
        result = await self.db.query("SELECT item_id, difficulty, responses FROM item_calibration")
        return {r[0]: (float(r[1]), int(r[2])) for r in result.all()}
