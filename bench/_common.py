"""Helpers shared by the benchmarks: percentiles, peak memory, a filled store."""

from __future__ import annotations

import datetime as dt
import random
import statistics
from collections.abc import Sequence
from pathlib import Path

from bot.clock import system_clock
from bot.db import SQLiteDatabase
from bot.db.postgres import PostgresDatabase

GATES = ("course", "verification", "exam", "skills", "license")


def percentile(samples: Sequence[float], pct: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(name: str, samples_ms: Sequence[float]) -> str:
    return (
        f"{name}: n={len(samples_ms)} p50={percentile(samples_ms, 50):.2f} ms "
        f"p99={percentile(samples_ms, 99):.2f} ms mean={statistics.fmean(samples_ms):.2f} ms"
    )


async def fill_members(store: SQLiteDatabase | PostgresDatabase, count: int, *, seed: int = 7) -> list[int]:
    """``count`` members with a realistic spread of gates, in one transaction."""
    rng = random.Random(seed)
    now = store.now_text()
    user_ids = [10**17 + i for i in range(count)]
    members = [(uid, rng.choice([None, "America/Chicago", "Europe/London"]), now, now) for uid in user_ids]
    gates = []
    for uid in user_ids:
        course = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(600))
        progress = rng.randrange(6)
        for i, gate in enumerate(GATES[:progress]):
            day = course + dt.timedelta(days=30 * i) if gate in ("course", "exam", "skills") else None
            gates.append((uid, gate, "done", day.isoformat() if day else None, now))
    async with store.transaction() as tx:
        await tx.execute_many(
            "INSERT INTO members (user_id, timezone, created_at, updated_at) VALUES (?, ?, ?, ?)", members
        )
        await tx.execute_many(
            "INSERT INTO gates (user_id, gate, mark, happened_on, updated_at) VALUES (?, ?, ?, ?, ?)", gates
        )
    return user_ids


class Backend:
    """Where a benchmark's stores live: SQLite files in ``folder``, or fresh databases on a PostgreSQL
    server (``--database-url URL`` of a database on it; ``auto`` starts a throwaway server)."""

    def __init__(self, folder: Path, server_url: str | None = None) -> None:
        self.folder = folder
        self.server_url = server_url
        self._server: object = None
        self._count = 0

    @property
    def name(self) -> str:
        return "postgresql" if self.server_url else "sqlite"

    async def fresh(self) -> Path | str:
        """A new, empty database (a file name, or a URL)."""
        self._count += 1
        if self.server_url is None:
            return self.folder / f"bench-{self._count}.sqlite3"
        if self.server_url == "auto":
            from tests.db import pg_server

            server = pg_server.start()
            self._server, self.server_url = server, server.url
        import asyncpg
        from sqlalchemy.engine import make_url

        admin = make_url(self.server_url)
        name = f"studybot_bench_{self._count}"
        connection = await asyncpg.connect(
            user=admin.username, password=admin.password, host=admin.query.get("host") or admin.host,
            port=admin.port, database=admin.database,
        )  # fmt: skip
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()
        return admin.set(database=name).render_as_string(hide_password=False)

    async def open(self, target: Path | str) -> SQLiteDatabase | PostgresDatabase:
        if isinstance(target, Path):
            return await SQLiteDatabase.open(target, clock=system_clock)
        return await PostgresDatabase.open(target, clock=system_clock)

    def stop(self) -> None:
        stop = getattr(self._server, "stop", None)
        if stop is not None:
            stop()
