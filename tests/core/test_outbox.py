"""The outbox engine on its own, with an in-memory client: claim, send, backoff, cap, tries, recovery, stop."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.core.outbox import (
    BATCH,
    Claimant,
    DeliveryClosed,
    DeliveryGone,
    DeliveryTransient,
    Failure,
    Lease,
    Outbox,
    RetryPolicy,
)
from bot.core.pacing import Pacer

T0 = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)
T1 = T0 + dt.timedelta(minutes=1)


@dataclass(frozen=True)
class Row:
    id: int
    due_at: dt.datetime
    attempts: int = 0
    status: str = "pending"
    wake_at: dt.datetime = T0
    message_id: int | None = None
    outcome: str | None = None
    owner: str | None = None
    lease_until: dt.datetime | None = None


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now


class MemoryClient:
    """An OutboxClient over a dict; ``plan`` says what each send does, try by try."""

    name = "test"

    def __init__(self, rows: list[Row], plan: dict[int, list[Any]] | None = None) -> None:
        self.rows = {r.id: r for r in rows}
        self.plan = plan or {}
        self.sent: list[int] = []  # row ids, in the order messages "arrived"
        self.channel: dict[int, int] = {}  # row id -> message id, what a look-up would find
        self.lookup_fails = False
        self.locked: set[int] = set()  # rows another process is claiming right now (SKIP LOCKED skips them)

    async def next_wake(self) -> dt.datetime | None:
        pending = [r.wake_at for r in self.rows.values() if r.status == "pending"]
        return min(pending, default=None)

    async def claim_due(self, now: dt.datetime, limit: int, lease: Lease) -> list[Row]:
        due = [
            r
            for r in self.rows.values()
            if r.status == "pending" and r.wake_at <= now and r.id not in self.locked
        ][:limit]
        claimed = []
        for row in due:
            taken = replace(
                row, status="claimed", attempts=row.attempts + 1, owner=lease.owner, lease_until=lease.until
            )
            self.rows[row.id] = taken
            claimed.append(taken)
        return claimed

    async def claimed(self, now: dt.datetime, claimant: Claimant) -> list[Row]:
        """As bot.core.leases.recoverable says, in Python."""
        return [
            r
            for r in self.rows.values()
            if r.status == "claimed" and (claimant.exclusive or r.lease_until is None or r.lease_until <= now)
        ]

    async def send(self, item: Row, *, late: bool) -> int:
        steps = self.plan.get(item.id, [])
        step = steps.pop(0) if steps else None
        if isinstance(step, Exception):
            raise step
        message_id = 1000 + item.id
        self.sent.append(item.id)
        self.channel[item.id] = message_id
        if step == "die after send":
            raise KeyboardInterrupt  # the process dies before the row is marked
        return message_id

    async def take_over(self, item: Row, now: dt.datetime, claimant: Claimant) -> Row | None:
        current = self.rows[item.id]
        run_out = current.lease_until is None or current.lease_until <= now
        if current.status != "claimed" or not (claimant.exclusive or run_out):
            return None
        taken = replace(current, owner=claimant.owner, lease_until=now + claimant.lease)
        self.rows[item.id] = taken
        return taken

    async def find_sent(self, item: Row) -> int | None:
        await asyncio.sleep(0)  # a request: another process may run meanwhile
        if self.lookup_fails:
            raise ConnectionError("history unavailable")
        return self.channel.get(item.id)

    def _held(self, item: Row) -> bool:
        """As the repositories' guard: still claimed, and by the item's owner."""
        current = self.rows[item.id]
        return current.status == "claimed" and (item.owner is None or current.owner == item.owner)

    async def mark_sent(self, item: Row, message_id: int, now: dt.datetime) -> None:
        if self._held(item):
            self.rows[item.id] = replace(self.rows[item.id], status="sent", message_id=message_id)

    async def release(
        self, item: Row, wake_at: dt.datetime, error: str | None, *, uncount: bool = False
    ) -> None:
        if self._held(item):
            current = self.rows[item.id]
            attempts = current.attempts - 1 if uncount else current.attempts
            self.rows[item.id] = replace(current, status="pending", wake_at=wake_at, attempts=attempts)

    async def fail(self, item: Row, failure: Failure, error: str, now: dt.datetime) -> str:
        if self._held(item):
            self.rows[item.id] = replace(self.rows[item.id], status="failed", outcome=failure.value)
        return failure.value


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def scheduler() -> Any:
    scheduler = AsyncIOScheduler(timezone=dt.UTC)
    scheduler.start(paused=True)  # jobs are inspected, never run by the scheduler here
    yield scheduler
    scheduler.shutdown(wait=False)


def outbox(
    client: MemoryClient, scheduler: Any, clock: Clock, claimant: Claimant | None = None, **retry: Any
) -> Outbox[Row]:
    return Outbox(client, scheduler, clock, RetryPolicy(**retry), claimant)


def shared(owner: str) -> Claimant:
    """A process among several on the database (SHARD_IDS set): leases decide."""
    return Claimant(owner, dt.timedelta(minutes=2), exclusive=False)


async def test_due_rows_are_sent_once_and_marked(scheduler: Any, clock: Clock) -> None:
    client = MemoryClient(
        [Row(1, T0), Row(2, T0), Row(3, T0 + dt.timedelta(hours=1), wake_at=T0 + dt.timedelta(hours=1))]
    )
    engine = outbox(client, scheduler, clock)
    report = await engine.run_due()
    assert report.sent == 2 and client.sent == [1, 2]
    assert [client.rows[i].status for i in (1, 2, 3)] == ["sent", "sent", "pending"]
    assert (await engine.run_due()).sent == 0  # nothing twice
    job = scheduler.get_job("test:wake")
    assert job is not None and job.next_run_time == T0 + dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("tries", "retry_after", "expected"),
    [(1, None, 30), (2, None, 60), (3, None, 120), (6, None, 900), (1, 45.0, 45), (1, 5000.0, 900)],
)
def test_backoff_doubles_and_is_capped(tries: int, retry_after: float | None, expected: float) -> None:
    assert RetryPolicy(backoff_seconds=30, cap_seconds=900).backoff(tries, retry_after) == expected


async def test_transient_failures_back_off_then_give_up_after_the_maximum(
    scheduler: Any, clock: Clock
) -> None:
    client = MemoryClient([Row(1, T0)], plan={1: [DeliveryTransient("HTTP 503")] * 10})
    engine = outbox(client, scheduler, clock, max_tries=3, backoff_seconds=30)
    waits = []
    for _ in range(3):
        await engine.run_due()
        row = client.rows[1]
        if row.status == "pending":
            waits.append((row.wake_at - clock.now).total_seconds())
            clock.now = row.wake_at
    assert waits == [30, 60]
    assert client.rows[1].status == "failed" and client.rows[1].outcome == "exhausted"
    assert client.rows[1].attempts == 3 and client.sent == []


async def test_an_unexpected_error_is_retried_like_a_transient_one(scheduler: Any, clock: Clock) -> None:
    client = MemoryClient([Row(1, T0)], plan={1: [ValueError("bug in a renderer")]})
    engine = outbox(client, scheduler, clock)
    report = await engine.run_due()
    assert report.retried == 1 and client.rows[1].status == "pending"
    clock.now = client.rows[1].wake_at
    assert (await engine.run_due()).sent == 1


@pytest.mark.parametrize(
    ("error", "outcome"),
    [(DeliveryClosed("50007"), "closed"), (DeliveryGone("HTTP 400: Invalid Form Body"), "gone")],
)
async def test_permanent_failures_are_handed_to_the_client_at_once(
    scheduler: Any, clock: Clock, error: Exception, outcome: str
) -> None:
    client = MemoryClient([Row(1, T0)], plan={1: [error]})
    report = await outbox(client, scheduler, clock).run_due()
    assert report.outcomes == (outcome,)
    assert client.rows[1].attempts == 1 and client.rows[1].outcome == outcome


async def test_a_row_claimed_by_a_crash_after_its_message_left_is_marked_not_resent(
    scheduler: Any, clock: Clock
) -> None:
    client = MemoryClient([Row(1, T0)], plan={1: ["die after send"]})
    with pytest.raises(KeyboardInterrupt):
        await outbox(client, scheduler, clock).run_due()
    assert client.rows[1].status == "claimed" and client.sent == [1]

    restarted = outbox(client, scheduler, clock)  # a new process on the same rows
    await restarted.start()
    assert scheduler.get_job("test:wake").next_run_time == clock.now  # wakes at once for the claimed row
    await restarted.run_due()
    assert client.sent == [1] and client.rows[1].status == "sent" and client.rows[1].message_id == 1001


async def test_a_row_claimed_by_a_crash_before_sending_is_sent_once(scheduler: Any, clock: Clock) -> None:
    client = MemoryClient([Row(1, T0, attempts=1, status="claimed")])
    await outbox(client, scheduler, clock).run_due()
    assert client.sent == [1] and client.rows[1].status == "sent"


async def test_a_failed_look_up_keeps_the_row_claimed_and_looks_again(scheduler: Any, clock: Clock) -> None:
    client = MemoryClient([Row(1, T0, attempts=1, status="claimed")])
    client.lookup_fails = True
    engine = outbox(client, scheduler, clock)
    await engine.run_due()
    assert client.sent == [] and client.rows[1].status == "claimed"
    assert scheduler.get_job("test:wake").next_run_time == clock.now + dt.timedelta(minutes=1)
    client.lookup_fails = False
    clock.now += dt.timedelta(minutes=1)
    await engine.run_due()
    assert client.sent == [1]


async def test_a_look_up_that_can_never_succeed_fails_the_row_as_gone(scheduler: Any, clock: Clock) -> None:
    client = MemoryClient([Row(1, T0, attempts=1, status="claimed")])

    async def forbidden(item: Row) -> int | None:
        raise DeliveryGone("403 Missing Access: cannot read the channel's history")

    client.find_sent = forbidden  # type: ignore[method-assign]
    await outbox(client, scheduler, clock).run_due()
    assert client.sent == [] and client.rows[1].status == "failed" and client.rows[1].outcome == "gone"


async def test_late_rows_are_flagged_late(scheduler: Any, clock: Clock) -> None:
    seen: list[bool] = []
    client = MemoryClient([Row(1, T0 - dt.timedelta(hours=3)), Row(2, T0 - dt.timedelta(minutes=2))])
    original = client.send

    async def spy(item: Row, *, late: bool) -> int:
        seen.append(late)
        return await original(item, late=late)

    client.send = spy  # type: ignore[method-assign]
    await outbox(client, scheduler, clock, late_after=dt.timedelta(minutes=10)).run_due()
    assert seen == [True, False]


async def test_stop_drains_and_removes_the_wake_up_job(scheduler: Any, clock: Clock) -> None:
    client = MemoryClient([Row(1, T0 + dt.timedelta(hours=1), wake_at=T0 + dt.timedelta(hours=1))])
    engine = outbox(client, scheduler, clock, shared("a"))
    await engine.start()
    assert scheduler.get_job("test:wake") is not None
    assert scheduler.get_job("test:poll") is not None
    await engine.stop()
    assert scheduler.get_job("test:wake") is None
    assert scheduler.get_job("test:poll") is None


async def test_a_claim_records_its_owner_and_lease(scheduler: Any, clock: Clock) -> None:
    client = MemoryClient([Row(1, T0)], plan={1: ["die after send"]})
    with pytest.raises(KeyboardInterrupt):
        await outbox(client, scheduler, clock, shared("a")).run_due()
    assert client.rows[1].owner == "a" and client.rows[1].lease_until == T0 + dt.timedelta(minutes=2)


async def test_another_process_leaves_a_live_claim_alone_and_resolves_it_after_the_lease(
    scheduler: Any, clock: Clock
) -> None:
    """Two processes on the rows: A claims a batch of two and dies after sending the first. B neither
    resends nor marks them while A's lease holds; after it, B finds the first by its marker (marked sent,
    not resent) and sends the second: each message once."""
    client = MemoryClient([Row(1, T0), Row(2, T0), Row(3, T1, wake_at=T1)], plan={1: ["die after send"]})
    with pytest.raises(KeyboardInterrupt):
        await outbox(client, scheduler, clock, shared("a")).run_due()
    assert [client.rows[i].status for i in (1, 2)] == ["claimed", "claimed"] and client.sent == [1]

    b = outbox(client, scheduler, clock, shared("b"))
    clock.now += dt.timedelta(minutes=1)  # A's lease still holds; row 3 is due
    report = await b.run_due()
    assert report.outcomes == ("sent",) and client.sent == [1, 3]
    assert [client.rows[i].status for i in (1, 2)] == ["claimed", "claimed"]
    assert scheduler.get_job("test:wake") is None  # nothing of B's to do

    clock.now += dt.timedelta(minutes=1)  # the lease ran out: B's safety poll sees it
    await b.poll()
    assert scheduler.get_job("test:wake").next_run_time == clock.now
    await b.run_due()
    assert client.sent == [1, 3, 2]
    assert [client.rows[i].status for i in (1, 2)] == ["sent", "sent"] and client.rows[1].message_id == 1001


async def test_an_exclusive_process_resolves_every_claim_at_once(scheduler: Any, clock: Clock) -> None:
    """The only process on its database (no SHARD_IDS): a claim with a live lease is its previous run's."""
    client = MemoryClient(
        [Row(1, T0, attempts=1, status="claimed", owner="old", lease_until=T0 + dt.timedelta(minutes=2))]
    )
    await outbox(client, scheduler, clock, Claimant("new")).run_due()
    assert client.sent == [1] and client.rows[1].status == "sent"


