"""The SQL side of the outbox's leases: which claimed rows a process may resolve, and how a claim is
written. Every outbox table has ``owner`` and ``lease_until`` columns (migration 010).

A claim writes the claiming process's name and the lease's end. A claimed row is resolved (looked up
by its marker, then marked sent or released) only once its lease ran out: the process that claimed it
died or stalled. A row claimed before leases existed has no lease and is resolved at once. A process
that is the only one on its database resolves every claimed row at once (:attr:`Claimant.exclusive`).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from bot.db import utc_text


def process_name() -> str:
    """This process's name on the rows it claims: host, pid and a random tag (pids are reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass(frozen=True, slots=True)
class Lease:
    """A claim's owner and until when it holds."""

    owner: str
    until: dt.datetime


@dataclass(frozen=True, slots=True)
class Claimant:
    """Who claims rows, for how long, and whether another process could hold a claim.

    ``exclusive``: this is the only process on the database (no ``SHARD_IDS``), so any claimed row is one
    this process (or its previous run) left, and is resolved at once. Otherwise only rows whose lease ran
    out are resolved."""

    owner: str
    lease: dt.timedelta = dt.timedelta(minutes=2)
    exclusive: bool = True

    @classmethod
    def of(cls, lease_seconds: float, *, exclusive: bool) -> Claimant:
        return cls(process_name(), dt.timedelta(seconds=lease_seconds), exclusive)

    def lease_from(self, now: dt.datetime) -> Lease:
        return Lease(self.owner, now + self.lease)


def recoverable(lease_until: Any, now: dt.datetime, claimant: Claimant) -> Any:
    """A Core condition on a table's ``lease_until`` column: the claimed rows ``claimant`` may resolve."""
    if claimant.exclusive:
        return sa.true()
    return sa.or_(lease_until.is_(None), lease_until <= utc_text(now))


def claim_values(lease: Lease) -> dict[str, str]:
    """The columns a claim sets besides its status and try count."""
    return {"owner": lease.owner, "lease_until": utc_text(lease.until)}


def take_over(table: sa.Table, row_id: int, now: dt.datetime, claimant: Claimant) -> sa.Update:
    """The UPDATE that makes a claimed row whose lease ran out ``claimant``'s under a fresh lease (the
    caller adds RETURNING); it changes nothing if another process took it over first."""
    c = table.c
    return (
        sa.update(table)
        .where(c.id == row_id, c.status == "claimed", recoverable(c.lease_until, now, claimant))
        .values(**claim_values(claimant.lease_from(now)))
    )


def held(table: sa.Table, owner: str | None) -> tuple[Any, ...]:
    """Conditions for a write after a claim: still claimed, and by ``owner`` (rows claimed before leases
    have none), so a process whose lease ran out cannot undo the claim that replaced its own."""
    claimed = table.c.status == "claimed"
    return (claimed,) if owner is None else (claimed, table.c.owner == owner)


def released(table: sa.Table, *, uncount: bool) -> dict[str, Any]:
    """The columns a release sets back (besides its error and wake-up): pending again, and with
    ``uncount`` (handed back unsent) the claim's try taken back."""
    attempts = table.c.attempts - 1 if uncount else table.c.attempts
    return {"status": "pending", "attempts": attempts}
