"""Daily quiz: the post fan-out to 1,000 guilds through discord.py's real HTTP client and rate limiter,
/status latency while it runs, and 1,000 answers to one daily post arriving at once.

Run from the repository root: python -m bench.quiz_bench [--guilds 1000] [--members 10000]
The real StudyBot logs in to tests/e2e/fake_discord.py on 127.0.0.1, which answers like Discord, rate
limits included (a global 50 requests/s, 5 messages per 5 s per channel). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import logging
import random
import tempfile
import time
from collections.abc import Awaitable
from pathlib import Path
from typing import TypeVar

import discord
import yarl

from bench._common import Backend, fill_members, percentile, summary
from bot.app import StudyBot
from bot.clock import system_clock
from bot.db import SQLiteDatabase
from bot.db.postgres import PostgresDatabase
from bot.features.pathway.text import status_embed
from bot.features.quiz.bank import DEFAULT_BANK_DIR, load_bank
from bot.features.quiz.guild_repo import GuildRepository
from bot.features.quiz.repo import Answer, QuizRepository
from bot.policy import load_policy
from bot.settings import Settings
from tests.e2e.fake_discord import FakeDiscord, RateLimitLog

T = TypeVar("T")

TOKEN = "bench-token"
FIRST_GUILD = 1_400_000_000_000_000_000
FIRST_CHANNEL = 1_500_000_000_000_000_000
ZONES = ("UTC", "America/Chicago", "Europe/London", "Asia/Tokyo")
RUN_BOUND = 120.0  # seconds: the most one fan-out may take before the benchmark gives up


class CountingHandler(logging.Handler):
    """Counts discord.http's rate-limit warnings instead of printing one line per 429."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


