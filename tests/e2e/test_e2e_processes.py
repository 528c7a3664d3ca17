"""End to end: two bot processes (shards 0 and 1 of 2) on one PostgreSQL database, over the loopback fake
of Discord. Every reminder is delivered exactly once, also when one process is killed (kill -9) in the
middle of a delivery; each guild's daily post goes out once, by its shard's process, across restarts."""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import sys
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
import pytest_asyncio

from bot.core.shards import shard_of
from bot.db import utc_text
from bot.db.postgres import PostgresDatabase
from tests.e2e.fake_discord import JSON, FakeDiscord
from tests.e2e.processes import TOKEN, BotProcess

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

REMINDERS = 2000
FIRST_MEMBER = 10**17
#: This fake has no global limit, so neither does the outbox's pacer here (the benchmark keeps both).
UNPACED = 100_000
LEASE = 5  # seconds (the policy says 120; the launcher shortens it, and the safety poll to 1 s)
DEADLINE = 120.0  # seconds; a bound: each wait ends as soon as its condition holds


async def eventually(check: Callable[[], Awaitable[bool]], what: str) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + DEADLINE
    while not await check():
        if loop.time() > end:
            pytest.fail(f"timed out after {DEADLINE:.0f}s waiting for {what}")
        await asyncio.sleep(0.25)


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    # No global limit here: this test is about exactly once, the benchmark about Discord's limits.
    discord = FakeDiscord(token=TOKEN, global_limit=None, shard_count=2)
    await discord.start()
    yield discord
    await discord.stop()


@pytest_asyncio.fixture
async def database() -> AsyncIterator[tuple[str, PostgresDatabase]]:
    from tests.db.postgres import empty_database

    url = await empty_database()
    store = await PostgresDatabase.open(url)  # migrates it, as a bot process would
    yield url, store
    await store.close()


@pytest_asyncio.fixture
async def processes() -> AsyncIterator[list[BotProcess]]:
    started: list[BotProcess] = []
    yield started
    for process in started:
        await process.kill()


async def start(started: list[BotProcess], fake: FakeDiscord, url: str, shard: int) -> BotProcess:
    process = await BotProcess.start(fake.port, url, (shard,), 2, lease=LEASE, global_rate=UNPACED)
    started.append(process)
    await process.wait_ready()
    return process


def dms(fake: FakeDiscord) -> dict[int, list[JSON]]:
    """Messages in each member's DM channel, by member."""
    by_channel = {channel: user for user, channel in fake.dm_channels.items()}
    found: dict[int, list[JSON]] = collections.defaultdict(list)
    for message in fake.messages:
        user = by_channel.get(int(message["channel_id"]))
        if user is not None:
            found[user].append(message)
    return found


async def add_members(store: PostgresDatabase, count: int) -> list[int]:
    now = store.now_text()
    users = [FIRST_MEMBER + i for i in range(count)]
    async with store.transaction() as tx:
        await tx.execute_many(
            "INSERT INTO members (user_id, created_at, updated_at) VALUES (?, ?, ?)",
            [(user, now, now) for user in users],
        )
    return users


async def add_reminders(store: PostgresDatabase, users: list[int], due: dt.datetime) -> None:
    """One retest-day reminder per member, all due at ``due`` (what /retake plans, written directly)."""
    at = utc_text(due)
    async with store.transaction() as tx:
        await tx.execute_many(
            "INSERT INTO reminders (user_id, kind, local_date, due_at, zone, wake_at) VALUES (?, ?, ?, ?, ?, ?)",
            [(user, "retest", due.date().isoformat(), at, "UTC", at) for user in users],
        )


async def statuses(store: PostgresDatabase) -> collections.Counter[str]:
    result = await store.query("SELECT status, count(*) FROM reminders GROUP BY status")
    return collections.Counter({row[0]: row[1] for row in result.all()})


