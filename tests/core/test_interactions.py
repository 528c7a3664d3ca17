"""A refusal is an answer, not a failure: it completes inside the command, never in the tree's error handler.

simcord (and its preview page) counts every exception that reaches ``CommandTree.on_error`` as a failed
interaction ("Action outcome uncertain", "The bot action failed"), and discord.py marks the interaction
``command_failed``. Refusals from a command's body, its checks and its transformers must all be answered
inside the command instead; only real bugs may reach the handler.
"""

from __future__ import annotations

from typing import Any

import discord
import pytest

from tests.conftest import World


def completions(bot: Any) -> list[str]:
    """Record every command discord.py saw complete normally (``app_command_completion``)."""
    seen: list[str] = []

    async def on_app_command_completion(interaction: discord.Interaction, command: Any) -> None:
        seen.append(command.qualified_name)

    bot.add_listener(on_app_command_completion)
    return seen


@pytest.mark.parametrize(
    ("command", "options", "expected"),
    [
        ("retake", {"score": 950}, "a passing result"),  # the command's body
        ("gate", {"gate": "course", "mark": "done", "date": "2026-02-30"}, "isn't a real date"),
        ("timezone", {"name": "Mars/Olympus_Mons"}, "isn't a time zone I know"),
    ],
)
async def test_a_refusal_completes_normally(
    world: World, env: Any, command: str, options: dict[str, Any], expected: str
) -> None:
    done = completions(env.bot)

    result = await world.alice.slash(world.channel, command, **options)

    assert result.ephemeral
    assert expected in result.response.content
    assert env.errors == []  # nothing reached the tree's error handler
    assert done == [command]


async def test_a_failed_check_is_answered_as_a_refusal(world: World, env: Any) -> None:
    done = completions(env.bot)

    result = await world.alice.slash(
        world.channel, "quiz setup", channel=world.channel, time="09:00", timezone="UTC"
    )

    assert result.ephemeral
    assert "Manage Server" in result.response.content
    assert env.errors == []
    assert done == ["quiz setup"]


async def test_a_bug_still_reaches_the_handler_with_an_incident(
    simcord_env: Any, clock: Any, caplog: pytest.LogCaptureFixture
) -> None:
    clock.env = simcord_env  # simcord_env, not env: this test's error is on purpose
    guild = simcord_env.create_guild(name="EMR study group")
    channel = guild.create_text_channel("study")
    alice = guild.add_member(simcord_env.create_user("alice"))

    async def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug in a command")

    simcord_env.bot.member_state = boom
    result = await alice.slash(channel, "status")

    assert "Something went wrong on my side" in result.response.content
    assert "/status failed (incident" in caplog.text
    (error,) = simcord_env.errors
    assert isinstance(error.__cause__, RuntimeError)
