"""Helpers shared by the benchmarks: percentiles, peak memory, a filled store."""

from __future__ import annotations

import datetime as dt
import random
import statistics
from collections.abc import Sequence

from bot.db import SQLiteDatabase

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


async def fill_members(store: SQLiteDatabase, count: int, *, seed: int = 7) -> list[int]:
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
