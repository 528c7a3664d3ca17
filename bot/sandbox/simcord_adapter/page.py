"""The preview page: the sandbox channel served on 127.0.0.1, its clock moved by real time and by
/sandbox advance.

The sandbox's clock is simcord's virtual clock. While the page is open it follows real time: before
each page action it moves forward by the real time since the last move (so "You took 12 s" is true and
pacing shows), and /sandbox advance jumps it further. One lock orders the two, so a page action never
overlaps a clock move (simcord allows one operation at a time; an overlap would fail the action).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any

from bot.sandbox import text
from bot.sandbox._cog import guild_zone
from bot.sandbox.simcord_adapter.world import ZONE, Sandbox, advance

log = logging.getLogger("bot.sandbox")

#: simcord's page shows a channel's newest 50 messages; older ones sit behind "Load earlier messages".
PAGE_WINDOW = 50
#: Real time shorter than this is not worth a clock move.
MIN_STEP = 0.5


class RealTime:
    """Moves the sandbox clock by the real time that passed since it last moved."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.lock = asyncio.Lock()  # held by every clock move and every page action
        self._mark = time.monotonic()

    async def catch_up(self) -> None:
        """Call with :attr:`lock` held."""
        now = time.monotonic()
        if now - self._mark < MIN_STEP:
            return
        elapsed, self._mark = now - self._mark, now
        await advance(self.sandbox, elapsed)


def _catch_up_before_each_action(preview: Any, real_time: RealTime) -> None:
    """Every page action first brings the clock up to real time (simcord's page dispatches each
    action through ``_action``; this is the one place the sandbox reaches into it)."""
    dispatch: Callable[[str | None, Mapping[str, Any]], Awaitable[dict[str, Any]]] = preview._action

    async def action(context_id: str | None, body: Mapping[str, Any]) -> dict[str, Any]:
        async with real_time.lock:
            try:
                await real_time.catch_up()
            except Exception:
                log.exception("could not move the sandbox clock to real time")
            return await dispatch(context_id, body)

    preview._action = action


class PreviewSession:
    """The running page: its address, what it renders, and how it ends."""

    def __init__(self, preview: Any, clock_requests: asyncio.Queue[float]) -> None:
        self._preview = preview
        self._clock_requests = clock_requests

    async def clock_moved(self) -> None:
        """Wait until every /sandbox advance asked for so far has been carried out."""
        await self._clock_requests.join()

    @property
    def url(self) -> str:
        return str(self._preview.url)

    async def rendered(self) -> dict[str, Any]:
        """The conversation as the page renders it (simcord's structured projection)."""
        return dict(await self._preview.snapshot())

    async def wait_closed(self) -> None:
        await self._preview.wait_closed()

    async def close(self) -> None:
        await self._preview.close()


@asynccontextmanager
async def open_preview(sandbox: Sandbox, *, port: int | None = None) -> AsyncIterator[PreviewSession]:
    """Serve the sandbox channel's page on 127.0.0.1; its clock follows real time and /sandbox advance."""
    requests: asyncio.Queue[float] = asyncio.Queue()
    sandbox.bot.sandbox_advance = requests.put_nowait
    async with sandbox.env.preview(
        sandbox.channel, viewers=list(sandbox.members), layout="channel", port=port, timezone=ZONE
    ) as preview:
        real_time = RealTime(sandbox)
        _catch_up_before_each_action(preview, real_time)

        async def move_clock() -> None:
            while True:
                seconds = await requests.get()
                log.info("sandbox clock: advancing %.0f hours", seconds / 3600)
                try:
                    async with real_time.lock:
                        await real_time.catch_up()
                        before = len(sandbox.channel.history())
                        await advance(sandbox, seconds)
                        await _recap(sandbox, posted=len(sandbox.channel.history()) - before)
                        await preview.refresh()
                except Exception:
                    log.exception("could not move the sandbox clock")
                finally:
                    requests.task_done()

        mover = asyncio.create_task(move_clock())
        try:
            yield PreviewSession(preview, requests)
        finally:
            mover.cancel()
            sandbox.bot.sandbox_advance = None
    log.info("preview session ended")


async def _recap(sandbox: Sandbox, *, posted: int) -> None:
    """After /sandbox advance: the new local time, how much was posted, and where older posts went."""
    zone = await guild_zone(sandbox.bot, sandbox.guild.id)
    shown = len(sandbox.channel.history(viewer=sandbox.you)) + 1  # the page's default viewer, with the recap
    words = text.advanced(sandbox.now().astimezone(zone), posted, earlier_hidden=shown > PAGE_WINDOW)
    await sandbox.bot.get_partial_messageable(sandbox.channel.id).send(words)


async def serve_preview(
    sandbox: Sandbox, *, port: int | None, on_ready: Callable[[str], None], stop: asyncio.Event
) -> None:
    """Serve the page until "End preview session" or ``stop`` (Ctrl-C, SIGTERM)."""
    if stop.is_set():
        return
    async with open_preview(sandbox, port=port) as session:
        on_ready(session.url)
        closed = asyncio.ensure_future(session.wait_closed())
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({closed, stopping}, return_when=asyncio.FIRST_COMPLETED)
        closed.cancel()
        stopping.cancel()
