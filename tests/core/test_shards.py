"""Guild ownership: Discord's shard rule, and the SQL filter guild work uses (checked on SQLite)."""

from __future__ import annotations

import random

import pytest

from bot.core.shards import Ownership, guild_filter, shard_of
from bot.db import SQLiteDatabase

#: Real-looking guild ids (snowflakes) and their shards, worked out by hand from the rule.
GUILD = 81384788765712384  # Discord API's guild: (id >> 22) = 19403645698 (even)
FAKE_GUILD = 1_200_000_000_000_000_003  # the loopback fake's guild: (id >> 22) = 286102294921 (odd)


@pytest.mark.parametrize(
    ("guild_id", "count", "shard"),
    [
        (GUILD, 1, 0),
        (GUILD, 2, 0),
        (GUILD, 4, 2),  # 19403645698 % 4
        (FAKE_GUILD, 2, 1),
        (FAKE_GUILD, 3, 1),  # 286102294921 % 3
        ((5 << 22) + 12345, 4, 1),  # the low 22 bits (worker, process, increment) never count
        ((1 << 63) - 1, 2, 1),  # the largest id a signed 64-bit column holds
        (0, 7, 0),
    ],
)
def test_shard_of(guild_id: int, count: int, shard: int) -> None:
    assert shard_of(guild_id, count) == shard


def test_shard_of_needs_a_shard() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        shard_of(GUILD, 0)


@pytest.mark.parametrize(
    ("ownership", "owns_all"),
    [
        (Ownership(), True),  # one process, Discord's recommended count
        (Ownership(4), True),  # SHARD_COUNT alone: every shard here
        (Ownership.of(2, (0, 1)), True),
        (Ownership.of(2, (0,)), False),
        (Ownership.of(4, (1, 3)), False),
    ],
)
def test_who_owns_everything(ownership: Ownership, owns_all: bool) -> None:
    assert ownership.owns_all is owns_all
    no_filter = guild_filter("guild_id", ownership) == ("1 = 1", ())
    assert no_filter is owns_all


@pytest.mark.parametrize(
    ("count", "ids", "message"),
    [(None, (0,), "need a shard count"), (2, (2,), "0 to 1"), (2, (), "0 to 1"), (3, (-1,), "0 to 2")],
)
def test_impossible_ownership(count: int | None, ids: tuple[int, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Ownership.of(count, ids)


def test_the_filter_is_parameters_not_text() -> None:
    assert guild_filter("g.guild_id", Ownership.of(4, (3, 1))) == (
        "((g.guild_id >> 22) % ?) IN (?, ?)",
        (4, 1, 3),
    )
    with pytest.raises(ValueError, match="not a column"):
        guild_filter("guild_id; DROP TABLE x", Ownership.of(2, (0,)))


@pytest.mark.parametrize("ids", [(0,), (1,), (0, 2), (3,)])
async def test_the_filter_keeps_exactly_the_owned_guilds_in_sqlite(
    store: SQLiteDatabase, ids: tuple[int, ...]
) -> None:
    count = 4 if max(ids) > 1 else 2
    rng = random.Random(15)
    guilds = [GUILD, FAKE_GUILD, (1 << 63) - 1, *(rng.randrange(1 << 40, 1 << 63) for _ in range(200))]
    async with store.transaction() as tx:
        await tx.execute("CREATE TABLE shard_probe (guild_id BIGINT PRIMARY KEY)")
        await tx.execute_many("INSERT INTO shard_probe (guild_id) VALUES (?)", [(g,) for g in guilds])
    owned = Ownership.of(count, ids)
    where, params = guild_filter("guild_id", owned)

    result = await store.query(f"SELECT guild_id FROM shard_probe WHERE {where}", params)

    kept = {row[0] for row in result.all()}
    assert kept == {g for g in guilds if shard_of(g, count) in ids}
    assert kept == {g for g in guilds if owned.owns(g)}
    assert 0 < len(kept) < len(guilds)


async def test_without_the_parentheses_sqlite_would_shift_by_the_remainder(store: SQLiteDatabase) -> None:
    """Why the filter has them: ``%`` binds tighter than ``>>`` (in PostgreSQL too)."""
    bare = await store.query("SELECT ? >> 22 % 2, (? >> 22) % 2", (FAKE_GUILD, FAKE_GUILD))
    assert bare.one() == (FAKE_GUILD, 1)


@pytest.mark.both_backends
@pytest.mark.parametrize("ids", [(0,), (1,), (0, 2), (3,)])
async def test_the_core_clause_keeps_exactly_the_owned_guilds(
    store: SQLiteDatabase, ids: tuple[int, ...]
) -> None:
    """The repositories use the SQLAlchemy form (owned_clause): the same guilds as the rule, on both
    backends (PostgreSQL has no ``bigint >> bigint``: the shift must not be a BIGINT parameter)."""
    import sqlalchemy as sa

    from bot.core.shards import owned_clause

    count = 4 if max(ids) > 1 else 2
    rng = random.Random(16)
    guilds = [GUILD, FAKE_GUILD, (1 << 63) - 1, *(rng.randrange(1 << 40, 1 << 63) for _ in range(200))]
    async with store.transaction() as tx:
        await tx.execute("CREATE TABLE shard_probe (guild_id BIGINT PRIMARY KEY)")
        await tx.execute_many("INSERT INTO shard_probe (guild_id) VALUES (?)", [(g,) for g in guilds])
    probe = sa.table("shard_probe", sa.column("guild_id", sa.BigInteger))
    owned = Ownership.of(count, ids)

    result = await store.query(sa.select(probe.c.guild_id).where(owned_clause(probe.c.guild_id, owned)))

    assert {row[0] for row in result.all()} == {g for g in guilds if shard_of(g, count) in ids}
    everything = await store.query(
        sa.select(sa.func.count()).select_from(probe).where(owned_clause(probe.c.guild_id, Ownership()))
    )
    assert everything.scalar() == len(guilds)
