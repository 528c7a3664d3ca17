"""The outbox: the one engine behind every scheduled delivery (reminder DMs, the daily post, and later
review nudges and the weekly digest).

The database rows are the truth; APScheduler holds ONE date job per outbox, at the earliest due row
(``bench/reminders_bench.py`` shows why: one job per row costs minutes and megabytes at 100,000 rows).
When it fires, the engine:

1. resolves rows a crash left claimed: the client looks for the message's marker where it would have
   been sent; found means it is marked sent without sending again, not found means it is released and
   sent once; a failed look means it stays claimed and is looked at again a minute later;
2. claims due rows in small batches, atomically and with a lease (owner, lease_until): on PostgreSQL
   ``SELECT ... FOR UPDATE SKIP LOCKED``, so two processes never claim the same row and never wait on
   each other; sends each with a nonce, and marks it sent;
3. on a transient failure (429, 5xx, network) releases it with exponential backoff, capped, until the
   maximum number of tries, then gives up; on a permanent one (DMs closed, channel gone, no
   permission) hands it back to the client, which decides what that means (a fallback, a pause);
4. schedules the next wake-up.

Several processes (``SHARD_IDS``, on PostgreSQL) share the rows. A row is resolved in step 1 only when
its lease ran out (its process died or stalled), so a live process's claim is never touched; a process
that is the only one on its database (:attr:`Claimant.exclusive`) resolves every claimed row at once,
as before leases. With other processes on the database each also runs a safety poll (:data:`POLL_EVERY`):
rows another process added or left behind are found even when nothing wakes this one.

A client implements :class:`OutboxClient` for its own rows; it never copies this logic. This module
imports no discord: :mod:`bot.core.delivery` translates discord.py's errors into the outcomes below.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic

from bot.clock import Clock
from bot.core.leases import Claimant, Lease, process_name
from bot.core.outbox_contract import (
    DeliveryClosed,
    DeliveryGone,
    DeliverySkipped,
    DeliveryTransient,
    Failure,
    Item,
    OutboxClient,
    T,
)
from bot.core.pacing import Pacer
from bot.core.wakeup import WakeUp
from bot.policy import Policy

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

__all__ = [
    "BATCH",
    "POLL_EVERY",
    "Claimant",
    "DeliveryClosed",
    "DeliveryGone",
    "DeliverySkipped",
    "DeliveryTransient",
    "Failure",
    "Item",
    "Lease",
    "Outbox",
    "OutboxClient",
    "RetryPolicy",
    "RunReport",
]

log = logging.getLogger(__name__)

#: Rows claimed in one statement. Small, so a batch is sent well within its lease and several processes
#: share a burst instead of one taking it all.
BATCH = 20
RECHECK_CLAIMED = dt.timedelta(minutes=1)
#: How often each process looks at the rows even if nothing woke it (other processes' rows, run-out leases).
POLL_EVERY = dt.timedelta(minutes=1)
POLL_TIMEOUT = 10.0  # seconds: a poll stuck on the database gives up (and stop waits no longer)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_tries: int = 5
    backoff_seconds: float = 30.0
    cap_seconds: float = 900.0
    late_after: dt.timedelta = dt.timedelta(minutes=10)

    @classmethod
    def from_policy(cls, policy: Policy) -> RetryPolicy:
        return cls(
            max_tries=policy.max_send_attempts,
            backoff_seconds=policy.backoff_seconds,
            cap_seconds=policy.backoff_cap_seconds,
            late_after=dt.timedelta(minutes=policy.late_after_minutes),
        )

    def backoff(self, tries: int, retry_after: float | None) -> float:
        """Seconds to wait after ``tries`` failed tries: doubling from the base, at most the cap."""
        doubling = self.backoff_seconds * float(2 ** max(tries - 1, 0))
        return min(self.cap_seconds, max(retry_after or 0.0, doubling))


@dataclass(frozen=True, slots=True)
class RunReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    outcomes: tuple[str, ...] = ()


class Outbox(Generic[T]):
    """Delivers one client's rows exactly once; see the module docstring."""

    def __init__(
        self,
        client: OutboxClient[T],
        scheduler: AsyncIOScheduler,
        clock: Clock,
        retry: RetryPolicy,
        claimant: Claimant | None = None,
        pacer: Pacer | None = None,
    ) -> None:
        self.client = client
        self.clock = clock
        self.retry = retry
        self.claimant = claimant or Claimant(process_name())
        self.pacer = pacer
        self.scheduler = scheduler
        self.wakeup = WakeUp(scheduler, f"{client.name}:wake", self.run_due, clock)
        self._polling = asyncio.Lock()  # held by a safety poll; stop waits for it
        self.poll_job = f"{client.name}:poll"

    async def start(self) -> None:
        """At start-up: wake for whatever is due, and at once for rows a crash left claimed; with other
        processes on the database, also poll."""
        await self._look()
        if self.claimant.exclusive:  # one process: every row it adds wakes it; nothing else can
            return
        self.scheduler.add_job(
            self.poll,
            trigger="interval",
            seconds=POLL_EVERY.total_seconds(),
            id=self.poll_job,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
        )

    async def stop(self) -> None:
        """Stop polling, let a run in progress finish (bounded), then remove the wake-up job."""
        if self.scheduler.get_job(self.poll_job):
            self.scheduler.remove_job(self.poll_job)
        async with self._polling:  # a poll under way (bounded) finishes before the database closes
            pass
        await self.wakeup.drain()
        self.wakeup.at(None)

    async def poll(self) -> None:
        """The safety poll: plan the wake-up from the rows as they are now (another process may have
        added rows, or died holding some). Never raises."""
        if self.wakeup.busy.locked() or self._polling.locked():  # a run plans the next wake-up itself
            return
        try:
            async with self._polling, asyncio.timeout(POLL_TIMEOUT):
                await self._look()
        except Exception as error:
            log.warning(
                "%s: the safety poll could not read the rows (%s); trying again", self.client.name, error
            )

    async def _look(self) -> None:
        """Wake for whatever is due, and at once for claimed rows this process may resolve now."""
        if await self.reschedule():
            self.wakeup.at(self.clock())

    async def reschedule(self, floor: dt.datetime | None = None) -> bool:
        """Wake at the earliest due row (at ``floor`` if that row is already due but was not claimable),
        and soon for claimed rows to resolve; whether there are such rows."""
        wake = await self.client.next_wake()
        if wake is not None and floor is not None and wake <= self.clock():
            wake = floor
        if resolvable := bool(await self.client.claimed(self.clock(), self.claimant)):  # fate unknown: soon
            soon = self.clock() + RECHECK_CLAIMED
            wake = soon if wake is None else min(wake, soon)
        self.wakeup.at(wake)
        return resolvable

    async def resolve_claimed(self) -> None:
        """Rows left claimed: only a clean look that finds nothing frees a row for sending again."""
        for claimed in await self.client.claimed(self.clock(), self.claimant):
            item = await self.client.take_over(claimed, self.clock(), self.claimant)
            if item is None:  # another process is resolving it
                continue
            try:
                found = await self.client.find_sent(item)
            except DeliveryGone as error:  # cannot look, and never will (the channel or permission is gone)
                log.warning("%s %s: cannot check whether it was sent (%s)", self.client.name, item.id, error)
                await self.client.fail(item, Failure.GONE, str(error), self.clock())
                continue
            except Exception as error:
                log.warning(
                    "%s %s: could not check whether it was sent (%s); will look again",
                    self.client.name,
                    item.id,
                    error,
                )
                continue
            if found is not None:
                log.info("%s %s was sent before a restart; marking it sent", self.client.name, item.id)
                await self.client.mark_sent(item, found, self.clock())
            else:
                await self.client.release(item, self.clock(), "released after restart")

    async def run_due(self) -> RunReport:
        """Deliver every due row. Never raises: a failure is recorded on its row."""
        sent = retried = failed = 0
        outcomes: list[str] = []
        async with self.wakeup.busy:
            try:
                await self.resolve_claimed()
                while True:
                    now = self.clock()
                    lease = self.claimant.lease_from(now)
                    batch = await self.client.claim_due(now, BATCH, lease)
                    for index, item in enumerate(batch):
                        if self.pacer is not None:  # this process's share of Discord's global limit
                            await self.pacer.room()
                        if self._lease_short(lease):  # stalled: hand the rest back rather than risk it
                            await self._hand_back(batch[index:])
                            break
                        outcome = await self._deliver(item)
                        outcomes.append(outcome)
                        sent += outcome == "sent"
                        retried += outcome == "retry"
                        failed += outcome not in ("sent", "retry")
                    if len(batch) < BATCH:
                        break
            except Exception:
                log.exception(
                    "%s run failed; the rows stay in the database and will be retried", self.client.name
                )
            try:
                # Nothing could be claimed: a row still due is held by another process (a dead one's
                # lease, say). Look again in a minute, not at once and again and again.
                await self.reschedule(floor=None if outcomes else self.clock() + RECHECK_CLAIMED)
            except Exception:
                log.exception("could not schedule the next %s wake-up", self.client.name)
        return RunReport(sent, retried, failed, tuple(outcomes))

    def _lease_short(self, lease: Lease) -> bool:
        """Less than half the lease left: another process may soon resolve these rows, so none is sent."""
        return self.clock() >= lease.until - self.claimant.lease / 2

    async def _hand_back(self, items: list[T]) -> None:
        log.warning(
            "%s: the batch took over half its lease; handing %d rows back unsent",
            self.client.name,
            len(items),
        )
        for item in items:
            await self.client.release(
                item, self.clock(), "handed back: the lease was running out", uncount=True
            )

    async def _deliver(self, item: T) -> str:
        late = self.clock() - item.due_at > self.retry.late_after
        try:
            message_id = await self.client.send(item, late=late)
        except DeliverySkipped as error:
            return await self.client.fail(item, Failure.SKIPPED, str(error), self.clock())
        except DeliveryClosed as error:
            return await self.client.fail(item, Failure.CLOSED, str(error), self.clock())
        except DeliveryGone as error:
            log.warning("%s %s cannot be delivered: %s", self.client.name, item.id, error)
            return await self.client.fail(item, Failure.GONE, str(error), self.clock())
        except DeliveryTransient as error:
            return await self._retry(item, str(error), error.retry_after)
        except (asyncio.CancelledError, KeyboardInterrupt):
            raise
        except Exception as error:
            log.exception("%s %s failed unexpectedly", self.client.name, item.id)
            return await self._retry(item, repr(error), None)
        await self.client.mark_sent(item, message_id, self.clock())
        return "sent"

    async def _retry(self, item: T, error: str, retry_after: float | None) -> str:
        now = self.clock()
        if item.attempts >= self.retry.max_tries:
            log.warning(
                "%s %s: giving up after %d tries (%s)", self.client.name, item.id, item.attempts, error
            )
            return await self.client.fail(item, Failure.EXHAUSTED, error, now)
        wait = self.retry.backoff(item.attempts, retry_after)
        await self.client.release(item, now + dt.timedelta(seconds=wait), error)
        log.info("%s %s: %s; retrying in %.0f s", self.client.name, item.id, error, wait)
        return "retry"
