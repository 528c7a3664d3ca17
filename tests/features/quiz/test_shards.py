"""The daily post belongs to the process that runs the guild's shard (SHARD_IDS), filtered in SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.core.outbox import Claimant, Lease, Outbox, RetryPolicy
from bot.core.shards import Ownership, shard_of
from bot.db import SQLiteDatabase
from bot.features.quiz.bank import Question, QuestionBank
from bot.features.quiz.daily import DailyPosts, Reveal
from bot.features.quiz.guild_repo import GuildRepository
from bot.features.quiz.repo import PostRecord, QuizRepository

pytestmark = pytest.mark.both_backends

NOW = dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC)  # 09:00 in New York
ON_SHARD_0 = 81384788765712384
ON_SHARD_1 = 1_200_000_000_000_000_003
CHANNEL = {ON_SHARD_0: 11, ON_SHARD_1: 12}


class Channels:
    """A publisher that records which guild each post went to."""

    def __init__(self) -> None:
        self.posted: list[int] = []

    async def publish(self, post: PostRecord, question: Question, reveal: Reveal | None) -> int:
        self.posted.append(post.guild_id)
        return 900 + len(self.posted)

    async def find_published(self, post: PostRecord) -> int | None:
        return None


@pytest.fixture
async def scheduler() -> AsyncIterator[AsyncIOScheduler]:
    scheduler = AsyncIOScheduler(timezone=dt.UTC)
    scheduler.start(paused=True)  # wake-ups are inspected, never run by the scheduler here
    yield scheduler
    scheduler.shutdown(wait=False)


def process(
    store: SQLiteDatabase, bank: QuestionBank, scheduler: Any, owned: Ownership
) -> tuple[Outbox[PostRecord], Channels]:
    channels = Channels()
    daily = DailyPosts(GuildRepository(store, owned), QuizRepository(store, owned), bank, channels)
    return Outbox(daily, scheduler, lambda: NOW, RetryPolicy()), channels


@pytest.fixture
async def two_guilds(store: SQLiteDatabase) -> None:
    assert (shard_of(ON_SHARD_0, 2), shard_of(ON_SHARD_1, 2)) == (0, 1)
    guilds = GuildRepository(store)
    for guild_id, channel_id in CHANNEL.items():
        await guilds.set_quiz(guild_id, channel_id, dt.time(9, 0), "America/New_York", NOW)


@pytest.mark.usefixtures("two_guilds")
@pytest.mark.parametrize(("shard", "guild"), [(0, ON_SHARD_0), (1, ON_SHARD_1)])
async def test_a_process_posts_only_for_guilds_on_its_shards(
    store: SQLiteDatabase, bank: QuestionBank, scheduler: Any, shard: int, guild: int
) -> None:
    outbox, channels = process(store, bank, scheduler, Ownership.of(2, (shard,)))

    report = await outbox.run_due()
    again = await outbox.run_due()

    assert channels.posted == [guild] and report.sent == 1 and again.sent == 0
    rows = await store.query("SELECT guild_id FROM quiz_posts")
    assert [r[0] for r in rows.all()] == [guild]  # the other guild's post was not even prepared
    other = await store.query("SELECT next_post_at FROM guild_settings WHERE guild_id != ?", (guild,))
    assert other.scalar() == NOW.isoformat()  # still due: for its own shard's process
    wake = scheduler.get_job("quiz:wake")
    assert wake is not None and wake.next_run_time > NOW  # not woken again and again by the other guild


@pytest.mark.usefixtures("two_guilds")
async def test_two_processes_post_each_guild_once(
    store: SQLiteDatabase, bank: QuestionBank, scheduler: Any
) -> None:
    first, posted_0 = process(store, bank, scheduler, Ownership.of(2, (0,)))
    await first.run_due()
    second, posted_1 = process(store, bank, scheduler, Ownership.of(2, (1,)))
    await second.run_due()
    await first.run_due()

    assert (posted_0.posted, posted_1.posted) == ([ON_SHARD_0], [ON_SHARD_1])


@pytest.mark.usefixtures("two_guilds")
@pytest.mark.parametrize("owned", [Ownership(), Ownership(2), Ownership.of(2, (0, 1))])
async def test_a_process_with_every_shard_posts_for_every_guild(
    store: SQLiteDatabase, bank: QuestionBank, scheduler: Any, owned: Ownership
) -> None:
    outbox, channels = process(store, bank, scheduler, owned)

    await outbox.run_due()

    assert sorted(channels.posted) == sorted(CHANNEL)


@pytest.mark.usefixtures("two_guilds")
async def test_a_post_left_claimed_is_resolved_by_its_shards_process_only(
    store: SQLiteDatabase, bank: QuestionBank, scheduler: Any
) -> None:
    everyone = QuizRepository(store)
    post = await everyone.create_post(ON_SHARD_1, CHANNEL[ON_SHARD_1], bank.ids[0], 0, NOW.date(), NOW)
    lease = Lease("the process that died", NOW + dt.timedelta(minutes=2))
    assert post is not None and await everyone.claim_post(post.id, lease) is not None  # then a crash
    later, shard_1 = NOW + dt.timedelta(minutes=3), QuizRepository(store, Ownership.of(2, (1,)))
    claimant = Claimant("a restarted shard 1", exclusive=False)

    assert await shard_1.claimed_posts(NOW + dt.timedelta(minutes=1), claimant) == []  # the lease holds
    assert await QuizRepository(store, Ownership.of(2, (0,))).claimed_posts(later, claimant) == []
    (left,) = await shard_1.claimed_posts(later, claimant)
    assert left.id == post.id
