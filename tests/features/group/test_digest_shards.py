"""The weekly digest is guild work: it belongs to the process that runs the guild's shard (SHARD_IDS),
filtered in SQL, like the daily post; a digest left claimed is resolved by that process after its lease."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core.outbox import Claimant, Lease
from bot.core.shards import Ownership, shard_of
from bot.db import SQLiteDatabase
from bot.features.group.digest_repo import DigestRepository

pytestmark = pytest.mark.both_backends

NOW = dt.datetime(2026, 12, 1, 14, 0, tzinfo=dt.UTC)
ON_SHARD_0 = 81384788765712384
ON_SHARD_1 = 1_200_000_000_000_000_003
LEASE = Lease("a process", NOW + dt.timedelta(minutes=2))
AFTER_LEASE = NOW + dt.timedelta(minutes=3)
SHARED = Claimant("another process", exclusive=False)


def test_the_two_guilds_are_on_different_shards() -> None:
    assert (shard_of(ON_SHARD_0, 2), shard_of(ON_SHARD_1, 2)) == (0, 1)


async def both_due(store: SQLiteDatabase) -> None:
    repo = DigestRepository(store)
    await repo.set_digest(ON_SHARD_0, True, 1, NOW - dt.timedelta(minutes=5))
    await repo.set_digest(ON_SHARD_1, True, 1, NOW - dt.timedelta(minutes=1))


@pytest.mark.parametrize(
    ("owned", "guilds", "wake"),
    [
        (Ownership(), [ON_SHARD_0, ON_SHARD_1], NOW - dt.timedelta(minutes=5)),
        (Ownership.of(2, (0, 1)), [ON_SHARD_0, ON_SHARD_1], NOW - dt.timedelta(minutes=5)),
        (Ownership.of(2, (0,)), [ON_SHARD_0], NOW - dt.timedelta(minutes=5)),
        (Ownership.of(2, (1,)), [ON_SHARD_1], NOW - dt.timedelta(minutes=1)),
    ],
)
async def test_due_digests_and_the_next_wake_are_the_owned_guilds_only(
    store: SQLiteDatabase, owned: Ownership, guilds: list[int], wake: dt.datetime
) -> None:
    await both_due(store)
    repo = DigestRepository(store, owned)
    assert [s.guild_id for s in await repo.due_settings(NOW, 10)] == guilds
    assert await repo.next_wake() == wake


async def test_a_claimed_digest_is_resolved_by_its_shards_process_after_the_lease(
    store: SQLiteDatabase,
) -> None:
    await both_due(store)
    everyone = DigestRepository(store)
    for guild in (ON_SHARD_0, ON_SHARD_1):
        digest = await everyone.create_digest(guild, 77, NOW.date(), NOW)
        assert digest is not None and await everyone.claim_digest(digest.id, LEASE) is not None
    shard_1 = DigestRepository(store, Ownership.of(2, (1,)))

    assert await shard_1.claimed_digests(NOW + dt.timedelta(minutes=1), SHARED) == []  # the lease holds
    assert [d.guild_id for d in await shard_1.claimed_digests(AFTER_LEASE, SHARED)] == [ON_SHARD_1]
    rows = await store.query("SELECT owner, lease_until FROM group_digests ORDER BY id")
    assert [row[0] for row in rows.all()] == ["a process", "a process"]
