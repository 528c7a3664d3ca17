"""Check-in results, item calibration and the answers calibration learns from. All their SQL is here."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import sqlalchemy as sa

from bot.db import Database, utc_text
from bot.db.tables import (
    calibration_runs,
    checkin_results,
    insert,
    item_calibration,
    practice_answers,
    practice_sessions,
    quiz_answers,
)
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


cr = checkin_results.c
_RESULT = (
    cr.session_id,
    cr["items"],
    cr.ability,
    cr.se,
    cr.low,
    cr.high,
    cr.standard,
    cr.verdict,
    cr.finished_at,
)


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
                insert(checkin_results, tx.dialect)
                .values(
                    user_id=user_id,
                    session_id=session_id,
                    items=estimate.items,
                    ability=estimate.ability,
                    se=estimate.se,
                    low=interval[0],
                    high=interval[1],
                    standard=standard,
                    verdict=verdict.value,
                    finished_at=utc_text(now),
                )
                .on_conflict_do_nothing(index_elements=[cr.session_id])
            )
        return result.rowcount == 1

    async def results(self, user_id: int, limit: int = 2) -> list[CheckinResult]:
        """The member's latest check-in results, newest first."""
        rows = await self.db.query(
            sa.select(*_RESULT)
            .where(cr.user_id == user_id)
            .order_by(cr.finished_at.desc(), cr.id.desc())
            .limit(limit)
        )
        return [
            CheckinResult(
                r[0], r[1], r[2], r[3], r[4], r[5], r[6], Verdict(r[7]), dt.datetime.fromisoformat(r[8])
            )
            for r in rows.all()
        ]

    async def last_checkin_items(self, user_id: int, excluding: int | None = None) -> set[str]:
        """The items of the member's previous check-in (any outcome), not counting session ``excluding``."""
        ps = practice_sessions.c
        row = (
            await self.db.query(
                sa.select(ps["items"])
                .where(
                    ps.user_id == user_id,
                    ps.mode == Mode.CHECKIN.value,
                    ps.id != (excluding if excluding is not None else -1),
                )
                .order_by(ps.id.desc())
                .limit(1)
            )
        ).one()
        return {ItemRef.decode(text).id for text in json.loads(row[0])} if row else set()

    # ---------------------------------------------------------------------------------- calibration

    async def answer_count(self) -> int:
        pa = practice_answers.c
        quiz = sa.select(sa.func.count()).select_from(quiz_answers).scalar_subquery()
        practice = (
            sa.select(sa.func.count())
            .where(sa.func.substr(pa.item, 1, 1) == ItemKind.QUESTION.value)
            .scalar_subquery()
        )
        row = (await self.db.query(sa.select(quiz + practice))).one()
        return int(row[0]) if row else 0

    async def answers(self) -> list[AnswerRow]:
        """Every member's answers to bank questions, across servers: (member, question id, right) rows,
        oldest first (the same rows /quiz items counts)."""
        return await ItemsRepository(self.db).answers()

    async def calibrated(self) -> list[Calibrated]:
        ic = item_calibration.c
        rows = await self.db.query(sa.select(ic.item_id, ic.difficulty, ic.responses))
        return [Calibrated(r[0], float(r[1]), int(r[2])) for r in rows.all()]

    async def last_run(self) -> CalibrationRun | None:
        runs = calibration_runs.c
        row = (
            await self.db.query(
                sa.select(runs.answers_seen, runs.finished_at).order_by(runs.id.desc()).limit(1)
            )
        ).one()
        return CalibrationRun(int(row[0]), dt.datetime.fromisoformat(row[1])) if row else None

    async def store_fit(self, fit: Fit, answers_seen: int, seconds: float, now: dt.datetime) -> None:
        """Replace the calibration with ``fit`` and record the run, in one transaction."""
        at = utc_text(now)
        async with self.db.transaction() as tx:
            await tx.execute(sa.delete(item_calibration))
            if fit.items:
                await tx.execute(
                    sa.insert(item_calibration).values(
                        [
                            {
                                "item_id": c.item,
                                "difficulty": c.difficulty,
                                "responses": c.responses,
                                "calibrated_at": at,
                            }
                            for c in fit.items
                        ]
                    )
                )
            await tx.execute(
                sa.insert(calibration_runs).values(
                    answers_seen=answers_seen,
                    members=fit.members,
                    items=len(fit.items),
                    seconds=seconds,
                    finished_at=at,
                )
            )
