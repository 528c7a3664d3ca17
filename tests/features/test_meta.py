"""Every cog: unique command names, a description on every command and option, and it loads."""

from __future__ import annotations

from pathlib import Path

from discord import app_commands

import bot.features
from bot.app import EXTENSIONS, StudyBot


def walk(bot: StudyBot) -> list[app_commands.Command | app_commands.Group]:  # type: ignore[type-arg]
    return list(bot.tree.walk_commands())


async def test_every_extension_loads_and_adds_commands(simcord_bot: StudyBot) -> None:
    for extension in EXTENSIONS:
        await simcord_bot.load_extension(extension)
    # Every feature package under bot/features/ is an extension, and each adds at least one cog of its own.
    features = sorted(
        p.name for p in (Path(bot.features.__file__).parent).iterdir() if (p / "__init__.py").exists()
    )
    assert tuple(f"bot.features.{name}._cog" for name in features) == EXTENSIONS
    owners = {type(cog).__module__.split(".")[2] for cog in simcord_bot.cogs.values()}
    assert owners == set(features)
    names = [c.qualified_name for c in walk(simcord_bot)]
    assert len(names) == len(set(names)), names
    assert {"status", "gate", "timezone", "privacy"} <= set(names)


async def test_every_command_and_option_is_described(simcord_bot: StudyBot) -> None:
    for extension in EXTENSIONS:
        await simcord_bot.load_extension(extension)
    for command in walk(simcord_bot):
        assert command.description and command.description != "…", command.qualified_name
        assert len(command.description) <= 100
        if isinstance(command, app_commands.Command):
            for parameter in command.parameters:
                assert parameter.description and parameter.description != "…", (
                    f"/{command.qualified_name} {parameter.name}"
                )


async def test_no_command_needs_a_privileged_intent(simcord_bot: StudyBot) -> None:
    intents = simcord_bot.intents
    assert not intents.members and not intents.presences and not intents.message_content
