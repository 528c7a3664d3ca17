"""/timezone and /privacy through simcord."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.features.members.privacy_repo import PrivacyRepository
from bot.features.members.repo import MemberRepository
from bot.features.pathway.repo import PathwayRepository
from tests.conftest import World

pytestmark = pytest.mark.both_backends


async def test_timezone_is_saved_and_echoed_with_local_time(world: World, store: Any) -> None:
    result = await world.alice.slash(world.channel, "timezone", name="America/Chicago")

    assert result.ephemeral
    # 15:00 UTC on 2026-11-23 is 09:00 in Chicago (CST, UTC-6).
    assert "**America/Chicago** (it's 09:00 there)" in result.response.content
    profile = await MemberRepository(store).get(world.alice.id)
    assert profile is not None and profile.timezone == "America/Chicago"


async def test_unknown_timezone_is_refused_and_nothing_changes(world: World, store: Any) -> None:
    await world.alice.slash(world.channel, "timezone", name="Europe/London")

    result = await world.alice.slash(world.channel, "timezone", name="Mars/Olympus_Mons")

    assert result.ephemeral
    assert "`Mars/Olympus_Mons` isn't a time zone I know" in result.response.content
    assert "America/New_York" in result.response.content
    profile = await MemberRepository(store).get(world.alice.id)
    assert profile is not None and profile.timezone == "Europe/London"


async def test_timezone_autocomplete_offers_matching_zones(world: World) -> None:
    choices = await world.alice.autocomplete(world.channel, "timezone", "name", "chica")
    assert [c["value"] for c in choices] == ["America/Chicago"]

    many = await world.alice.autocomplete(world.channel, "timezone", "name", "america/")
    assert len(many) == 25
    assert all(c["value"].startswith("America/") for c in many)

    blank = await world.alice.autocomplete(world.channel, "timezone", "name", "")
    assert 0 < len(blank) <= 25


async def test_export_is_a_json_file_with_every_member_table(world: World, store: Any) -> None:
    await world.alice.slash(world.channel, "timezone", name="Europe/Paris")
    await world.alice.slash(world.channel, "gate", gate="course", mark="done", date="2025-05-05")
    await world.bob.slash(world.channel, "gate", gate="course", mark="pending")

    result = await world.alice.slash(world.channel, "privacy", action="export")

    assert result.ephemeral
    attachment = result.response.attachments[0]
    assert attachment.filename == f"emr-study-bot-export-{world.alice.id}.json"
    payload = json.loads(await attachment.read())
    assert payload["user_id"] == str(world.alice.id)
    assert set(payload["tables"]) == set(await PrivacyRepository(store).member_tables())
    assert payload["tables"]["members"][0]["timezone"] == "Europe/Paris"
    assert payload["tables"]["gates"] == [
        {
            "user_id": str(world.alice.id),  # ids are strings in the export (format version 1)
            "gate": "course",
            "mark": "done",
            "happened_on": "2025-05-05",
            "updated_at": payload["tables"]["gates"][0]["updated_at"],
        }
    ]
    # Bob's data is never in Alice's export.
    assert str(world.bob.id) not in json.dumps(payload)


async def test_delete_needs_the_confirm_button_then_removes_everything(world: World, store: Any) -> None:
    await world.alice.slash(world.channel, "gate", gate="course", mark="done", date="2025-05-05")
    await world.bob.slash(world.channel, "gate", gate="course", mark="pending")

    prompt = await world.alice.slash(world.channel, "privacy", action="delete")
    assert prompt.ephemeral
    assert "cannot be undone" in prompt.response.content
    before = await PrivacyRepository(store).export(world.alice.id)
    held = sum(len(rows) for rows in before.values())
    assert before["gates"] and before["reminders"]  # nothing deleted yet; the course window reminders exist

    done = await world.alice.click(prompt.response.message, label="Delete everything")

    assert f"all your data is deleted ({held} records)" in done.response.content
    after = await PrivacyRepository(store).export(world.alice.id)
    assert all(rows == [] for rows in after.values())
    assert len(await PathwayRepository(store).gates(world.bob.id)) == 1


async def test_delete_cancelled_keeps_everything(world: World, store: Any) -> None:
    await world.alice.slash(world.channel, "gate", gate="course", mark="pending")
    prompt = await world.alice.slash(world.channel, "privacy", action="delete")

    cancelled = await world.alice.click(prompt.response.message, label="Cancel")

    assert cancelled.response.content == "Canceled: nothing was deleted."
    assert len(await PathwayRepository(store).gates(world.alice.id)) == 1


async def test_delete_prompt_expires_without_deleting(world: World, env: Any, store: Any) -> None:
    await world.alice.slash(world.channel, "gate", gate="course", mark="pending")
    prompt = await world.alice.slash(world.channel, "privacy", action="delete")

    await env.advance_time(121)

    history = world.channel.history(viewer=world.alice)
    assert "This request expired: nothing was deleted." in history[-1].content
    assert len(await PathwayRepository(store).gates(world.alice.id)) == 1
    assert prompt.response.message.id == history[-1].id
