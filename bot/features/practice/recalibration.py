"""Keeps the check-in's item difficulties current without ever blocking a reply.

The difficulties the check-in reads are an in-memory map (priors from the author's levels, replaced by
calibrated values for items with enough answers). A recalibration is due after
``checkin.recalibrate_after_answers`` new answers, or when the last run is older than
``checkin.recalibrate_hours`` and any answer arrived since. :meth:`Recalibration.poke` (called when the
practice feature loads and whenever a check-in starts or ends) starts at most one run as a background
task; the fit runs in a worker thread (``asyncio.to_thread``), the reply that poked it does not wait, and
the result is stored (``item_calibration``) before the map is swapped in one assignment.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Callable

from bot.features.practice.calibration import Fit, difficulties, fit_rasch
from bot.features.practice.checkin import prior_difficulties
from bot.features.practice.checkin_repo import CheckinRepository
from bot.features.quiz.bank import QuestionBank
from bot.policy import CheckinPolicy

log = logging.getLogger(__name__)


class Recalibration:
    def __init__(
        self,
        repo: CheckinRepository,
        bank: QuestionBank,
        policy: CheckinPolicy,
        clock: Callable[[], dt.datetime],
    ) -> None:
        self.repo, self.policy, self.clock = repo, policy, clock
        self.priors = prior_difficulties(bank, policy)
        self.difficulties: dict[str, float] = dict(self.priors)
        self._task: asyncio.Task[None] | None = None

    async def load(self) -> None:
        """Read the stored calibration (at start-up)."""
        stored = await self.repo.calibrated()
        self.difficulties = difficulties(self.priors, stored, self.policy.min_responses)

    async def due(self) -> bool:
        answers = await self.repo.answer_count()
        last = await self.repo.last_run()
        new = answers - (last.answers_seen if last else 0)
        if new >= self.policy.recalibrate_after_answers:
            return True
        stale = last is None or self.clock() - last.finished_at >= dt.timedelta(
            hours=self.policy.recalibrate_hours
        )
        return new > 0 and stale

    async def run(self) -> Fit:
        """Fit now (in a worker thread), store the result and use it."""
        seen = await self.repo.answer_count()
        rows = await self.repo.answers()
        started = time.perf_counter()
        fit = await asyncio.to_thread(fit_rasch, rows, self.priors)
        seconds = time.perf_counter() - started
        await self.repo.store_fit(fit, seen, seconds, self.clock())
        self.difficulties = difficulties(self.priors, fit.items, self.policy.min_responses)
        log.info(
            "item calibration: %d items from %d answers of %d members in %.2f s",
            len(fit.items),
            fit.answers,
            fit.members,
            seconds,
        )
        return fit

    async def _run_if_due(self) -> None:
        try:
            if await self.due():
                await self.run()
        except Exception:  # a failed fit keeps the old difficulties; it must never reach a member
            log.exception("item calibration failed; the check-in keeps its current difficulties")

    def poke(self) -> None:
        """Start a recalibration in the background if one is due and none is running."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run_if_due())

    async def drain(self) -> None:
        """Wait for a run in progress (when the feature unloads)."""
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
