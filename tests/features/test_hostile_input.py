"""Hostile or mistyped input through simcord: refused with a clear reply, nothing stored (issue 9,
items 22-24 and 27)."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest

from bot.db import SQLiteDatabase
from bot.features.members.repo import MemberRepository
from bot.features.pathway.repo import PathwayRepository
from bot.features.quiz.guild_repo import GuildRepository
from bot.features.retake.repo import RetakeRepository
from tests.conftest import World

RLO, ZWSP = "\u202e", "\u200b"


def no_invisible_characters(text: str) -> bool:
    return not any(unicodedata.category(c) in ("Cc", "Cf") and c != "\n" for c in text)


# -------------------------------------------------------------------------- item 22: ASCII digits only


@pytest.mark.parametrize("date", ["２０２６-１１-２０", "٢٠٢٦-١١-١٠", "2026-1１-10"])
async def test_retake_refuses_dates_typed_with_other_digits(world: World, store: Any, date: str) -> None:
    result = await world.alice.slash(world.channel, "retake", score=812, date=date)

    assert result.ephemeral
    assert f"`{date}` for `date` uses digits I don't read" in result.response.content
    assert "digits 0-9" in result.response.content
    assert await RetakeRepository(store).attempts(world.alice.id) == []


async def test_gate_refuses_dates_typed_with_other_digits(world: World, store: Any) -> None:
    result = await world.alice.slash(
        world.channel, "gate", gate="course", mark="done", date="２０２５-０５-０５"
    )

    assert "digits 0-9" in result.response.content
    assert await PathwayRepository(store).gates(world.alice.id) == []


@pytest.mark.parametrize("time", ["0７:00", "０７:３０", "٠٧:٠٠"])
async def test_quiz_setup_refuses_times_typed_with_other_digits(
    world: World, store: SQLiteDatabase, time: str
) -> None:
    result = await world.organiser.slash(
        world.channel, "quiz setup", channel=world.channel, time=time, timezone="America/New_York"
    )

    assert f"`{time}` for `time` uses digits I don't read" in result.response.content
    assert "digits 0-9, for example `07:30`" in result.response.content
    assert await GuildRepository(store).get(world.guild.id) is None


# --------------------------------------------------------------------- item 23: plausibility bounds


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"score": 812, "date": "0001-01-01"}, "began reporting scaled scores"),
        ({"score": 812, "date": "2023-05-31"}, "before the earliest date I accept here (Thu 2023-06-01)"),
        ({"refresher": "1900-02-28"}, "can't count toward certification"),
    ],
)
async def test_retake_refuses_implausibly_old_dates(
    world: World, store: Any, options: dict[str, Any], expected: str
) -> None:
    result = await world.alice.slash(world.channel, "retake", **options)

    assert expected in result.response.content
    assert "Nothing was changed" in result.response.content
    assert await RetakeRepository(store).attempts(world.alice.id) == []
    assert await RetakeRepository(store).last_refresher(world.alice.id) is None


async def test_retake_accepts_the_first_day_of_scaled_scores(world: World, store: Any) -> None:
    await world.alice.slash(world.channel, "retake", score=812, date="2023-06-01")
    assert len(await RetakeRepository(store).attempts(world.alice.id)) == 1


@pytest.mark.parametrize(
    ("gate", "date", "expected"),
    [
        ("course", "0001-01-01", "can't count toward certification"),
        ("course", "2021-11-22", "before the earliest date I accept here (Tue 2021-11-23)"),
        ("skills", "1900-02-28", "have long expired"),
        ("exam", "1969-12-31", "have long expired"),
        ("license", "1969-12-31", "older than any record"),
    ],
)
async def test_gate_refuses_implausibly_old_dates(
    world: World, store: Any, gate: str, date: str, expected: str
) -> None:
    result = await world.alice.slash(world.channel, "gate", gate=gate, mark="done", date=date)

    assert result.ephemeral
    assert expected in result.response.content
    assert await PathwayRepository(store).gates(world.alice.id) == []


async def test_a_course_just_past_its_window_is_still_recorded(world: World, store: Any) -> None:
    result = await world.alice.slash(world.channel, "gate", gate="course", mark="done", date="2022-01-10")
    assert "earliest date" not in result.response.content
    assert len(await PathwayRepository(store).gates(world.alice.id)) == 1


# ------------------------------------------------------------------------ item 24: canonical zones


@pytest.mark.parametrize("name", ["Factory", "Etc/GMT+5"])
async def test_timezone_refuses_placeholders(world: World, store: Any, name: str) -> None:
    result = await world.alice.slash(world.channel, "timezone", name=name)

    assert f"`{name}` isn't a time zone I know" in result.response.content
    assert await MemberRepository(store).get(world.alice.id) is None


async def test_timezone_offers_the_canonical_name_for_an_alias(world: World, store: Any) -> None:
    result = await world.alice.slash(world.channel, "timezone", name="US/Eastern")

    assert result.ephemeral
    assert "use `America/New_York` (the same clock) instead" in result.response.content
    assert await MemberRepository(store).get(world.alice.id) is None
    accepted = await world.alice.slash(world.channel, "timezone", name="America/New_York")
    assert "**America/New_York**" in accepted.response.content


async def test_quiz_setup_offers_the_canonical_name_for_an_alias(world: World, store: SQLiteDatabase) -> None:
    result = await world.organiser.slash(
        world.channel, "quiz setup", channel=world.channel, time="07:00", timezone="US/Central"
    )

    assert "use `America/Chicago`" in result.response.content
    assert await GuildRepository(store).get(world.guild.id) is None


async def test_timezone_autocomplete_offers_no_alias(world: World) -> None:
    choices = await world.alice.autocomplete(world.channel, "timezone", "name", "US/")
    assert [c["value"] for c in choices if c["value"].startswith("US/")] == []


# ------------------------------------------------------------------- item 27: echoed input is inert


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("retake", {"score": 812, "date": f"{RLO}01-11-6202{ZWSP}`**x**"}),
        ("timezone", {"name": f"Mars{ZWSP}/{RLO}Base`"}),
        ("quiz setup", {"time": f"7{RLO}:3{ZWSP}0`", "timezone": "UTC"}),
    ],
)
async def test_refusals_echo_input_without_invisible_characters(
    world: World, command: str, options: dict[str, Any]
) -> None:
    member = world.organiser if command == "quiz setup" else world.alice
    if command == "quiz setup":
        options["channel"] = world.channel
    result = await member.slash(world.channel, command, **options)

    text = result.response.content
    assert no_invisible_characters(text)
    assert text.count("`") % 2 == 0 and "`**x**" not in text
