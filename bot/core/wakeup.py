"""One scheduler job that wakes an engine when its earliest database row falls due.

Both the reminder engine and the daily quiz keep their schedule in SQLite; APScheduler holds a single
date job per engine, moved whenever the earliest due instant changes. ``misfire_grace_time=None`` and
``coalesce=True`` mean a wake-up missed while the process was busy or down still runs, once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

log = logging.getLogger(__name__)


#: While a run is going, a wake-up is planned at least this far ahead. APScheduler runs one instance of a
#: job at a time and drops (not delays) a date job that fires while the previous run is still finishing
#: ("skipped: maximum number of running instances reached"), so a wake-up planned for "now" from inside a
#: run, or while one runs, would be lost. Seen in bench/processes_bench.py; tests/core/test_wakeup.py.
LEAD_WHILE_BUSY = dt.timedelta(seconds=1)


class WakeUp:
    def __init__(
        self,
        scheduler: AsyncIOScheduler,
        job_id: str,
        callback: Callable[[], Awaitable[Any]],
        clock: Callable[[], dt.datetime],
    ) -> None:
        self.scheduler = scheduler
        self.job_id = job_id
        self.callback = callback
        self.clock = clock
        #: Held while the engine works; shutdown waits on it so no row is left half done.
        self.busy = asyncio.Lock()

    def at(self, when: dt.datetime | None) -> None:
        """Wake at ``when`` (replacing any earlier plan); with None, not at all. While a run is going, not
        sooner than :data:`LEAD_WHILE_BUSY` from now."""
        if when is None:
            if self.scheduler.get_job(self.job_id):
                self.scheduler.remove_job(self.job_id)
            return
        if self.busy.locked():
            when = max(when, self.clock() + LEAD_WHILE_BUSY)
        self.scheduler.add_job(
            self.callback,
            trigger="date",
            run_date=when,
            id=self.job_id,
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
            max_instances=1,
        )

    async def drain(self, grace_seconds: float = 10.0) -> None:
        """Let a run in progress finish, for at most ``grace_seconds``."""
        try:
            async with asyncio.timeout(grace_seconds), self.busy:
                pass
        except TimeoutError:
            log.warning(
                "%s: a run was still going at shutdown; its rows are resolved at the next start", self.job_id
            )
