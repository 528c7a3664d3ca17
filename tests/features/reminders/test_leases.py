"""Reminder claims with leases, on both backends: a batch claim takes at most its limit, only one process
takes over a dead claim, and a process whose lease ran out cannot undo the claim that replaced it."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core.outbox import Claimant, Lease
from bot.db import SQLiteDatabase, utc_text
from bot.features.reminders.model import ReminderStatus
from bot.features.reminders.repo import ReminderRepository

pytestmark = pytest.mark.both_backends

T0 = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)
AFTER_LEASE = T0 + dt.timedelta(minutes=3)


def shared(owner: str) -> Claimant:
    return Claimant(owner, dt.timedelta(minutes=2), exclusive=False)


async def five_due(store: SQLiteDatabase) -> ReminderRepository:
    now, due = store.now_text(), utc_text(T0)
    async with store.transaction() as tx:
        await tx.execute_many(
            "INSERT INTO members (user_id, created_at, updated_at) VALUES (?, ?, ?)",
            [(10 + i, now, now) for i in range(5)],
        )
        await tx.execute_many(
            "INSERT INTO reminders (user_id, kind, local_date, due_at, zone, wake_at) VALUES (?, ?, ?, ?, ?, ?)",
            [(10 + i, "retest", "2026-11-23", due, "UTC", due) for i in range(5)],
        )
    return ReminderRepository(store)


async def test_a_batch_claim_takes_at_most_its_limit_and_records_the_lease(store: SQLiteDatabase) -> None:
    repo = await five_due(store)
    first = await repo.claim_due(T0, 3, Lease("a", T0 + dt.timedelta(minutes=2)))
    second = await repo.claim_due(T0, 3, Lease("b", T0 + dt.timedelta(minutes=2)))
    assert (len(first), len(second)) == (3, 2)
    assert {r.owner for r in first} == {"a"} and {r.owner for r in second} == {"b"}
    assert not {r.id for r in first} & {r.id for r in second}
    assert all(r.attempts == 1 for r in first + second)


async def test_only_one_process_takes_over_a_dead_claim_and_only_after_its_lease(
    store: SQLiteDatabase,
) -> None:
    repo = await five_due(store)
    (dead, *_) = await repo.claim_due(T0, 1, Lease("a", T0 + dt.timedelta(minutes=2)))
    assert await repo.claimed(T0 + dt.timedelta(minutes=1), shared("b")) == []  # the lease holds
    assert await repo.take_over(dead, T0 + dt.timedelta(minutes=1), shared("b")) is None

    (found,) = await repo.claimed(AFTER_LEASE, shared("b"))
    taken = await repo.take_over(found, AFTER_LEASE, shared("b"))
    assert taken is not None and taken.owner == "b"
    assert await repo.take_over(found, AFTER_LEASE, shared("c")) is None  # B's lease is fresh


async def test_writes_by_a_process_whose_lease_ran_out_change_nothing(store: SQLiteDatabase) -> None:
    repo = await five_due(store)
    (stale, *_) = await repo.claim_due(T0, 1, Lease("a", T0 + dt.timedelta(minutes=2)))
    taken = await repo.take_over(stale, AFTER_LEASE, shared("b"))
    assert taken is not None

    await repo.release(stale, AFTER_LEASE, "A gives up late")
    await repo.finish(stale, ReminderStatus.SENT, AFTER_LEASE, message_id=1)
    row = await store.query("SELECT status, owner, message_id FROM reminders WHERE id = ?", (stale.id,))
    assert row.one() == ("claimed", "b", None)

    await repo.finish(taken, ReminderStatus.SENT, AFTER_LEASE, message_id=2)
    row = await store.query("SELECT status, message_id FROM reminders WHERE id = ?", (stale.id,))
    assert row.one() == ("sent", 2)


async def test_a_claim_handed_back_unsent_is_not_a_try(store: SQLiteDatabase) -> None:
    repo = await five_due(store)
    (item, *_) = await repo.claim_due(T0, 1, Lease("a", T0 + dt.timedelta(minutes=2)))
    await repo.release(item, T0, "handed back", uncount=True)
    (again, *_) = await repo.claim_due(T0, 1, Lease("a", T0 + dt.timedelta(minutes=2)))
    assert again.id == item.id and again.attempts == 1


async def test_the_export_leaves_out_which_process_held_a_claim(store: SQLiteDatabase) -> None:
    from bot.features.members.privacy_repo import PrivacyRepository

    repo = await five_due(store)
    (item, *_) = await repo.claim_due(T0, 1, Lease("host:123:abc", T0 + dt.timedelta(minutes=2)))
    (row,) = (await PrivacyRepository(store).export(item.user_id))["reminders"]
    assert row["status"] == "claimed" and "owner" not in row and "lease_until" not in row
