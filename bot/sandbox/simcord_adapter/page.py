"""The preview page: the sandbox channel served on 127.0.0.1, its clock moved by /sandbox advance."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from bot.sandbox.simcord_adapter.world import ZONE, Sandbox, advance

log = logging.getLogger("bot.sandbox")


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
    """Serve the sandbox channel's page on 127.0.0.1, moving the clock on /sandbox advance."""
    requests: asyncio.Queue[float] = asyncio.Queue()
    sandbox.bot.sandbox_advance = requests.put_nowait
    async with sandbox.env.preview(
        sandbox.channel, viewers=list(sandbox.members), layout="channel", port=port, timezone=ZONE
    ) as preview:

        async def move_clock() -> None:
            while True:
                seconds = await requests.get()
                log.info("sandbox clock: advancing %.0f hours", seconds / 3600)
                try:
                    await advance(sandbox, seconds)
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
