"""``python -m bot``: start the bot. Settings -> store -> Bot; nothing else happens here."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sys

import discord
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app import StudyBot
from bot.db import SQLiteDatabase
from bot.features.quiz.bank import DEFAULT_BANK_DIR, BankError, QuestionBank, load_bank
from bot.features.quiz.bank.cli import main as check_questions
from bot.policy import Policy, PolicyError, load_policy
from bot.settings import Settings, SettingsError, load_settings

log = logging.getLogger("bot")

USAGE = """usage:
  python -m bot                          start the bot (settings from .env or the environment)
  python -m bot questions check [PATH]   check a question bank folder (default: data/questions)
  python -m bot preview [--port N]       try the bot offline in a browser (needs the [preview] extra)
  python -m bot screenshots [DIR]        save PNGs of scripted interactions (needs [preview] + chromium)"""


async def run(settings: Settings, policy: Policy, bank: QuestionBank) -> None:
    store = await SQLiteDatabase.open(settings.database_path)
    scheduler = AsyncIOScheduler(timezone=dt.UTC)
    bot = StudyBot(settings=settings, db=store, policy=policy, bank=bank, scheduler=scheduler)
    try:
        async with bot:
            await bot.start(settings.discord_token.get_secret_value())
    finally:
        await store.close()


def main(argv: list[str]) -> int:
    if argv[:2] == ["questions", "check"]:
        return check_questions(argv[2:])
    if argv[:1] == ["preview"]:
        from bot.sandbox.cli import preview_main

        return preview_main(argv[1:])
    if argv[:1] == ["screenshots"]:
        from bot.sandbox.cli import screenshots_main

        return screenshots_main(argv[1:])
    if argv:
        print(USAGE, file=sys.stderr)
        return 2
    try:
        settings = load_settings()
        policy = load_policy()
        bank = load_bank(DEFAULT_BANK_DIR, policy, near_duplicates=False)
    except (SettingsError, PolicyError) as error:
        print(f"Cannot start: {error}", file=sys.stderr)
        return 2
    except BankError as error:
        print(
            f"Cannot start: the question bank has errors ({len(error.problems)}); run "
            "`python -m bot questions check` to see them with line numbers",
            file=sys.stderr,
        )
        return 2
    discord.utils.setup_logging(level=getattr(logging, settings.log_level))
    try:
        asyncio.run(run(settings, policy, bank))
    except discord.LoginFailure:
        log.error("Discord refused the token: check DISCORD_TOKEN in .env (Bot -> Reset Token)")
        return 2
    except discord.PrivilegedIntentsRequired:
        log.error("Discord asked for privileged intents; this bot needs none. Check the bot's code.")
        return 2
    except KeyboardInterrupt:
        log.info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