async def test_two_processes_deliver_every_reminder_once_even_when_one_is_killed_mid_delivery(
    fake: FakeDiscord, database: tuple[str, PostgresDatabase], processes: list[BotProcess]
) -> None:
    url, store = database
    users = await add_members(store, REMINDERS)
    first = await start(processes, fake, url, 0)
    second = await start(processes, fake, url, 1)
    by_pid = {first.pid: first, second.pid: second}
    # The 300th DM is stored by Discord, but its sender never hears back: it is killed while it waits.
    held = fake.hold_next(lambda message: len(dms(fake)) >= 300)

    await add_reminders(store, users, dt.datetime.now(dt.UTC))  # 2,000 due in the same minute
    message = await asyncio.wait_for(held, DEADLINE)
    (user,) = [u for u, channel in fake.dm_channels.items() if str(channel) == message["channel_id"]]
    owner = (await store.query("SELECT owner FROM reminders WHERE user_id = ?", (user,))).scalar()
    victim = by_pid[int(owner.split(":")[1])]  # the process that claimed it (host:pid:tag)
    await victim.kill()
    survivor = second if victim is first else first

    async def all_sent() -> bool:
        return (await statuses(store))["sent"] == REMINDERS

    await eventually(all_sent, "every reminder marked sent")

    delivered = dms(fake)
    assert sorted(delivered) == users  # every member got their reminder ...
    assert [u for u, messages in delivered.items() if len(messages) != 1] == []  # ... exactly once
    assert len(fake.in_channel(int(message["channel_id"]))) == 1
    row = await store.query("SELECT message_id FROM reminders WHERE user_id = ?", (user,))
    assert row.scalar() == int(message["id"])  # the held DM was found by its marker, not sent again
    owners = await store.query("SELECT owner, count(*) FROM reminders GROUP BY owner")
    counts = {int(owner.split(":")[1]): count for owner, count in owners.all()}
    assert set(counts) == {first.pid, second.pid} and min(counts.values()) > 0  # both processes worked
    assert await survivor.stop() == 0
    assert "Traceback" not in survivor.log, survivor.log
    assert fake.unexpected == []


GUILDS = [81384788765712384 + (i << 22) for i in range(6)]  # consecutive shard ids: 0, 1, 0, 1, ...


async def add_daily_guilds(store: PostgresDatabase, now: dt.datetime) -> dict[int, int]:
    """Six guilds with the daily question due now; their quiz channels."""
    channels = {guild: 1_400_000_000_000_000_000 + i for i, guild in enumerate(GUILDS)}
    time, at = now.strftime("%H:%M"), utc_text(now - dt.timedelta(seconds=1))
    async with store.transaction() as tx:
        await tx.execute_many(
            "INSERT INTO guild_settings (guild_id, quiz_channel_id, quiz_time, quiz_timezone, updated_at,"
            " next_post_at) VALUES (?, ?, ?, 'UTC', ?, ?)",
            [(guild, channels[guild], time, at, at) for guild in GUILDS],
        )
    return channels


def posts(fake: FakeDiscord, channels: dict[int, int]) -> dict[int, int]:
    return {guild: len(fake.in_channel(channel)) for guild, channel in channels.items()}


async def test_each_guilds_daily_post_goes_once_by_its_shards_process_across_restarts(
    fake: FakeDiscord, database: tuple[str, PostgresDatabase], processes: list[BotProcess]
) -> None:
    url, store = database
    assert sorted({shard_of(guild, 2) for guild in GUILDS}) == [0, 1]
    first = await start(processes, fake, url, 0)
    second = await start(processes, fake, url, 1)
    await second.kill()  # shard 1's process is down when the posts fall due

    channels = await add_daily_guilds(store, dt.datetime.now(dt.UTC))
    on = {shard: [g for g in GUILDS if shard_of(g, 2) == shard] for shard in (0, 1)}

    def shard_posted(shard: int) -> Callable[[], Awaitable[bool]]:
        async def check() -> bool:
            return all(posts(fake, channels)[guild] == 1 for guild in on[shard])

        return check

    await eventually(shard_posted(0), "shard 0's posts")
    await asyncio.sleep(3 * 1.0)  # three safety polls: shard 0's process leaves shard 1's guilds alone
    assert [posts(fake, channels)[guild] for guild in on[1]] == [0, 0, 0]

    restarted = await start(processes, fake, url, 1)  # shard 1 back: its posts go, once
    await eventually(shard_posted(1), "shard 1's posts after its restart")
    assert await first.stop() == 0  # and a clean restart of shard 0's process posts nothing again
    again = await start(processes, fake, url, 0)
    await asyncio.sleep(3 * 1.0)

    assert posts(fake, channels) == {guild: 1 for guild in GUILDS}
    result = await store.query("SELECT guild_id, owner, status FROM quiz_posts")
    posted_by = {row[0]: (int(row[1].split(":")[1]), row[2]) for row in result.all()}
    expected = {g: (first.pid if shard_of(g, 2) == 0 else restarted.pid, "sent") for g in GUILDS}
    assert posted_by == expected
    for process in (first, restarted, again):
        assert "Traceback" not in process.log, process.log
    assert fake.unexpected == []
