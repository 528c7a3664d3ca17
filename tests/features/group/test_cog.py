"""/group overview and /group digest through simcord on the fake clock."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot.app import StudyBot
from bot.db import SQLiteDatabase
from tests.conftest import SimClock, World, restarted
from tests.features.quiz.test_cog import advance_to, setup_daily

pytestmark = pytest.mark.both_backends

TUESDAY_NINE_NY = dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC)  # the day after START, 09:00 New York


def digests(world: World) -> list[Any]:
    return [m for m in world.channel.history() if m.embeds and m.embeds[0].title.startswith("Weekly digest")]


def text_of(result: Any) -> str:
    embed = result.response.embeds[0]
    parts = [embed.title or "", embed.description or "", embed.footer.text or ""]
    parts += [f"{f.name}\n{f.value}" for f in embed.fields]
    return "\n".join(parts)


async def add_members(world: World, env: Any, names: list[str]) -> list[Any]:
    return [world.guild.add_member(env.create_user(name)) for name in names]


# ------------------------------------------------------------------------------------- permissions


@pytest.mark.parametrize(
    ("command", "options"), [("group overview", {}), ("group digest", {"enabled": True, "day": 1})]
)
async def test_organizer_commands_need_manage_server(
    world: World, store: SQLiteDatabase, command: str, options: dict[str, Any]
) -> None:
    await setup_daily(world)
    refused = await world.alice.slash(world.channel, command, **options)

    assert refused.ephemeral
    assert "Only organizers (members with **Manage Server**)" in refused.response.content
    assert not refused.response.embeds
    assert (await store.query("SELECT count(*) FROM group_digest_settings")).scalar() == 0


# ------------------------------------------------------------------------------------------ overview


async def test_an_empty_group_shows_no_counts(world: World) -> None:
    result = await world.organiser.slash(world.channel, "group overview")

    assert result.ephemeral
    text = text_of(result)
    assert "Fewer than 3 members of this server have used the bot" in text
    assert "Nobody in this group has chosen `/privacy share`" in text
    assert "Set up the daily question" in text
    assert result.response.attachments == []  # no chart without counts


async def test_a_mixed_group_counts_names_only_who_shared_and_forgets_who_deleted(
    world: World, env: Any, store: SQLiteDatabase
) -> None:
    carol, dan, erin, frank, gina, hal = await add_members(
        world, env, ["carol", "dan", "erin", "frank", "gina", "hal"]
    )
    for member in (world.alice, world.bob, carol, dan):
        await member.slash(world.channel, "gate", gate="course", mark="pending")
    for member in (erin, frank, gina):
        await member.slash(world.channel, "gate", gate="course", mark="done", date="2026-09-01")
    await hal.slash(world.channel, "gate", gate="course", mark="done", date="2026-09-01")
    await hal.slash(world.channel, "gate", gate="verification", mark="done")
    await hal.slash(world.channel, "retake", score=812, date="2026-11-20")
    await hal.slash(world.channel, "privacy", action="share")

    result = await world.organiser.slash(world.channel, "group overview")

    text = text_of(result)
    assert "Members of this server who have used the bot: **8**" in text
    assert "State-approved EMR course: **4**" in text
    # exam (1) and the later gates (0) are under 3; verification (3) is held back too, so that
    # 8 - 4 does not give the exam's count away.
    assert "Cognitive exam (CAT): **fewer than 3**" in text
    assert "Program Director verification: **not shown**" in text
    assert f"<@{hal.id}>" in text and "a retest" in text  # shared: named with the next step
    for quiet in (world.alice, world.bob, carol, dan, erin, frank, gina):
        assert str(quiet.id) not in text
    (chart,) = result.response.attachments
    assert chart.filename == "group-overview.png"

    prompt = await carol.slash(world.channel, "privacy", action="delete")
    await carol.click(prompt.response.message, label="Delete everything")
    after = text_of(await world.organiser.slash(world.channel, "group overview"))
    assert "Members of this server who have used the bot: **7**" in after
    rows = await store.query("SELECT count(*) FROM group_members WHERE user_id = ?", (carol.id,))
    assert rows.scalar() == 0


async def test_a_daily_answer_alone_makes_a_member_of_the_group(
    world: World, env: Any, clock: SimClock
) -> None:
    await setup_daily(world)
    (carol,) = await add_members(world, env, ["carol"])
    await advance_to(env, clock, TUESDAY_NINE_NY + dt.timedelta(minutes=1))
    (post,) = [m for m in world.channel.history() if m.embeds and m.embeds[0].title.startswith("Daily")]
    for member in (world.alice, world.bob, carol):  # their first use of the bot, ever
        await member.click(post, label="A")

    result = await world.organiser.slash(world.channel, "group overview")

    text = text_of(result)
    assert "Members of this server who have used the bot: **3**" in text
    assert "Last 7 days: **3** members answering, 3 answers" in text


async def test_members_of_another_server_are_not_counted(world: World, env: Any) -> None:
    other = env.create_guild(name="another group")
    channel = other.create_text_channel("study")
    for name in ("xena", "yuri", "zoe"):
        member = other.add_member(env.create_user(name))
        await member.slash(channel, "gate", gate="course", mark="pending")

    result = await world.organiser.slash(world.channel, "group overview")

    assert "Fewer than 3 members of this server have used the bot" in text_of(result)


# -------------------------------------------------------------------------------------------- digest


async def test_the_digest_needs_the_quiz_set_up(world: World, store: SQLiteDatabase) -> None:
    refused = await world.organiser.slash(world.channel, "group digest", enabled=True)

    assert "set up the daily question first" in refused.response.content
    assert (await store.query("SELECT count(*) FROM group_digest_settings")).scalar() == 0


async def test_the_digest_is_weekly_survives_a_restart_and_stops_when_off(
    world: World, env: Any, clock: SimClock, simcord_bot: StudyBot, store: SQLiteDatabase
) -> None:
    await setup_daily(world)
    on = await world.organiser.slash(world.channel, "group digest", enabled=True, day=1)
    assert "every **Tuesday** at 09:00 (America/New_York)" in on.response.content
    assert "Tue 2026-11-24 09:00" in on.response.content

    await advance_to(env, clock, TUESDAY_NINE_NY + dt.timedelta(minutes=1))
    (first,) = digests(world)
    assert first.embeds[0].footer.text.startswith("Weekly digest 2026-11-24")

    await env.restart_bot(restarted(simcord_bot))
    await advance_to(env, clock, TUESDAY_NINE_NY + dt.timedelta(days=6))
    assert len(digests(world)) == 1  # once a week, also across a restart

    await advance_to(env, clock, TUESDAY_NINE_NY + dt.timedelta(days=7, minutes=1))
    assert len(digests(world)) == 2

    off = await world.organiser.slash(world.channel, "group digest", enabled=False)
    assert "The weekly digest is off" in off.response.content
    await advance_to(env, clock, TUESDAY_NINE_NY + dt.timedelta(days=14, minutes=1))
    assert len(digests(world)) == 2
    statuses = await store.query("SELECT digest_date, status FROM group_digests ORDER BY id")
    assert statuses.all() == [("2026-11-24", "sent"), ("2026-12-01", "sent")]


async def test_one_catch_up_digest_after_downtime(
    world: World, env: Any, clock: SimClock, simcord_bot: StudyBot
) -> None:
    await setup_daily(world)
    await world.organiser.slash(world.channel, "group digest", enabled=True, day=1)

    clock.start += dt.timedelta(days=23)  # down through three Tuesdays
    await env.restart_bot(restarted(simcord_bot))
    await env.advance_time(60)

    (late,) = digests(world)
    assert "late" in late.embeds[0].title
    assert late.embeds[0].footer.text.startswith("Weekly digest 2026-12-15")  # the latest missed week
    await env.advance_time(3 * 86400)
    assert len(digests(world)) == 1


async def test_a_channel_that_is_gone_pauses_the_digest(
    world: World, env: Any, clock: SimClock, store: SQLiteDatabase
) -> None:
    await setup_daily(world)
    await world.organiser.slash(world.channel, "group digest", enabled=True, day=1)
    env.inject_error("POST", f"/channels/{world.channel.id}/messages", status=404, code=10003, times=None)

    await advance_to(env, clock, TUESDAY_NINE_NY + dt.timedelta(days=8))

    settings = await store.query("SELECT enabled, pause_reason, next_digest_at FROM group_digest_settings")
    assert settings.one() == (1, "cannot_post", None)
    told = await world.organiser.slash(world.channel, "group overview")
    assert "The weekly digest is paused" in (told.response.content or "")


async def test_a_failed_membership_record_never_fails_the_command(
    world: World, simcord_bot: StudyBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Recording who is in the group is best effort: a database error there (as when an interaction
    arrives while the bot shuts down) is one warning line, and the member's command still answers."""
    cog = simcord_bot.get_cog("Group")
    assert cog is not None

    async def broken(guild_id: int, user_id: int) -> bool:
        raise RuntimeError("cannot schedule new futures after shutdown")

    monkeypatch.setattr(cog.repo, "record_member", broken)  # type: ignore[attr-defined]
    status = await world.alice.slash(world.channel, "status")
    assert status.ephemeral and status.response.embeds
    assert "group: could not record member" in caplog.text
