"""A process's share of Discord's global rate limit, kept by the outbox before Discord has to say so.

Discord allows a bot 50 requests a second in all, across every process (interaction responses are
exempt), and answers more with 429s; more than 10,000 invalid requests (429s among them) in ten minutes
get the bot's address banned for an hour. discord.py waits out a 429 but learns the limit only by hitting
it, each process on its own: ``bench/processes_bench.py`` counted 238 429s for 6,000 reminders with one
process and 947 with four (the count grows with the processes).

So every REST request the process makes is counted here (:meth:`Pacer.note`, from a wrapper around
discord.py's ``HTTPClient.request``), and the outbox waits for room (:meth:`Pacer.room`) before each
delivery. Only the outbox waits: a member's command is never slowed down, and its requests still count.
The pacer is a leaky bucket: at most ``rate`` requests a second on average and ``burst`` at once, so any
one-second window sees at most ``rate + burst``. With several processes each keeps its share (its shards'
part of ``SHARD_COUNT``). Time is the event loop's (as ``asyncio.sleep``'s). No discord here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

#: Requests: a bucket this close to having room has it (float arithmetic never lands exactly on it).
TOLERANCE = 1e-6
MIN_WAIT = 0.001  # seconds


class Pacer:
    def __init__(
        self,
        rate: float,
        burst: float,
        *,
        now: Callable[[], float] = lambda: asyncio.get_running_loop().time(),
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError(f"a pacer needs a positive rate and a burst of at least 1, not {rate}, {burst}")
        self.rate = rate
        self.burst = burst
        self._now = now
        self._sleep = sleep
        self._level = 0.0
        self._at: float | None = None  # set on first use (the event loop's clock needs a running loop)
        #: Seconds the outbox waited in all (for the figures).
        self.waited = 0.0

    @classmethod
    def share_of(
        cls,
        global_rate: float,
        outbox_percent: int,
        shard_ids: tuple[int, ...] | None,
        shard_count: int | None,
    ) -> Pacer:
        """This process's pacer: ``outbox_percent`` of Discord's global limit is the outbox's (the rest is
        headroom for commands), split by shards when the process runs only some of them."""
        share = len(shard_ids) / shard_count if shard_ids is not None and shard_count else 1.0
        usable = global_rate * share
        burst = max(1.0, usable * (100 - outbox_percent) / 100)  # a request must fit, so one at least
        rate = usable - burst if usable > burst else usable / 2  # keep rate + burst within the share
        return cls(rate, burst)

    @property
    def level(self) -> float:
        """Requests still counted against the bucket now."""
        now = self._now()
        elapsed = now - self._at if self._at is not None else 0.0
        self._level = max(0.0, self._level - elapsed * self.rate)
        self._at = now
        return self._level

    def note(self, requests: int = 1) -> None:
        """Count requests made (never waits)."""
        self._level = self.level + requests

    async def room(self) -> None:
        """Wait until one more request fits in the bucket."""
        while (over := self.level + 1 - self.burst) > TOLERANCE:
            wait = max(over / self.rate, MIN_WAIT)  # never a sleep too short to move a clock
            self.waited += wait
            await self._sleep(wait)