async def test_a_batch_that_outlives_half_its_lease_hands_the_rest_back_unsent(
    scheduler: Any, clock: Clock
) -> None:
    client = MemoryClient([Row(i, T0) for i in range(1, 4)])
    original = client.send

    async def slow(item: Row, *, late: bool) -> int:
        clock.now += dt.timedelta(seconds=61)  # one stalled send uses over half the 2-minute lease
        return await original(item, late=late)

    client.send = slow  # type: ignore[method-assign]
    report = await outbox(client, scheduler, clock, shared("a")).run_due()
    assert report.sent == 1 and client.sent == [1]
    assert [client.rows[i].status for i in (2, 3)] == ["pending", "pending"]
    assert client.rows[2].wake_at == clock.now
    assert [client.rows[i].attempts for i in (2, 3)] == [0, 0]  # handed back unsent: not a try


async def test_claims_come_in_small_batches_until_nothing_is_due(scheduler: Any, clock: Clock) -> None:
    client = MemoryClient([Row(i, T0) for i in range(1, 2 * BATCH + 2)])
    report = await outbox(client, scheduler, clock).run_due()
    assert report.sent == 2 * BATCH + 1 and client.sent == list(range(1, 2 * BATCH + 2))


async def test_the_safety_poll_plans_a_wake_up_for_rows_another_process_added(
    scheduler: Any, clock: Clock
) -> None:
    client = MemoryClient([])
    engine = outbox(client, scheduler, clock, shared("a"))
    await engine.start()
    assert scheduler.get_job("test:wake") is None
    client.rows[1] = Row(1, T0 + dt.timedelta(minutes=5), wake_at=T0 + dt.timedelta(minutes=5))
    await engine.poll()
    assert scheduler.get_job("test:wake").next_run_time == T0 + dt.timedelta(minutes=5)


