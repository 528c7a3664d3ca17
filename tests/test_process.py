"""The log a host reads (levels, colours, voice warnings, reconnects) and stopping on a signal."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import signal
from collections.abc import Iterator
from typing import Any

import discord
import pytest

from bot.app import StudyBot
from bot.process import setup_logging, stop_on_signals


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    filters = {name: list(logging.getLogger(name).filters) for name in ("discord.client", "discord.gateway")}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    logging.getLogger("bot").setLevel(logging.NOTSET)
    logging.getLogger("apscheduler").setLevel(logging.NOTSET)
    for name, kept in filters.items():
        logging.getLogger(name).filters[:] = kept


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("level", "libraries", "bot_debug", "library_debug", "library_info"),
    [
        ("DEBUG", None, True, False, True),  # DEBUG is the bot's; libraries stay at INFO
        ("DEBUG", "DEBUG", True, True, True),  # unless asked
        ("INFO", None, False, False, True),
        ("WARNING", None, False, False, False),  # quieter than INFO: libraries follow
        ("INFO", "WARNING", False, False, False),
    ],
)
def test_levels(
    level: str, libraries: str | None, bot_debug: bool, library_debug: bool, library_info: bool
) -> None:
    setup_logging(level, libraries, stream=io.StringIO())

    assert logging.getLogger("bot.features.quiz.daily").isEnabledFor(logging.DEBUG) is bot_debug
    for library in ("aiosqlite", "discord.gateway", "discord.http"):
        assert logging.getLogger(library).isEnabledFor(logging.DEBUG) is library_debug
        assert logging.getLogger(library).isEnabledFor(logging.INFO) is library_info


@pytest.mark.parametrize(("libraries", "shown"), [(None, False), ("INFO", True)])
def test_scheduler_chatter_only_when_asked(libraries: str | None, shown: bool) -> None:
    stream = io.StringIO()
    setup_logging("INFO", libraries, stream=stream)

    logging.getLogger("apscheduler.executors.default").info('Running job "Outbox.run_due"')
    logging.getLogger("apscheduler.scheduler").warning("Run time of job was missed")

    assert ("Running job" in stream.getvalue()) is shown
    assert "was missed" in stream.getvalue()


def test_debug_shows_the_bots_lines_but_not_aiosqlites() -> None:
    stream = io.StringIO()
    setup_logging("DEBUG", stream=stream)

    logging.getLogger("aiosqlite").debug("executing %s", "SELECT 1")
    logging.getLogger("bot.core.outbox").debug("claimed reminder 6")

    assert "claimed reminder 6" in stream.getvalue()
    assert "executing" not in stream.getvalue()


@pytest.mark.parametrize(
    ("stream", "no_color", "coloured"),
    [(io.StringIO(), False, False), (Terminal(), False, True), (Terminal(), True, False)],
)
def test_colours_only_on_a_terminal(
    stream: io.StringIO, no_color: bool, coloured: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr(discord.utils, "is_docker", lambda: True)  # discord.py would colour in docker

    setup_logging("INFO", stream=stream)
    logging.getLogger("bot").info("ready as EMR Study Bot")

    assert "ready as EMR Study Bot" in stream.getvalue()
    assert ("\x1b[" in stream.getvalue()) is coloured


def test_setting_up_twice_does_not_double_lines() -> None:
    stream = io.StringIO()
    setup_logging("INFO", stream=io.StringIO())
    setup_logging("INFO", stream=stream)
    logging.getLogger("bot").info("once")
    assert stream.getvalue().count("once") == 1


def test_no_voice_warnings(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch, settings: Any, policy: Any, bank: Any
) -> None:
    monkeypatch.setattr(discord.VoiceClient, "warn_nacl", True)  # as in a fresh process without PyNaCl
    monkeypatch.setattr(discord.VoiceClient, "warn_dave", True)

    StudyBot(settings=settings, db=None, policy=policy, bank=bank)  # type: ignore[arg-type]

    assert "voice will NOT be supported" not in caplog.text


def test_a_lost_connection_is_logged_once_per_outage_without_a_traceback() -> None:
    stream = io.StringIO()
    setup_logging("INFO", stream=stream)
    client, gateway = logging.getLogger("discord.client"), logging.getLogger("discord.gateway")

    def retry(error: Exception) -> None:
        try:
            raise error
        except Exception:
            client.exception("Attempting a reconnect in %.2fs", 1.5)  # as discord.py logs each retry

    retry(OSError("Cannot connect to host gateway.discord.gg:443 ssl:default [Network is unreachable]"))
    retry(OSError("Cannot connect to host gateway.discord.gg:443"))
    retry(OSError("Cannot connect to host gateway.discord.gg:443"))
    gateway.info("Shard ID %s has successfully RESUMED session %s.", None, "abc")
    retry(ConnectionResetError())

    lines = stream.getvalue().splitlines()
    assert "Traceback" not in stream.getvalue()
    assert len(lines) == 3, lines
    assert lines[0].endswith(
        "discord.client: lost the connection to Discord (OSError: Cannot connect to host "
        "gateway.discord.gg:443 ssl:default [Network is unreachable]); discord.py keeps reconnecting on its own"
    )
    assert "[WARNING ]" in lines[0]
    assert "connection to Discord is back: Shard ID None has successfully RESUMED session abc." in lines[1]
    assert "lost the connection to Discord (ConnectionResetError)" in lines[2]


async def test_a_signal_asks_for_a_stop_once() -> None:
    asked: list[str] = []
    stopped = asyncio.Event()

    def stop(name: str) -> None:
        asked.append(name)
        stopped.set()

    with stop_on_signals(stop):
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.wait_for(stopped.wait(), timeout=10)
    assert asked == ["SIGTERM"]
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # a second one would act as usual