async def bounded(awaitable: Awaitable[T], bot_task: asyncio.Task[None], what: str, seconds: float) -> T:
    """Await for at most ``seconds``; raise at once if the bot stops first."""
    waiting = asyncio.ensure_future(awaitable)
    done, _ = await asyncio.wait({waiting, bot_task}, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    if waiting in done:
        return waiting.result()
    waiting.cancel()
    if bot_task in done:
        raise RuntimeError(f"the bot stopped while waiting for {what}: {bot_task.exception()!r}")
    raise TimeoutError(f"gave up after {seconds:.0f}s waiting for {what}")


async def status_sampler(
    bot: StudyBot, user_ids: list[int], stop: asyncio.Event, interval: float, seed: int
) -> list[float]:
    """One /status (member state from the store + rendered embed) every ``interval`` s until ``stop``."""
    rng = random.Random(seed)
    samples: list[float] = []
    while not stop.is_set():
        uid = rng.choice(user_ids)
        started = time.perf_counter()
        state = await bot.member_state(uid)
        status_embed(state, bot.policy).to_dict()
        samples.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(interval)  # so a stop is noticed within one interval
    return samples


async def configure_guilds(store: SQLiteDatabase | PostgresDatabase, first: int, count: int) -> None:
    """``count`` guilds with the daily quiz set up, each in its own channel, all due a second ago."""
    guilds = GuildRepository(store)
    now = system_clock()
    due = now - dt.timedelta(seconds=1)
    at = dt.time(7, 30)  # the next post after this one is the next 07:30 local; only "due now" matters
    for i in range(count):
        channel = FIRST_CHANNEL + (first - FIRST_GUILD) + i
        await guilds.set_quiz(first + i, channel, at, ZONES[i % len(ZONES)], due)


async def fan_out(
    bot: StudyBot,
    bot_task: asyncio.Task[None],
    fake: FakeDiscord,
    rate_warnings: CountingHandler,
    user_ids: list[int],
    first_guild: int,
    count: int,
    interval: float,
    label: str,
) -> list[float]:
    cog = bot.get_cog("Quiz")
    if cog is None:
        raise RuntimeError("the quiz cog is not loaded")
    engine = cog.outbox  # type: ignore[attr-defined]
    started = time.perf_counter()
    await configure_guilds(bot.db, first_guild, count)
    print(
        f"[{label}] configured {count} guilds (GuildRepository.set_quiz): {time.perf_counter() - started:.2f} s"
    )

    log = fake.rate_limits
    global_before, route_before, allowed_before = log.global_429, log.route_429, len(log.allowed_at)
    messages_before, warnings_before = len(fake.messages), rate_warnings.count
    stop = asyncio.Event()
    sampler = asyncio.create_task(status_sampler(bot, user_ids, stop, interval, seed=first_guild % 97))
    started = time.perf_counter()
    try:
        report = await bounded(engine.run_due(), bot_task, f"run_due for {count} guilds", RUN_BOUND)
        posted = report.sent
    finally:
        elapsed = time.perf_counter() - started
        stop.set()
        during = await asyncio.wait_for(sampler, 10)

    allowed = sorted(log.allowed_at[allowed_before:])
    gaps = [b - a for a, b in itertools.pairwise(allowed)]
    window = RateLimitLog(allowed_at=allowed)
    print(
        f"[{label}] the quiz outbox's run_due(): {posted} posts in {elapsed:.2f} s = {posted / elapsed:.1f} posts/s; "
        f"fake received {len(fake.messages) - messages_before} messages"
    )
    print(
        f"[{label}] 429s sent by the fake: {log.global_429 - global_before} global, "
        f"{log.route_429 - route_before} per-route; discord.http rate-limit log lines: "
        f"{rate_warnings.count - warnings_before}"
    )
    if allowed:
        print(
            f"[{label}] requests let through: busiest 1 s window {window.busiest_second()}, "
            f"longest pause between two {max(gaps, default=0.0) * 1000:.0f} ms, "
            f"median gap {percentile(gaps, 50) * 1000:.1f} ms"
        )

    result = await bot.db.query(
        "SELECT count(*), count(message_id), count(DISTINCT message_id) FROM quiz_posts "
        "WHERE guild_id BETWEEN ? AND ?",
        (first_guild, first_guild + count - 1),
    )
    row = result.one()
    rows, with_id, distinct = (int(row[0]), int(row[1]), int(row[2])) if row else (0, 0, 0)
    result = await bot.db.query(
        "SELECT message_id FROM quiz_posts WHERE guild_id BETWEEN ? AND ?",
        (first_guild, first_guild + count - 1),
    )
    stored_ids = {int(r[0]) for r in result.all() if r[0] is not None}
    sent_ids = {int(m["id"]) for m in fake.messages[messages_before:]}
    channels = {m["channel_id"] for m in fake.messages[messages_before:]}
    verdict = "ALL" if rows == with_id == distinct == count else "NOT ALL"
    print(
        f"[{label}] quiz_posts rows: {rows}, with a message id: {with_id} ({distinct} distinct) -> {verdict} "
        f"{count} posts recorded; ids match the fake's messages: {stored_ids == sent_ids}; "
        f"distinct channels posted to: {len(channels)}"
    )
    buckets: dict[str, object] = getattr(bot.http, "_buckets", {})  # private: read for the figures only
    hashes: dict[str, str] = getattr(bot.http, "_bucket_hashes", {})
    print(
        f"[{label}] discord.py rate-limit state: {len(buckets)} per-route buckets held, "
        f"{len(hashes)} route(s) mapped to a Discord bucket hash"
    )
    print(summary(f"[{label}] /status handling during the fan-out", during))
    return during


async def answers_burst(store: SQLiteDatabase | PostgresDatabase, user_ids: list[int], count: int) -> None:
    """``count`` distinct members answer one daily post at once; then the same clicks again."""
    result = await store.query(
        "SELECT id, guild_id, question_id, post_date FROM quiz_posts ORDER BY id LIMIT 1"
    )
    row = result.one()
    if row is None:
        print("answers: no daily post to answer (the fan-out made none)")
        return
    post_id, guild_id, question_id, post_date = int(row[0]), int(row[1]), str(row[2]), str(row[3])
    bank = load_bank(DEFAULT_BANK_DIR, load_policy())
    question = bank.get(question_id)
    if question is None:
        print(f"answers: question {question_id} is not in the bank")
        return
    quiz = QuizRepository(store)
    day = dt.date.fromisoformat(post_date)
    members = user_ids[:count]
    rng = random.Random(11)
    choices = {uid: rng.randrange(len(question.options)) for uid in members}

    async def answer(uid: int) -> tuple[bool, float]:
        started = time.perf_counter()
        choice = choices[uid]
        stored = await quiz.record_answer(
            Answer(
                uid,
                guild_id,
                question.id,
                question.domain.value,
                choice,
                choice == question.answer,
                day,
                post_id=post_id,
            )
        )
        return stored, (time.perf_counter() - started) * 1000

    for label, expect in (("first answers", "stored"), ("duplicate clicks", "refused")):
        started = time.perf_counter()
        results = await asyncio.wait_for(asyncio.gather(*(answer(uid) for uid in members)), 60)
        total = (time.perf_counter() - started) * 1000
        stored = sum(ok for ok, _ in results)
        outcome = stored if expect == "stored" else len(results) - stored
        print(
            f"answers, {label}: {len(results)} at once in {total:.0f} ms "
            f"({len(results) / total * 1000:.0f}/s); {expect}: {outcome} of {len(results)}"
        )
        print(summary(f"answers, {label}: per answer (arrival to stored/refused)", [ms for _, ms in results]))
    result = await store.query(
        "SELECT count(*), count(DISTINCT user_id) FROM quiz_answers WHERE post_id = ?", (post_id,)
    )
    row = result.one()
    print(f"answers: quiz_answers rows for the post: {row[0] if row else 0} ({row[1] if row else 0} members)")


async def main(
    guilds: int,
    members: int,
    interval: float,
    baseline: float,
    compare: bool,
    database_url: str | None = None,
) -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    rate_warnings = CountingHandler()
    http_log = logging.getLogger("discord.http")
    http_log.addHandler(rate_warnings)
    http_log.propagate = False

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        backend = Backend(Path(folder), database_url)
        store = await backend.open(path if database_url is None else await backend.fresh())
        print(f"backend: {backend.name}")
        started = time.perf_counter()
        user_ids = await fill_members(store, members)
        print(f"filled {members} members: {time.perf_counter() - started:.2f} s")

        fake = FakeDiscord(token=TOKEN)
        port = await fake.start()
        discord.http.Route.BASE = f"http://127.0.0.1:{port}/api/v10"
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(f"ws://127.0.0.1:{port}/")
        settings = Settings(
            discord_token=TOKEN,  # type: ignore[arg-type]
            database_path=path,
            dev_guild_id=fake.guild_id,
            log_level="WARNING",
            _env_file=None,  # type: ignore[call-arg]
        )
        policy = load_policy()
        bot = StudyBot(
            settings=settings,
            db=store,
            policy=policy,
            bank=load_bank(DEFAULT_BANK_DIR, policy, near_duplicates=False),
        )
        bot._connection.guild_ready_timeout = 0.1
        started = time.perf_counter()
        bot_task = asyncio.create_task(bot.start(TOKEN))
        try:
            await bounded(bot.wait_until_ready(), bot_task, "READY", 30)
            print(
                f"bot ready against the loopback fake (127.0.0.1:{port}, global limit "
                f"{fake.global_limit}/s): {(time.perf_counter() - started) * 1000:.0f} ms"
            )

            stop = asyncio.Event()
            sampler = asyncio.create_task(status_sampler(bot, user_ids, stop, interval, seed=1))
            await asyncio.sleep(baseline)
            stop.set()
            idle = await asyncio.wait_for(sampler, 10)
            print(f"/status sampler: one call every {interval * 1000:.0f} ms on the bot's event loop")
            print(summary("/status handling, no fan-out running", idle))

            await fan_out(
                bot, bot_task, fake, rate_warnings, user_ids, FIRST_GUILD, guilds, interval, "rate-limited"
            )
            if compare:
                fake.global_limit = None
                await fan_out(
                    bot,
                    bot_task,
                    fake,
                    rate_warnings,
                    user_ids,
                    FIRST_GUILD + guilds,
                    guilds,
                    interval,
                    "global limit off",
                )
            if fake.unexpected:
                print(f"requests the fake did not know: {fake.unexpected[:5]} ({len(fake.unexpected)})")

            await answers_burst(store, user_ids, min(1000, members))
        finally:
            await bot.close()
            done, _ = await asyncio.wait({bot_task}, timeout=10)
            if not done:
                bot_task.cancel()
            await fake.stop()
            await store.close()
            backend.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--guilds", type=int, default=1_000)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--status-interval", type=float, default=0.01, help="seconds between /status calls")
    parser.add_argument("--baseline", type=float, default=5.0, help="seconds of /status with no fan-out")
    parser.add_argument(
        "--no-compare", action="store_true", help="skip the second fan-out with the global limit off"
    )
    parser.add_argument(
        "--database-url",
        default=None,
        help="run on PostgreSQL: a database URL on the server (a fresh database is created there), or "
        "'auto' to start a throwaway server from the installed binaries",
    )
    args = parser.parse_args()
    asyncio.run(
        main(
            args.guilds,
            args.members,
            args.status_interval,
            args.baseline,
            not args.no_compare,
            args.database_url,
        )
    )
