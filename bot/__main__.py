"""``python -m bot``: the command line (:mod:`bot.cli`), and start-up: settings -> database -> Bot.

Every problem a host can fix (a setting, the database file, the network, the token) stops start-up
with one line naming the cause and exit status 2, never a traceback. After start-up, SIGINT and
SIGTERM stop the bot cleanly: deliveries drained, the scheduler and the database closed, "stopped".
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sys
from pathlib import Path

import aiohttp
import discord
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app import StudyBot
from bot.cli import build_parser, run_command
from bot.db import Database, DatabaseUnavailable
from bot.db.connect import open_database
from bot.db.postgres import postgres_url, safe
from bot.features.quiz.bank import DEFAULT_BANK_DIR, BankError, QuestionBank, load_bank
from bot.policy import Policy, PolicyError, load_policy
from bot.process import describe_exception, freeze_heap_when_ready, setup_logging, stop_on_signals
from bot.settings import Settings, SettingsError, load_settings

log = logging.getLogger("bot")


class StartupError(Exception):
    """One line for the host: what stopped start-up and what to do."""


def main(argv: list[str]) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:  # --help (0) or a usage mistake (2): argparse has printed it
        return exit_.code if isinstance(exit_.code, int) else 2
    if args.command is not None:
        return run_command(args)
    if args.env_file is not None:
        return start(args.env_file, required=True)
    return start(Path(".env"))


def start(env_file: Path, *, required: bool = False) -> int:
    """Start the bot and run it until it stops; the process's exit status."""
    try:
        settings = load_settings(env_file, required=required)
        policy = load_policy()
        bank = load_bank(DEFAULT_BANK_DIR, policy, near_duplicates=False)
    except (SettingsError, PolicyError) as error:
        return cannot_start(str(error))
    except BankError as error:
        return cannot_start(
            f"the question bank has errors ({len(error.problems)}); run "
            "`python -m bot questions check` to see them with line numbers"
        )
    setup_logging(settings.log_level, settings.log_level_libraries)
    try:
        stopped_by = asyncio.run(run(settings, policy, bank))
    except StartupError as error:
        return cannot_start(str(error))
    except KeyboardInterrupt:  # where signals cannot be handled on the loop (Windows)
        stopped_by = "Ctrl-C"
    log.info("stopped%s", f" ({stopped_by})" if stopped_by else "")
    return 0


def cannot_start(reason: str) -> int:
    print(f"Cannot start: {reason}", file=sys.stderr, flush=True)
    return 2


async def run(settings: Settings, policy: Policy, bank: QuestionBank) -> str | None:
    """Run until Discord closes the connection for good or a stop signal; returns the signal's name."""
    stop = asyncio.Event()
    received: list[str] = []

    def request_stop(name: str) -> None:
        received.append(name)
        log.info("%s received: stopping (draining deliveries, closing the database)", name)
        stop.set()

    with stop_on_signals(request_stop):
        store = await open_store(settings)
        scheduler = AsyncIOScheduler(timezone=dt.UTC)
        bot = StudyBot(settings=settings, db=store, policy=policy, bank=bank, scheduler=scheduler)
        freeze_heap_when_ready(bot)
        try:
            async with bot:
                await serve(bot, settings.discord_token.get_secret_value(), stop)
        finally:
            await store.close()
    return received[0] if received else None


async def open_store(settings: Settings) -> Database:
    """The configured database, opened and migrated; a StartupError naming the setting if it cannot be."""
    path = settings.database_path.resolve()
    url = settings.database_url.get_secret_value() if settings.database_url else None
    try:
        store = await open_database(url, path)
    except DatabaseUnavailable as error:
        if url:
            raise StartupError(
                f"DATABASE_URL {error}: check the host, port, user, password and database name"
            ) from None
        raise StartupError(
            f"DATABASE_PATH {path} cannot be used ({error}): point it at the bot's SQLite file, "
            "or at a new file name to create one"
        ) from None
    log.info("database: %s", safe(postgres_url(url)) if url else path)
    return store


async def serve(bot: StudyBot, token: str, stop: asyncio.Event) -> None:
    """``bot.start`` until it ends or ``stop`` is set; then close the bot (the features drain first)."""
    running = asyncio.create_task(bot.start(token))
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if not running.done():
        await bot.close()
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)  # stopping: nothing left to report
        return
    try:
        running.result()
    except Exception as error:
        raise StartupError(describe_start_failure(error)) from None


def describe_start_failure(error: Exception) -> str:
    """The host's line for an error that ended ``bot.start()``, or the error itself again if it is a bug.

    Such an error happened while logging in or syncing commands: after that, discord.py handles
    connection trouble itself by reconnecting."""
    cause = describe_exception(error)
    if isinstance(error, discord.LoginFailure):
        return "Discord refused the token: check DISCORD_TOKEN (developer portal -> Bot -> Reset Token)"
    if isinstance(error, discord.PrivilegedIntentsRequired):
        return "Discord asked for privileged intents; this bot needs none. Check the bot's code."
    if isinstance(error, (aiohttp.ClientError, OSError, asyncio.TimeoutError)):
        return f"could not reach Discord ({cause}): check this machine's network connection and DNS"
    if isinstance(error, discord.GatewayNotFound):  # AutoShardedBot asks for it outside the retry loop
        return f"Discord did not say how to connect to its gateway ({cause}): try again later"
    if isinstance(error, discord.HTTPException):
        return f"Discord answered with an error while the bot was starting ({cause}): try again later"
    raise error


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
