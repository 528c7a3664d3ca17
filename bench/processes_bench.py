"""Several bot processes on one PostgreSQL database, against the loopback fake of Discord and its rate
limits (50 requests a second for the whole bot, as Discord's global limit).

1. Reminders: ``--reminders`` due evenly over ``--window`` seconds (100,000 in 3,600 s is the issue's
   burst; the same rate in a shorter window is the default here), delivered by 1, 2 and 4 processes
   (``--processes``). Prints delivered per second, lateness (sent minus due: p50, p99, max), Discord's
   429 answers, and duplicates (DMs beyond one per member: must be 0). A first DM to a member costs two
   requests (the DM channel, then the message); with ``--known-dm`` a second series has every member's
   DM channel recorded already (one request each).
2. The daily fan-out: ``--guilds`` servers with the daily question due at once, over ``--shards``
   processes (one shard each). Prints posts per second, how long the last one took, duplicates, and
   posts made by a process that does not run the server's shard (must be 0).

Each process is ``python -m bot`` (tests/e2e/processes.py). Run from the repository root:
    python -m bench.processes_bench [--database-url auto|URL] [--reminders 6000 --window 216]
        [--processes 1,2,4] [--guilds 10000 --shards 4] [--global-limit 50]
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from bench._common import Backend, percentile
from bot.core.shards import shard_of
from bot.db import utc_text
from bot.db.postgres import PostgresDatabase
from tests.e2e.fake_discord import FakeDiscord
from tests.e2e.processes import TOKEN, BotProcess

FIRST_MEMBER = 10**17
LEAD = 5.0  # seconds between seeding and the first due row


async def processes_for(fake: FakeDiscord, url: str, count: int) -> list[BotProcess]:
    started = [await BotProcess.start(fake.port, url, (i,), count, lease=120) for i in range(count)]
    for process in started:
        await process.wait_ready()
    return started


async def stop_all(started: list[BotProcess]) -> str:
    """Stop every process (SIGTERM); their logs. A log with a traceback is kept in the current folder."""
    for process in started:
        await process.stop()
    log = "".join(p.log for p in started)
    if "Traceback" in log:
        kept = Path(f"processes-bench-{int(time.time())}.log")
        await asyncio.to_thread(kept.write_text, log, encoding="utf-8")
        print(f"  (a traceback: the processes' log is in {kept})")
    return log


async def wait_until_done(store: PostgresDatabase, table: str, total: int, bound: float) -> bool:
    end = time.monotonic() + bound
    while time.monotonic() < end:
        result = await store.query(f"SELECT count(*) FROM {table} WHERE status = 'sent'")
        if result.scalar() >= total:
            return True
        await asyncio.sleep(0.5)
    return False


async def clean_up(started: list[BotProcess], store: PostgresDatabase, fake: FakeDiscord) -> None:
    for process in started:
        await process.kill()
    await store.close()
    await fake.stop()


def seconds(text: str, base: dt.datetime) -> float:
    return (dt.datetime.fromisoformat(text) - base).total_seconds()


async def reminders_run(
    backend: Backend,
    processes: int,
    reminders: int,
    window: float,
    global_limit: int | None,
    *,
    known_dm: bool = False,
) -> str:
    fake = FakeDiscord(token=TOKEN, global_limit=global_limit, shard_count=processes)
    await fake.start()
    url = str(await backend.fresh())
    store = await PostgresDatabase.open(url)
    started: list[BotProcess] = []
    try:
        now = store.now_text()
        users = [FIRST_MEMBER + i for i in range(reminders)]
        channels = {u: 1_600_000_000_000_000_000 + i for i, u in enumerate(users)} if known_dm else {}
        fake.dm_channels.update(channels)  # known_dm: each member had a DM before, recorded by the bot
        async with store.transaction() as tx:
            await tx.execute_many(
                "INSERT INTO members (user_id, created_at, updated_at, dm_channel_id) VALUES (?, ?, ?, ?)",
                [(u, now, now, channels.get(u)) for u in users],
            )
        started = await processes_for(fake, url, processes)
        first_due = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=LEAD)
        step = dt.timedelta(seconds=window / max(reminders, 1))
        rows = []
        for i, user in enumerate(users):
            due = first_due + step * i
            rows.append((user, "retest", due.date().isoformat(), utc_text(due), "UTC", utc_text(due)))
        async with store.transaction() as tx:
            await tx.execute_many(
                "INSERT INTO reminders (user_id, kind, local_date, due_at, zone, wake_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
        done = await wait_until_done(store, "reminders", reminders, LEAD + window * 4 + 300)
        result = await store.query("SELECT due_at, sent_at, owner FROM reminders WHERE status = 'sent'")
        sent = result.all()
        late = [seconds(row[1], dt.datetime.fromisoformat(row[0])) for row in sent]
        finished = max((seconds(row[1], first_due) for row in sent), default=float("nan"))
        by_owner = collections.Counter(row[2] for row in sent)
        dm_channels = {str(c) for c in fake.dm_channels.values()}
        dms = collections.Counter(m["channel_id"] for m in fake.messages if m["channel_id"] in dm_channels)
        duplicates = sum(n - 1 for n in dms.values() if n > 1)
        log = await stop_all(started)
        return (
            f"{processes} process(es), {'known' if known_dm else 'first'} DM channels: "
            f"{len(sent)}/{reminders} delivered{'' if done else ' (TIMED OUT)'}; "
            f"{len(sent) / finished:.1f}/s over {finished:.0f} s; lateness p50 {percentile(late, 50):.1f} s, "
            f"p99 {percentile(late, 99):.1f} s, max {max(late, default=float('nan')):.1f} s; "
            f"429s {fake.rate_limits.total_429}; duplicates {duplicates}; "
            f"per process {sorted(by_owner.values(), reverse=True)}; "
            f"tracebacks {log.count('Traceback')}"
        )
    finally:
        await clean_up(started, store, fake)


async def fan_out_run(backend: Backend, guilds: int, shards: int, global_limit: int | None) -> str:
    fake = FakeDiscord(token=TOKEN, global_limit=global_limit, shard_count=shards)
    await fake.start()
    url = str(await backend.fresh())
    store = await PostgresDatabase.open(url)
    started: list[BotProcess] = []
    try:
        rng = random.Random(15)
        guild_ids = rng.sample(range(10**17, 10**18), guilds)  # snowflakes: spread over the shards
        channels = {g: 1_500_000_000_000_000_000 + i for i, g in enumerate(guild_ids)}
        started = await processes_for(fake, url, shards)
        due = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=LEAD)
        at = utc_text(due)
        async with store.transaction() as tx:
            await tx.execute_many(
                "INSERT INTO guild_settings (guild_id, quiz_channel_id, quiz_time, quiz_timezone,"
                " updated_at, next_post_at) VALUES (?, ?, ?, 'UTC', ?, ?)",
                [(g, channels[g], due.strftime("%H:%M"), at, at) for g in guild_ids],
            )
        done = await wait_until_done(store, "quiz_posts", guilds, LEAD + guilds / 5 + 300)
        result = await store.query("SELECT guild_id, owner, posted_at FROM quiz_posts WHERE status = 'sent'")
        posts = result.all()
        pid_shard = {p.pid: i for i, p in enumerate(started)}
        wrong = sum(1 for g, owner, _ in posts if pid_shard[int(owner.split(":")[1])] != shard_of(g, shards))
        per_channel = collections.Counter(m["channel_id"] for m in fake.messages)
        duplicates = sum(n - 1 for n in per_channel.values() if n > 1)
        finished = time.time() - due.timestamp()
        log = await stop_all(started)
        per_process = collections.Counter(owner for _, owner, _ in posts)
        return (
            f"{guilds} guilds on {shards} shards/processes: {len(posts)} posted"
            f"{'' if done else ' (TIMED OUT)'}; {len(posts) / finished:.1f} posts/s; last after about "
            f"{finished:.0f} s; 429s {fake.rate_limits.total_429}; duplicates {duplicates}; "
            f"by the wrong shard's process {wrong}; per process {sorted(per_process.values())}; "
            f"tracebacks {log.count('Traceback')}"
        )
    finally:
        await clean_up(started, store, fake)


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder:
        backend = Backend(Path(folder), args.database_url)
        limit = args.global_limit or None
        try:
            print(
                f"reminders: {args.reminders} due over {args.window:.0f} s "
                f"({args.reminders / args.window:.1f} due a second); global limit "
                f"{limit or 'off'} requests/s"
            )
            for known in (False, True) if args.known_dm else (False,):
                for count in [int(n) for n in args.processes.split(",") if n]:
                    figures = await reminders_run(
                        backend, count, args.reminders, args.window, limit, known_dm=known
                    )
                    print("  " + figures, flush=True)
            if args.guilds:
                print("daily fan-out:")
                print("  " + await fan_out_run(backend, args.guilds, args.shards, limit), flush=True)
        finally:
            backend.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="auto", help="a database on a PostgreSQL server, or auto")
    parser.add_argument("--reminders", type=int, default=6_000)
    parser.add_argument("--window", type=float, default=216.0, help="seconds (6,000 in 216 s = 100,000/h)")
    parser.add_argument("--processes", default="1,2,4")
    parser.add_argument(
        "--known-dm", action="store_true", help="also a series where every member's DM channel is recorded"
    )
    parser.add_argument("--guilds", type=int, default=10_000)
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--global-limit", type=int, default=50, help="requests/s; 0 turns it off")
    asyncio.run(main(parser.parse_args()))