async def test_the_only_process_on_its_database_does_not_poll(scheduler: Any, clock: Clock) -> None:
    await outbox(MemoryClient([]), scheduler, clock, Claimant("only")).start()
    assert scheduler.get_job("test:poll") is None


async def test_deliveries_keep_to_the_pacers_share_of_the_global_limit(scheduler: Any, clock: Clock) -> None:
    """Each send makes one request (noted, as discord.py's wrapped HTTP client does); the outbox waits for
    room before each: 30 sends at 10 a second with a burst of 5 take 2.5 seconds."""
    from tests.core.test_pacing import VirtualTime

    time = VirtualTime()
    pacer = Pacer(10, 5, now=time, sleep=time.sleep)
    client = MemoryClient([Row(i, T0) for i in range(1, 31)])
    original = client.send

    async def one_request(item: Row, *, late: bool) -> int:
        pacer.note()
        return await original(item, late=late)

    client.send = one_request  # type: ignore[method-assign]
    engine = Outbox(client, scheduler, clock, RetryPolicy(), pacer=pacer)
    report = await engine.run_due()
    assert report.sent == 30
    assert time.now == pytest.approx(2.5)


async def test_two_processes_resolving_the_same_dead_claim_send_it_once(scheduler: Any, clock: Clock) -> None:
    """A dies holding a claim; after the lease B and C both look at it at the same moment. Only the one
    that takes it over resolves it: one message."""
    client = MemoryClient([Row(1, T0, attempts=1, status="claimed", owner="a", lease_until=T1)])
    clock.now = T0 + dt.timedelta(minutes=3)
    b, c = outbox(client, scheduler, clock, shared("b")), outbox(client, scheduler, clock, shared("c"))
    await asyncio.gather(b.run_due(), c.run_due())
    assert client.sent == [1] and client.rows[1].status == "sent"


async def test_a_process_whose_lease_ran_out_cannot_undo_the_claim_that_replaced_it(
    scheduler: Any, clock: Clock
) -> None:
    client = MemoryClient([Row(1, T0)])
    (stale,) = await client.claim_due(T0, 1, Lease("a", T1))  # A claims, then stalls past its lease
    clock.now = T0 + dt.timedelta(minutes=3)
    fresh = await client.take_over(stale, clock.now, shared("b"))
    assert fresh is not None and fresh.owner == "b"
    await client.release(stale, clock.now, "A wakes up and gives up")  # ignored: B holds it now
    await client.mark_sent(stale, 99, clock.now)
    assert client.rows[1].status == "claimed" and client.rows[1].owner == "b"


async def test_a_due_row_another_process_holds_is_looked_at_again_in_a_minute(
    scheduler: Any, clock: Clock
) -> None:
    """A row due but not claimable (another process is on it): no wake-up in the past, which would run
    again at once, over and over; a look in a minute instead."""
    client = MemoryClient([Row(1, T0)])
    client.locked.add(1)
    engine = outbox(client, scheduler, clock, shared("b"))
    await engine.run_due()
    assert scheduler.get_job("test:wake").next_run_time == clock.now + dt.timedelta(minutes=1)
