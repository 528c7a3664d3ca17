"""Buttons and forms under hostile input and restarts: bounded custom ids (issue 9, item 25), a form's
declared limits enforced on the server (item 26), and one answer for clicks nothing claims (item 21)."""

from __future__ import annotations

import importlib
import logging
import re
from typing import Any

import discord
import pytest

from bot.app import StudyBot
from bot.core.components import NUMBER
from bot.core.wording import UNCLAIMED_BUTTON, UNCLAIMED_FORM
from bot.db import SQLiteDatabase
from bot.features import extensions
from bot.features.quiz.bank import QuestionBank
from bot.features.quiz.repo import QuizRepository
from bot.features.quiz.views import DailyChoice, NowChoice
from tests.conftest import World, restarted

OVERLONG = "1" * 25
BEYOND_INT64 = "9" * 19  # 19 digits, but more than a 64-bit integer holds


def dynamic_items() -> list[type[discord.ui.DynamicItem[Any]]]:
    for name in extensions():
        importlib.import_module(name)
        importlib.import_module(name.rsplit(".", 1)[0])
    found: list[type[discord.ui.DynamicItem[Any]]] = []
    pending = list(discord.ui.DynamicItem.__subclasses__())
    while pending:
        item = pending.pop()
        pending += item.__subclasses__()
        if item.__module__.startswith("bot."):
            found.append(item)
    return found


def test_every_template_in_the_bot_bounds_its_numbers() -> None:
    templates = {item.__name__: item.__discord_ui_compiled_template__.pattern for item in dynamic_items()}
    assert {"NowChoice", "DailyChoice", "DeleteChoice"} <= set(templates)
    for name, pattern in templates.items():
        assert not re.search(r"(\\d|\[0-9\])[+*]", pattern), f"{name} has an unbounded number: {pattern}"


@pytest.mark.parametrize(
    ("number", "matches"),
    [
        ("1", True),
        ("1700000000", True),
        ("1456074443980800010", True),
        (OVERLONG, False),
        (BEYOND_INT64, False),
    ],
)
def test_a_number_in_a_custom_id_fits_64_bits(number: str, matches: bool) -> None:
    assert bool(re.fullmatch(NUMBER, number)) is matches
    if matches:
        assert int(number) < 2**63


@pytest.mark.parametrize(
    ("item", "custom_id"),
    [
        (DailyChoice, f"quiz:daily:{OVERLONG}:0"),
        (DailyChoice, f"quiz:daily:{BEYOND_INT64}:0"),
        (NowChoice, f"quiz:now:pa-air-001:0:{OVERLONG}"),
        (NowChoice, f"quiz:now:pa-air-001:0:{BEYOND_INT64}"),
    ],
)
def test_crafted_over_long_ids_match_no_template(item: Any, custom_id: str) -> None:
    assert item.__discord_ui_compiled_template__.fullmatch(custom_id) is None


async def bot_message(bot: StudyBot, channel_id: int, custom_id: str) -> None:
    """A message from the bot with one button, as a crafted or an old one would be: no handler claims it."""
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(label="Press", custom_id=custom_id))
    with discord.http.handle_message_parameters(content="A button", view=view) as params:
        await bot.http.send_message(channel_id, params=params)


@pytest.mark.parametrize("custom_id", [f"quiz:daily:{OVERLONG}:0", f"quiz:now:pa-air-001:0:{OVERLONG}"])
async def test_a_crafted_over_long_id_is_answered_without_an_incident(
    world: World, simcord_bot: StudyBot, caplog: pytest.LogCaptureFixture, custom_id: str
) -> None:
    await bot_message(simcord_bot, world.channel.id, custom_id)

    clicked = await world.alice.click(world.channel.last_message, custom_id=custom_id)

    assert clicked.ephemeral
    assert clicked.response.content == UNCLAIMED_BUTTON
    assert "incident" not in caplog.text and "Overflow" not in caplog.text


async def test_a_button_from_before_a_restart_with_no_handler_is_answered(
    world: World, env: Any, simcord_bot: StudyBot
) -> None:
    async def pressed(interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_message("handled", ephemeral=True)

    view = discord.ui.View(timeout=None)
    button: discord.ui.Button[Any] = discord.ui.Button(label="Old", custom_id="0f3c9a1d2e")
    button.callback = pressed  # type: ignore[method-assign]
    view.add_item(button)
    await simcord_bot.get_partial_messageable(world.channel.id).send("An old view", view=view)
    message = world.channel.last_message
    assert (await world.alice.click(message, label="Old")).response.content == "handled"

    await env.restart_bot(restarted(simcord_bot))
    clicked = await world.alice.click(message, label="Old")

    assert clicked.ephemeral
    assert clicked.response.content == UNCLAIMED_BUTTON


# ------------------------------------------------------------------------ item 26: the form's limits


def widen(spec: Any, custom_id: str, max_length: int) -> None:
    """What a modified client does: ignore the form's max_length."""
    if isinstance(spec, dict):
        if spec.get("custom_id") == custom_id:
            spec["max_length"] = max_length
        for value in spec.values():
            widen(value, custom_id, max_length)
    elif isinstance(spec, list):
        for value in spec:
            widen(value, custom_id, max_length)


async def open_report_form(world: World, bank: QuestionBank) -> Any:
    shown = await world.alice.slash(world.channel, "quiz now")
    text = shown.response.embeds[0].description
    question = next(q for q in bank.questions if q.stem in text)  # no id is shown to members
    if question.multiple:
        answered = await world.alice.select(shown.response.message, list(question.correct_letters))
    else:
        answered = await world.alice.click(shown.response.message, label=question.answer_letter)
    return await world.alice.click(answered.response.message, label="Report this question")


async def test_a_report_longer_than_the_form_allows_is_refused_and_not_stored(
    world: World, bank: QuestionBank, store: SQLiteDatabase
) -> None:
    form = await open_report_form(world, bank)
    widen(form._interaction.modal, "quiz:report:reason", 4000)

    refused = await world.alice.submit_modal(form, {"quiz:report:reason": "x" * 4000})

    assert refused.ephemeral
    assert "Your text has 4000 characters, but this form takes at most 500" in refused.response.content
    assert await QuizRepository(store).reports(world.guild.id) == []


async def test_a_report_within_the_limits_is_stored_whole(
    world: World, bank: QuestionBank, store: SQLiteDatabase
) -> None:
    form = await open_report_form(world, bank)

    await world.alice.submit_modal(form, {"quiz:report:reason": "y" * 500})

    (report,) = await QuizRepository(store).reports(world.guild.id)
    assert report.reason == "y" * 500


async def test_a_form_opened_before_a_restart_is_answered(
    world: World, env: Any, bank: QuestionBank, simcord_bot: StudyBot, caplog: pytest.LogCaptureFixture
) -> None:
    form = await open_report_form(world, bank)
    await env.restart_bot(restarted(simcord_bot))

    with caplog.at_level(logging.INFO):
        sent = await world.alice.submit_modal(form, {"quiz:report:reason": "Option B is also right"})

    assert sent.ephemeral
    assert sent.response.content == UNCLAIMED_FORM
    assert "answering an unclaimed modal_submit" in caplog.text
