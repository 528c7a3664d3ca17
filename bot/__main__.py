"""``python -m bot``: start the bot. Settings -> store -> Bot; nothing else happens here."""

from __future__ import annotations

import asyncio
import logging
import sys

import discord

from bot.app import StudyBot
from bot.policy import PolicyError, load_policy
from bot.settings import Settings, SettingsError, load_settings
from bot.store import Store

log = logging.getLogger("bot")

USAGE = "usage: python -m bot            start the bot (settings from .env or the environment)"


async def run(settings: Settings) -> None:
    policy = load_policy()
    store = await Store.open(settings.database_path)
    bot = StudyBot(settings=settings, store=store, policy=policy)
    try:
        async with bot:
            await bot.start(settings.discord_token.get_secret_value())
    finally:
        await store.close()


def main(argv: list[str]) -> int:
    if argv:
        print(USAGE, file=sys.stderr)
        return 2
    try:
        settings = load_settings()
        load_policy()
    except (SettingsError, PolicyError) as error:
        print(f"Cannot start: {error}", file=sys.stderr)
        return 2
    discord.utils.setup_logging(level=getattr(logging, settings.log_level))
    try:
        asyncio.run(run(settings))
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
