"""The /privacy delete confirm answers every click (issue 9, item 21): after a restart, after it
expired, from several clicks at once, and from a click that arrives after the first one decided."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from simcord import interactions as _interactions
from simcord.backend import serializers
from simcord.enums import ComponentType, InteractionType
from simcord.results import InteractionResult

from bot.app import StudyBot
from bot.features.members.privacy_repo import PrivacyRepository
from bot.features.pathway.repo import PathwayRepository
from tests.conftest import World, restarted

pytestmark = pytest.mark.both_backends

EXPIRED_CLICK = "This request expired, so this click deleted nothing."


async def held(store: Any, user_id: int) -> int:
    return sum(len(rows) for rows in (await PrivacyRepository(store).export(user_id)).values())


async def confirm(world: World, store: Any) -> tuple[Any, int]:
    await world.alice.slash(world.channel, "gate", gate="course", mark="done", date="2025-05-05")
    prompt = await world.alice.slash(world.channel, "privacy", action="delete")
    return prompt.response.message, await held(store, world.alice.id)


def snapshot(env: Any, message: Any) -> Any:
    """The message as a member's client shows it now (a later click may come from this copy)."""
    return copy.deepcopy(env.backend.get_message(message.channel.id, message.id))


async def clicks_at_once(
    env: Any, member: Any, shown: Any, label: str, count: int
) -> list[InteractionResult]:
    """``count`` clicks that reach the bot together, on ``shown`` (a snapshot of the message).

    simcord runs one click at a time; this emits the INTERACTION_CREATE events first and lets them
    settle together, which is what several quick clicks (or a slow first answer) look like to the bot.
    """
    backend = env.backend
    (button,) = [c for row in shown.components for c in row["components"] if c.get("label") == label]
    message_payload = dict(serializers.message_payload(backend, shown))
    records = []
    for _ in range(count):
        record, payload = _interactions.base_payload(
            backend,
            type=InteractionType.MESSAGE_COMPONENT,
            channel_id=shown.channel_id,
            guild_id=member.guild.id,
            user_id=member.id,
            data={"custom_id": button["custom_id"], "component_type": ComponentType.BUTTON},
        )
        payload["message"] = message_payload
        record.source_message_id = shown.id
        backend.emit("INTERACTION_CREATE", payload)
        records.append(record)
    await env._settle_internal(dispatch="INTERACTION_CREATE")
    return [InteractionResult(env, record) for record in records]


async def test_cancel_after_a_restart_answers_and_keeps_everything(
    world: World, env: Any, store: Any, simcord_bot: StudyBot
) -> None:
    message, before = await confirm(world, store)
    await env.restart_bot(restarted(simcord_bot))

    cancelled = await world.alice.click(message, label="Cancel")

    assert cancelled.acknowledged
    assert cancelled.response.content == "Canceled: nothing was deleted."
    assert await held(store, world.alice.id) == before


async def test_delete_after_a_restart_answers_and_deletes(
    world: World, env: Any, store: Any, simcord_bot: StudyBot
) -> None:
    message, before = await confirm(world, store)
    await env.restart_bot(restarted(simcord_bot))

    done = await world.alice.click(message, label="Delete everything")

    assert done.acknowledged
    assert f"all your data is deleted ({before} records)" in done.response.content
    assert await held(store, world.alice.id) == 0


async def test_a_click_after_the_confirm_expired_across_a_restart_deletes_nothing(
    world: World, env: Any, store: Any, simcord_bot: StudyBot
) -> None:
    message, before = await confirm(world, store)
    await env.restart_bot(restarted(simcord_bot))  # the old process's expiry edit never happens
    await env.advance_time(121)

    late = await world.alice.click(message, label="Delete everything")

    assert late.acknowledged
    assert late.response.content.startswith(EXPIRED_CLICK)
    assert await held(store, world.alice.id) == before


async def test_clicks_at_once_delete_once_and_each_gets_the_answer(
    world: World, env: Any, store: Any
) -> None:
    message, before = await confirm(world, store)

    results = await clicks_at_once(env, world.alice, snapshot(env, message), "Delete everything", 3)

    assert [r.acknowledged for r in results] == [True, True, True]
    assert f"all your data is deleted ({before} records)" in results[0].response.content
    assert await held(store, world.alice.id) == 0


async def test_a_click_arriving_after_the_first_decided_gets_the_same_answer(
    world: World, env: Any, store: Any
) -> None:
    message, before = await confirm(world, store)
    shown = snapshot(env, message)  # the member's client still shows the buttons
    first = await world.alice.click(message, label="Delete everything")
    assert f"({before} records)" in first.response.content

    (late,) = await clicks_at_once(env, world.alice, shown, "Delete everything", 1)
    (cancel,) = await clicks_at_once(env, world.alice, shown, "Cancel", 1)

    assert late.acknowledged and cancel.acknowledged
    assert f"all your data is deleted ({before} records)" in cancel.response.content  # decided already


async def test_someone_elses_click_deletes_nothing(world: World, env: Any, store: Any) -> None:
    message, before = await confirm(world, store)

    (crafted,) = await clicks_at_once(env, world.bob, snapshot(env, message), "Delete everything", 1)

    assert crafted.acknowledged
    assert await held(store, world.alice.id) == before
    assert len(await PathwayRepository(store).gates(world.alice.id)) == 1
