"""Check-in results, item calibration and the answers calibration learns from. All their SQL is here."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from bot.db import Database, utc_text
from bot.features.practice.calibration import AnswerRow, Calibrated, Fit
from bot.features.practice.irt import Estimate, Verdict
from bot.features.practice.model import ItemKind, ItemRef, Mode
from bot.features.quiz.items_repo import ItemsRepository


@dataclass(frozen=True, slots=True)
class CheckinResult:
    session_id: int
    items: int
    ability: float
    se: float
    low: float
    high: float
    standard: float
    verdict: Verdict
    finished_at: dt.datetime


@dataclass(frozen=True, slots=True)
class CalibrationRun:
    answers_seen: int
    finished_at: dt.datetime


_RESULT = "session_id, items, ability, se, low, high, standard, verdict, finished_at"


class CheckinRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -------------------------------------------------------------------------------------- results

    async def save_result(
        self,
        session_id: int,
        user_id: int,
        estimate: Estimate,
        interval: tuple[float, float],
        standard: float,
        verdict: Verdict,
        now: dt.datetime,
    ) -> bool:
        """Store a finished check-in's result once; False if it was already stored."""
        async with self.db.transaction() as tx:
            result = await tx.execute(
                f"INSERT INTO checkin_results (user_id, {_RESULT}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (session_id) DO NOTHING",
                (
                    user_id,
                    session_id,
                    estimate.items,
                    estimate.ability,
                    estimate.se,
                    interval[0],
                    interval[1],
                    standard,
                    verdict.value,
                    utc_text(now),
                ),
            )
        return result.rowcount == 1

    async def results(self, user_id: int, limit: int = 2) -> list[CheckinResult]:
        """The member's latest check-in results, newest first."""
        rows = await self.db.query(
            f"SELECT {_RESULT} FROM checkin_results WHERE user_id = ? ORDER BY finished_at DESC, id DESC "
            "LIMIT ?",
            (user_id, limit),
        )
        return [
            CheckinResult(
                r[0], r[1], r[2], r[3], r[4], r[5], r[6], Verdict(r[7]), dt.datetime.fromisoformat(r[8])
            )
            for r in rows.all()
        ]

    async def last_checkin_items(self, user_id: int, excluding: int | None = None) -> set[str]:
        """The items of the member's previous check-in (any outcome), not counting session ``excluding``."""
        row = (
            await self.db.query(
                "SELECT items FROM practice_sessions WHERE user_id = ? AND mode = ? AND id <> ? "
                "ORDER BY id DESC LIMIT 1",
                (user_id, Mode.CHECKIN.value, excluding if excluding is not None else -1),
            )
        ).one()
        return {ItemRef.decode(text).id for text in json.loads(row[0])} if row else set()

    # ---------------------------------------------------------------------------------- calibration

    async def answer_count(self) -> int:
        row = (
            await self.db.query(
                "SELECT (SELECT count(*) FROM quiz_answers) + "
                "(SELECT count(*) FROM practice_answers WHERE substr(item, 1, 1) = ?)",
                (ItemKind.QUESTION.value,),
            )
        ).one()
        return int(row[0]) if row else 0

    async def answers(self) -> list[AnswerRow]:
        """Every member's answers to bank questions, across servers: (member, question id, right) rows,
        oldest first (the same rows /quiz items counts)."""
        return await ItemsRepository(self.db).answers()

    async def calibrated(self) -> list[Calibrated]:
        rows = await self.db.query("SELECT item_id, difficulty, responses FROM item_calibration")
        return [Calibrated(r[0], float(r[1]), int(r[2])) for r in rows.all()]

    async def last_run(self) -> CalibrationRun | None:
        row = (
            await self.db.query(
                "SELECT answers_seen, finished_at FROM calibration_runs ORDER BY id DESC LIMIT 1"
            )
        ).one()
        return CalibrationRun(int(row[0]), dt.datetime.fromisoformat(row[1])) if row else None

    async def store_fit(self, fit: Fit, answers_seen: int, seconds: float, now: dt.datetime) -> None:
        """Replace the calibration with ``fit`` and record the run, in one transaction."""
        at = utc_text(now)
        async with self.db.transaction() as tx:
            await tx.execute("DELETE FROM item_calibration")
            await tx.execute_many(
                "INSERT INTO item_calibration (item_id, difficulty, responses, calibrated_at) "
                "VALUES (?, ?, ?, ?)",
                [(c.item, c.difficulty, c.responses, at) for c in fit.items],
            )
            await tx.execute(
                "INSERT INTO calibration_runs (answers_seen, members, items, seconds, finished_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (answers_seen, fit.members, len(fit.items), seconds, at),
            )
