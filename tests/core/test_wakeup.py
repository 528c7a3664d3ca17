"""The wake-up job: a wake-up planned while a run is going is not lost to APScheduler's one-instance rule."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.core.wakeup import LEAD_WHILE_BUSY, WakeUp

T0 = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)


async def nothing() -> None:
    return None


async def test_while_a_run_is_going_a_wake_up_is_planned_a_moment_ahead() -> None:
    scheduler = AsyncIOScheduler(timezone=dt.UTC)
    scheduler.start(paused=True)
    try:
        wake = WakeUp(scheduler, "t", nothing, lambda: T0)
        wake.at(T0)
        assert scheduler.get_job("t").next_run_time == T0  # idle: at once
        async with wake.busy:
            wake.at(T0)
            assert scheduler.get_job("t").next_run_time == T0 + LEAD_WHILE_BUSY
            wake.at(T0 + dt.timedelta(hours=1))
            assert scheduler.get_job("t").next_run_time == T0 + dt.timedelta(hours=1)
    finally:
        scheduler.shutdown(wait=False)


async def test_a_row_that_fell_due_during_a_run_gets_its_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a real scheduler and clock: the run plans a wake-up for "now" before it ends (a row fell due
    meanwhile). APScheduler would drop a job that fires while the run is still finishing; it runs."""
    import apscheduler.schedulers.base

    monkeypatch.setattr(apscheduler.schedulers.base, "datetime", dt.datetime)  # real time, not simcord's
    scheduler = AsyncIOScheduler(timezone=dt.UTC)
    scheduler.start()
    runs: list[dt.datetime] = []
    second = asyncio.Event()

    def now() -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    async def run() -> None:
        async with wake.busy:
            runs.append(now())
            if len(runs) == 1:
                wake.at(now())
            else:
                second.set()

    wake = WakeUp(scheduler, "t", run, now)
    try:
        wake.at(now())
        await asyncio.wait_for(second.wait(), 10)
        assert len(runs) == 2
    finally:
        scheduler.shutdown(wait=False)
