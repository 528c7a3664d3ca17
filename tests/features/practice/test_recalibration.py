"""Recalibration: when it is due, that it fits in a worker thread (never on the event loop), stores its
result, and that calibrated difficulties replace the priors only for items with enough answers."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from bot.db import SQLiteDatabase
from bot.features.members.repo import ensure_member
from bot.features.practice import recalibration
from bot.features.practice.calibration import Fit
from bot.features.practice.checkin_repo import CheckinRepository
from bot.features.practice.recalibration import Recalibration
from bot.features.quiz.bank import QuestionBank
from bot.policy import Policy
from tests.conftest import START, SimClock

pytestmark = pytest.mark.both_backends


async def add_answers(
    store: SQLiteDatabase, question_id: str, members: int, *, first: int = 0, right_every: int = 4
) -> None:
    now = store.now_text()
    async with store.transaction() as tx:
        for n in range(first, first + members):
            await ensure_member(tx, 3_000 + n, now)
        await tx.execute_many(
            "INSERT INTO quiz_answers (user_id, question_id, domain, choice, correct, answered_on, answered_at) "
            "VALUES (?, ?, 'scene_safety', 0, ?, '2026-11-20', ?)",
            [(3_000 + n, question_id, int(n % right_every == 0), now) for n in range(first, first + members)],
        )


def service(store: SQLiteDatabase, bank: QuestionBank, policy: Policy, clock: SimClock) -> Recalibration:
    return Recalibration(CheckinRepository(store), bank, policy.checkin, clock)


@pytest.mark.parametrize(
    ("answers", "last_run", "hours_since", "due"),
    [
        (0, None, 0, False),  # nothing to learn from
        (5, None, 0, True),  # never ran and answers exist
        (5, 5, 48, False),  # nothing new since the last run
        (10, 5, 1, False),  # a few new answers, a recent run
        (10, 5, 25, True),  # a few new answers, an old run
        (505, 5, 1, True),  # enough new answers
    ],
)
async def test_when_a_recalibration_is_due(
    store: SQLiteDatabase,
    bank: QuestionBank,
    policy: Policy,
    clock: SimClock,
    answers: int,
    last_run: int | None,
    hours_since: int,
    due: bool,
) -> None:
    if answers:
        await add_answers(store, bank.questions[0].id, answers)
    if last_run is not None:
        ran = START - dt.timedelta(hours=hours_since)
        await CheckinRepository(store).store_fit(Fit((), 0, 0, 0), last_run, 0.1, ran)
    assert await service(store, bank, policy, clock).due() is due


async def test_a_run_fits_in_a_worker_thread_and_stores_the_result(
    store: SQLiteDatabase,
    bank: QuestionBank,
    policy: Policy,
    clock: SimClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hard, easy, few = (q.id for q in bank.questions[:3])
    enough = policy.checkin.min_responses
    await add_answers(store, hard, enough)  # a quarter right
    await add_answers(store, easy, enough, right_every=1)  # all right
    await add_answers(store, few, enough - 1, first=100)
    threads: list[threading.Thread] = []
    real_fit = recalibration.fit_rasch

    def spy(*args: object, **kwargs: object) -> Fit:
        threads.append(threading.current_thread())
        return real_fit(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(recalibration, "fit_rasch", spy)
    calibration = service(store, bank, policy, clock)
    priors = dict(calibration.difficulties)

    calibration.poke()
    await calibration.drain()

    assert threads and threads[0] is not threading.main_thread()
    stored = {c.item: c for c in await CheckinRepository(store).calibrated()}
    assert stored[hard].responses == stored[easy].responses == enough
    now = calibration.difficulties
    assert stored[hard].difficulty > stored[easy].difficulty
    assert now[hard] - now[easy] == pytest.approx(stored[hard].difficulty - stored[easy].difficulty)
    assert now[hard] + now[easy] == pytest.approx(priors[hard] + priors[easy])  # on the priors' scale
    assert now[few] == priors[few]  # too few answers: the prior stays
    assert not await calibration.due()
    reloaded = service(store, bank, policy, clock)
    await reloaded.load()
    assert reloaded.difficulties == calibration.difficulties


async def test_a_failed_fit_keeps_the_difficulties_and_reaches_no_one(
    store: SQLiteDatabase,
    bank: QuestionBank,
    policy: Policy,
    clock: SimClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await add_answers(store, bank.questions[0].id, 40)

    def broken(*args: object, **kwargs: object) -> Fit:
        raise FloatingPointError("diverged")

    monkeypatch.setattr(recalibration, "fit_rasch", broken)
    calibration = service(store, bank, policy, clock)
    before = dict(calibration.difficulties)
    calibration.poke()
    await calibration.drain()
    assert calibration.difficulties == before
    assert await CheckinRepository(store).calibrated() == []
