"""What a client of the outbox implements (:class:`OutboxClient`), and the outcomes a send can have.
Imported through :mod:`bot.core.outbox`; no discord here either."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Iterable
from enum import StrEnum
from typing import Protocol, TypeVar

from bot.core.leases import Claimant, Lease


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

    async def claim_due(self, now: dt.datetime, limit: int, lease: Lease) -> list[T]:
        """Atomically take up to ``limit`` due rows under ``lease``, counting a try on each. A row another
        process holds is skipped, never waited for (``FOR UPDATE SKIP LOCKED`` on PostgreSQL)."""

    async def claimed(self, now: dt.datetime, claimant: Claimant) -> list[T]:
        """Claimed rows to resolve (a crash between claim and mark): those whose lease ran out, or every
        claimed row when ``claimant.exclusive`` (see :func:`bot.core.leases.recoverable`)."""

    async def send(self, item: T, *, late: bool) -> int:
        """Send with the row's nonce and marker; return the message id. Raises a Delivery* exception."""

    async def find_sent(self, item: T) -> int | None:
        """The id of an already-sent message carrying the row's marker, if any.

        Raises DeliveryGone when the look can never succeed (the row then fails as gone); any other
        error means "look again later"."""

    async def mark_sent(self, item: T, message_id: int, now: dt.datetime) -> None:
        """Record it sent. Like ``release`` and ``fail``, a write after a claim changes the row only while
        it is still claimed by the item's owner: a process whose lease ran out cannot undo another's."""

    async def take_over(self, item: T, now: dt.datetime, claimant: Claimant) -> T | None:
        """Atomically make a claimed row found by :meth:`claimed` this process's, under a fresh lease, if
        it is still claimed and still resolvable; None if another process took it first. Only the
        process that took it over looks it up and marks or releases it."""

    async def release(
        self, item: T, wake_at: dt.datetime, error: str | None, *, uncount: bool = False
    ) -> None:
        """Put a claimed row back, to be tried again at ``wake_at``; ``uncount``: it was handed back
        unsent, so its claim does not count as a try."""

    async def fail(self, item: T, failure: Failure, error: str, now: dt.datetime) -> str:
        """A permanent failure: record it (and fall back, pause ...); return the outcome's name."""


async def claim_each(rows: Iterable[T], claim: Callable[[T], Awaitable[T | None]]) -> list[T]:
    """``claim_due`` for a client whose due rows are prepared first (the daily post, the digest): claim
    each with one atomic ``UPDATE ... WHERE status = 'pending'``; a row someone else took is left out."""
    claimed = []
    for row in rows:
        if (taken := await claim(row)) is not None:
            claimed.append(taken)
    return claimed
