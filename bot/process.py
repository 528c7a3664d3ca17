"""The process around the bot: what its log looks like, and how it stops (for the bot and the preview).

- The bot's own loggers (``bot.*``) log at ``LOG_LEVEL``; third-party ones (discord.py, aiosqlite,
  APScheduler, asyncio) at ``LOG_LEVEL_LIBRARIES``, which defaults to INFO (or ``LOG_LEVEL`` if that is
  quieter), so ``LOG_LEVEL=DEBUG`` shows the bot's detail without a line per database call. By default
  APScheduler's four lines per wake-up ("Added job", "Running job", ...) and Alembic's lines at every
  start ("Context impl ...") are left out too (the bot logs each migration it applies itself).
- Colors only on a terminal (and never with ``NO_COLOR`` set): systemd's journal, docker logs and files
  get plain lines.
- A lost connection to Discord after start-up is not an error: discord.py reconnects on its own. Its
  traceback on every retry becomes one calm warning per outage.
- SIGINT (Ctrl-C) and SIGTERM (``systemctl stop``, ``docker stop``) both ask for a clean stop.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

import discord
from discord.utils import MISSING

#: The plain format (discord.py's own, without colors).
PLAIN = logging.Formatter("[{asctime}] [{levelname:<8}] {name}: {message}", "%Y-%m-%d %H:%M:%S", style="{")
OUR_LOGGER = "bot"
#: Libraries whose INFO lines are routine chatter: at WARNING unless LOG_LEVEL_LIBRARIES is set.
CHATTY = ("apscheduler", "alembic")


def library_level(level: str, libraries: str | None) -> int:
    """Third-party loggers: as asked, else INFO, or quieter when the bot's own level is quieter."""
    if libraries is not None:
        return logging.getLevelNamesMapping()[libraries]
    return max(logging.INFO, logging.getLevelNamesMapping()[level])


def wants_colour(stream: TextIO) -> bool:
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()


def setup_logging(level: str = "INFO", libraries: str | None = None, *, stream: TextIO | None = None) -> None:
    """One handler on the root logger (replacing ours from an earlier call), levels as described above."""
    stream = stream if stream is not None else sys.stderr
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "studybot", False)]:
        root.removeHandler(old)
    handler = logging.StreamHandler(stream)
    handler.studybot = True  # type: ignore[attr-defined]
    # discord.py picks its color formatter for a terminal when no formatter is given.
    formatter = MISSING if wants_colour(stream) else PLAIN
    discord.utils.setup_logging(handler=handler, formatter=formatter, level=library_level(level, libraries))
    logging.getLogger(OUR_LOGGER).setLevel(level)
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.NOTSET if libraries else logging.WARNING)
    notice = ReconnectNotice()
    for name in ReconnectNotice.LOGGERS:
        logger = logging.getLogger(name)
        for stale in [f for f in logger.filters if isinstance(f, ReconnectNotice)]:
            logger.removeFilter(stale)
        logger.addFilter(notice)


class ReconnectNotice(logging.Filter):
    """discord.py logs a traceback on every reconnect attempt; say it once per outage, calmly."""

    LOGGERS = ("discord.client", "discord.gateway", "discord.shard")
    #: The plain client's retry line, and AutoShardedBot's (one per shard: still one notice per outage).
    RETRY = ("Attempting a reconnect in %.2fs", "Attempting a reconnect for shard ID %s in %.2fs")
    BACK = ("has connected to Gateway", "has successfully RESUMED")

    def __init__(self) -> None:
        super().__init__()
        self.outage = False

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg in self.RETRY:
            if self.outage:
                return False
            self.outage = True
            cause = record.exc_info[1] if record.exc_info else None
            record.msg = "lost the connection to Discord (%s); discord.py keeps reconnecting on its own"
            record.args = (describe_exception(cause),)
            record.exc_info = record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.name = "discord.client"  # the same documented line, sharded or not
        elif self.outage and any(marker in str(record.msg) for marker in self.BACK):
            self.outage = False
            record.msg = f"connection to Discord is back: {record.msg}"
        return True


def describe_exception(error: BaseException | None) -> str:
    if error is None:
        return "no reason given"
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


@contextmanager
def stop_on_signals(stop: Callable[[str], None]) -> Iterator[None]:
    """While inside, SIGINT and SIGTERM call ``stop(name)`` on the running loop instead of killing the
    process. The first signal removes the handlers, so a second one acts as usual (a forced stop).
    Where the loop cannot take signal handlers (Windows), Ctrl-C stays a KeyboardInterrupt."""
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []

    def handle(received: signal.Signals) -> None:
        for each in installed:
            loop.remove_signal_handler(each)
        stop(received.name)

    for each in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(each, handle, each)
        except (NotImplementedError, RuntimeError, ValueError):
            continue
        installed.append(each)
    try:
        yield
    finally:
        for each in installed:
            loop.remove_signal_handler(each)


def freeze_heap_when_ready(bot: discord.Client) -> None:
    """After start-up (the first READY), move everything alive into the permanent generation.

    The bank, the modules and the cogs live for the whole process; without this, each full collection
    walks them all and pauses the event loop (about 40 ms measured under a burst of /status)."""
    frozen = False

    async def on_ready() -> None:
        nonlocal frozen
        if not frozen:
            frozen = True
            gc.collect()
            gc.freeze()

    bot.add_listener(on_ready, "on_ready")  # type: ignore[attr-defined]
