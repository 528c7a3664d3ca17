"""The outbox: the one engine behind every scheduled delivery (reminder DMs, the daily post, and later
review nudges and the weekly digest).

The database rows are the truth; APScheduler holds ONE date job per outbox, at the earliest due row
(``bench/reminders_bench.py`` shows why: one job per row costs minutes and megabytes at 100,000 rows).
When it fires, the engine:

1. resolves rows a crash left claimed: the client looks for the message's marker where it would have
   been sent; found means it is marked sent without sending again, not found means it is released and
   sent once; a failed look means it stays claimed and is looked at again a minute later;
2. claims each due row atomically (a row another run holds is skipped), sends it with a nonce, and
   marks it sent;
3. on a transient failure (429, 5xx, network) releases it with exponential backoff, capped, until the
   maximum number of tries, then gives up; on a permanent one (DMs closed, channel gone, no
   permission) hands it back to the client, which decides what that means (a fallback, a pause);
4. schedules the next wake-up.

A client implements :class:`OutboxClient` for its own rows; it never copies this logic. This module
imports no discord: :mod:`bot.core.delivery` translates discord.py's errors into the outcomes below.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from bot.clock import Clock
from bot.core.wakeup import WakeUp
from bot.policy import Policy

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

log = logging.getLogger(__name__)

BATCH = 200
RECHECK_CLAIMED = dt.timedelta(minutes=1)


class DeliveryClosed(Exception):
    """The recipient cannot receive it (a member's DMs are closed to the bot)."""


class DeliveryGone(Exception):
    """Never deliverable as it stands: the user, channel or permission is gone, or Discord refused it."""


class DeliveryTransient(Exception):
    """Try again later (429, 5xx, a network error)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class DeliverySkipped(Exception):
    """Nothing to send after all (a daily nudge with nothing due): the row ends without a message."""


class Failure(StrEnum):
    CLOSED = "closed"
    GONE = "gone"
    EXHAUSTED = "exhausted"  # every try failed transiently
    SKIPPED = "skipped"  # the client decided, when it came to send, that there was nothing to send


class Item(Protocol):
    """One outbox row as the engine sees it."""

    @property
    def id(self) -> int: ...

    @property
    def attempts(self) -> int:
        """Tries so far, counting the current claim."""

    @property
    def due_at(self) -> dt.datetime: ...


T = TypeVar("T", bound=Item)


class OutboxClient(Protocol[T]):
    """One kind of scheduled delivery: its rows, its message and what a permanent failure means."""

    name: str

    async def next_wake(self) -> dt.datetime | None:
        """The earliest instant a row falls due, or None."""

    async def due(self, now: dt.datetime, limit: int) -> list[T]: ...

    async def claim(self, item: T, now: dt.datetime) -> T | None:
        """Atomically take a due row (counting a try); None if it is gone or someone else has it."""

    async def claimed(self) -> list[T]:
        """Rows left claimed (a crash between claim and mark)."""

    async def send(self, item: T, *, late: bool) -> int:
        """Send with the row's nonce and marker; return the message id. Raises a Delivery* exception."""

    async def find_sent(self, item: T) -> int | None:
        """The id of an already-sent message carrying the row's marker, if any.

        Raises DeliveryGone when the look can never succeed (the row then fails as gone); any other
        error means "look again later"."""

    async def mark_sent(self, item: T, message_id: int, now: dt.datetime) -> None: ...

    async def release(self, item: T, wake_at: dt.datetime, error: str | None) -> None:
        """Put a claimed row back, to be tried again at ``wake_at``."""

    async def fail(self, item: T, failure: Failure, error: str, now: dt.datetime) -> str:
        """A permanent failure: record it (and fall back, pause ...); return the outcome's name."""


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
        self, client: OutboxClient[T], scheduler: AsyncIOScheduler, clock: Clock, retry: RetryPolicy
    ) -> None:
        self.client = client
        self.clock = clock
        self.retry = retry
        self.wakeup = WakeUp(scheduler, f"{client.name}:wake", self.run_due)

    async def start(self) -> None:
        """At start-up: wake for whatever is due, and at once for rows a crash left claimed."""
        await self.reschedule()
        if await self.client.claimed():
            self.wakeup.at(self.clock())

    async def stop(self) -> None:
        """Let a run in progress finish (bounded), then remove the wake-up job."""
        await self.wakeup.drain()
        self.wakeup.at(None)

    async def reschedule(self) -> None:
        wake = await self.client.next_wake()
        if await self.client.claimed():  # a row whose fate could not be checked yet: look again soon
            soon = self.clock() + RECHECK_CLAIMED
            wake = soon if wake is None else min(wake, soon)
        self.wakeup.at(wake)

    async def resolve_claimed(self) -> None:
        """Rows left claimed: only a clean look that finds nothing frees a row for sending again."""
        for item in await self.client.claimed():
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
                    batch = await self.client.due(now, BATCH)
                    for row in batch:
                        item = await self.client.claim(row, now)
                        if item is None:
                            continue
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
                await self.reschedule()
            except Exception:
                log.exception("could not schedule the next %s wake-up", self.client.name)
        return RunReport(sent, retried, failed, tuple(outcomes))

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
