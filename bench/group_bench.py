"""/group overview for a guild of 5,000 members with 200,000 answers: handling time p50 / p99.

Handling is what the command does: the group's facts from the store (a few queries), every member's
card, the small-number rule, the embed and the PNG chart. Run from the repository root:
python -m bench.group_bench [--members 5000] [--answers 200000] [--calls 40]. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from bench._common import fill_members, summary
from bot.clock import system_clock
from bot.db import SQLiteDatabase, utc_text
from bot.features.group import text as render
from bot.features.group.state import load_overview
from bot.policy import load_policy

GUILD = 42
DOMAINS = ("scene_safety", "primary_assessment", "secondary_assessment", "treatment_transport", "operations")
BUCKETS = ("knowledge", "sequence", "scope", "reading", "pacing")


async def fill_activity(store: SQLiteDatabase, user_ids: list[int], answers: int, *, seed: int = 3) -> None:
    """Group membership, daily posts and answers over 60 days, misses and failed attempts."""
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    stamp = utc_text(now)
    days = 60
    posts = [
        (GUILD, 1, 10**6 + d, f"q-{d}", 0, (now.date() - dt.timedelta(days=d)).isoformat(), stamp)
        for d in range(days)
    ]
    rows = []
    seen: set[tuple[int, int]] = set()
    while len(rows) < answers:
        user, day = rng.choice(user_ids), rng.randrange(days)
        if (user, day) in seen:
            continue
        seen.add((user, day))
        at = now - dt.timedelta(days=day, minutes=rng.randrange(600))
        rows.append(
            (
                user,
                GUILD,
                f"q-{day}",
                rng.choice(DOMAINS),
                day + 1,
                rng.randrange(4),
                int(rng.random() < 0.7),
                at.date().isoformat(),
                utc_text(at),
            )
        )
    misses = [(u, rng.choice(BUCKETS), "quiz", r[7], r[8]) for r in rows if not r[6] for u in (r[0],)]
    attempts = [
        (u, (now.date() - dt.timedelta(days=rng.randrange(40))).isoformat(), rng.randrange(400, 940), stamp)
        for u in rng.sample(user_ids, len(user_ids) // 10)
    ]
    async with store.transaction() as tx:
        await tx.execute_many(
            "INSERT INTO group_members (guild_id, user_id, first_seen_at) VALUES (?, ?, ?)",
            [(GUILD, u, stamp) for u in user_ids],
        )
        await tx.execute_many(
            "INSERT INTO quiz_posts (guild_id, channel_id, message_id, question_id, cycle, post_date, posted_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            posts,
        )
        await tx.execute_many(
            "INSERT INTO quiz_answers (user_id, guild_id, question_id, domain, post_id, choice, correct, "
            "answered_on, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        await tx.execute_many(
            "INSERT INTO misses (user_id, bucket, source, logged_on, logged_at) VALUES (?, ?, ?, ?, ?)",
            misses,
        )
        await tx.execute_many(
            "INSERT INTO attempts (user_id, taken_on, score, recorded_at) VALUES (?, ?, ?, ?)", attempts
        )
        await tx.execute("UPDATE members SET share_status = 1 WHERE user_id % 50 = 0")


async def main(members: int, answers: int, calls: int, chart: Path | None) -> None:
    policy = load_policy()
    with tempfile.TemporaryDirectory() as folder:
        store = await SQLiteDatabase.open(Path(folder) / "bench.sqlite3", clock=system_clock)
        started = time.perf_counter()
        user_ids = await fill_members(store, members)
        await fill_activity(store, user_ids, answers)
        print(f"filled {members} members and {answers} answers: {time.perf_counter() - started:.1f} s")

        facts_ms, handling_ms = [], []
        for _ in range(calls):
            started = time.perf_counter()
            overview = await load_overview(
                store, policy, GUILD, now=system_clock(), default_zone="America/New_York", quiz_set_up=True
            )
            loaded = time.perf_counter()
            render.overview_embed(overview)
            png = render.overview_file(overview)
            done = time.perf_counter()
            facts_ms.append((loaded - started) * 1000)
            handling_ms.append((done - started) * 1000)
        if chart is not None and png is not None:
            chart.write_bytes(png.fp.read())  # noqa: ASYNC240
        await store.close()
    print(summary("/group overview facts (store + cards + small-number rule)", facts_ms))
    print(summary("/group overview handling (facts + embed + chart)", handling_ms))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--answers", type=int, default=200_000)
    parser.add_argument("--calls", type=int, default=40)
    parser.add_argument("--chart", type=Path, default=None, help="also write the last chart to this PNG")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.members, arguments.answers, arguments.calls, arguments.chart))
