"""Reminder outbox: start-up rebuild with 100,000 pending reminders, and lateness of 1,000 due at once.

Run from the repository root: python -m bench.reminders_bench [--pending 100000] [--burst 1000]
Compares the engine's design (one wake-up job at the earliest due row) with one APScheduler job per
row. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import tempfile
import time
import tracemalloc
from pathlib import Path

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bench._common import Backend, percentile
from bot.clock import system_clock
from bot.core.outbox import Failure, Outbox, RetryPolicy
from bot.db import SQLiteDatabase, utc_text
from bot.db.postgres import PostgresDatabase
from bot.features.reminders.model import DueReminder
from bot.features.reminders.repo import ReminderRepository, ReminderRows
from bot.policy import load_policy

Store = SQLiteDatabase | PostgresDatabase


async def seed(store: Store, count: int, first_due: dt.datetime, spread: dt.timedelta) -> None:
    now = store.now_text()
    step = spread / max(count, 1)
    members = [(10**17 + i, now, now) for i in range(count)]
    rows = []
    for i in range(count):
        due = utc_text(first_due + step * i)
        rows.append((10**17 + i, "retest", (first_due + step * i).date().isoformat(), due, "UTC", due))
    async with store.transaction() as tx:
        await tx.execute_many(
            "INSERT INTO members (user_id, created_at, updated_at) VALUES (?, ?, ?)", members
        )
        await tx.execute_many(
            "INSERT INTO reminders (user_id, kind, local_date, due_at, zone, wake_at) VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )


class SimulatedReminders(ReminderRows):
    """The reminders' outbox client with the REST round trip of one DM simulated."""

    def __init__(self, repo: ReminderRepository, latency: float, expected: int = 0) -> None:
        super().__init__(repo)
        self.latency = latency
        self.expected = expected
        self.all_sent = asyncio.Event()
        self.sent_at: list[dt.datetime] = []
        self.due_at: list[dt.datetime] = []

    async def send(self, item: DueReminder, *, late: bool) -> int:
        if self.latency:
            await asyncio.sleep(self.latency)
        self.sent_at.append(system_clock())
        self.due_at.append(item.due_at)
        if len(self.sent_at) >= self.expected:
            self.all_sent.set()
        return len(self.sent_at)

    async def find_sent(self, item: DueReminder) -> int | None:
        return None

    async def fail(self, item: DueReminder, failure: Failure, error: str, now: dt.datetime) -> str:
        raise AssertionError(f"not used: {failure} {error}")


def outbox(store: Store, client: SimulatedReminders, scheduler: AsyncIOScheduler) -> Outbox[DueReminder]:
    return Outbox(client, scheduler, system_clock, RetryPolicy.from_policy(load_policy()))


async def rebuild(backend: Backend, pending: int) -> None:
    target = await backend.fresh()
    store = await backend.open(target)
    started = time.perf_counter()
    await seed(store, pending, system_clock() + dt.timedelta(days=1), dt.timedelta(days=60))
    print(f"[{backend.name}] seeded {pending:,} pending reminders: {time.perf_counter() - started:.1f} s")
    await store.close()

    # The engine's design: start-up resolves claimed rows and schedules ONE wake-up.
    store = await backend.open(target)
    scheduler = AsyncIOScheduler(timezone=dt.UTC)
    scheduler.start()
    engine = outbox(store, SimulatedReminders(ReminderRepository(store), 0), scheduler)
    tracemalloc.start()
    started = time.perf_counter()
    await engine.start()
    elapsed = (time.perf_counter() - started) * 1000
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"[{backend.name}] engine start-up with {pending:,} pending: {elapsed:.1f} ms, peak traced memory "
        f"{peak / 1e6:.2f} MB, scheduler jobs: {len(scheduler.get_jobs())}"
    )

    # The alternative: one APScheduler job per row (job id = row id).
    other = AsyncIOScheduler(timezone=dt.UTC)
    other.start()
    tracemalloc.start()
    started = time.perf_counter()
    result = await store.query("SELECT id, wake_at FROM reminders WHERE status = 'pending'")
    for row_id, wake in result.rows:
        other.add_job(
            engine.run_due,
            "date",
            run_date=dt.datetime.fromisoformat(wake),
            id=str(row_id),
            misfire_grace_time=None,
            coalesce=True,
        )
    elapsed = (time.perf_counter() - started) * 1000
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"[{backend.name}] one job per row with {pending:,} pending: {elapsed:.1f} ms, peak traced memory "
        f"{peak / 1e6:.2f} MB, scheduler jobs: {len(other.get_jobs()):,}"
    )
    other.shutdown(wait=False)
    scheduler.shutdown(wait=False)
    await store.close()


async def burst(backend: Backend, count: int, latency: float) -> None:
    store = await backend.open(await backend.fresh())
    due = system_clock().replace(microsecond=0) + dt.timedelta(seconds=2)
    await seed(store, count, due, dt.timedelta(seconds=0))
    scheduler = AsyncIOScheduler(timezone=dt.UTC)
    scheduler.start()
    discord = SimulatedReminders(ReminderRepository(store), latency, expected=count)
    engine = outbox(store, discord, scheduler)
    await engine.start()
    await asyncio.wait_for(discord.all_sent.wait(), timeout=120)
    await engine.stop()
    lateness = [(s - d).total_seconds() * 1000 for s, d in zip(discord.sent_at, discord.due_at, strict=True)]
    print(
        f"[{backend.name}] {count:,} due in the same second, {latency * 1000:.0f} ms per DM: delivered {len(lateness):,}, "
        f"lateness p50={percentile(lateness, 50):.0f} ms p99={percentile(lateness, 99):.0f} ms"
    )
    scheduler.shutdown(wait=False)
    await store.close()


async def main(pending: int, count: int, database_url: str | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        backend = Backend(Path(folder), database_url)
        try:
            await rebuild(backend, pending)
            await burst(backend, count, 0.0)
            await burst(backend, count, 0.02)
        finally:
            backend.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pending", type=int, default=100_000)
    parser.add_argument("--burst", type=int, default=1_000)
    parser.add_argument(
        "--database-url",
        default=None,
        help="run on PostgreSQL: a database URL on the server to use (fresh databases are created "
        "there), or 'auto' to start a throwaway server from the installed binaries",
    )
    args = parser.parse_args()
    asyncio.run(main(args.pending, args.burst, args.database_url))
