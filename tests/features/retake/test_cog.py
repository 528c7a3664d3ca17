"""/retake and /errorlog through simcord."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.features.retake.repo import RetakeRepository
from tests.conftest import World

#: Any percent sign, or a number followed by "percent", in a retake reply is a defect. (The words
#: "not a percentage" are allowed: they are the warning.)
PERCENT = re.compile(r"%|\d\s*per\s*cent", re.IGNORECASE)


def all_text(result: Any) -> str:
    parts = [result.response.content or ""]
    for embed in result.response.embeds:
        parts += [embed.title or "", embed.description or ""]
        parts += [f"{f.name} {f.value}" for f in embed.fields]
        parts.append(embed.footer.text or "")
    return "\n".join(parts)


async def test_logging_the_issue_example(world: World) -> None:
    result = await world.alice.slash(world.channel, "retake", score=812, date="2026-11-10")

    assert result.ephemeral
    text = all_text(result)
    assert "**812** is **138 scaled points below** the passing point of 950: some way off" in text
    assert "not a National Registry statement" in text
    assert "You may retest from **Wed 2026-11-25** (your attempt date + 15 days; 2 days from today)" in text
    assert "Attempts used: **1 of 3**" in text
    assert "No misses are logged since your last attempt" in text  # the plan asks to classify first
    assert not PERCENT.search(text)
    (attachment,) = result.response.attachments
    assert attachment.filename == "attempts.png"
    png = await attachment.read()
    assert png.startswith(b"\x89PNG") and len(png) > 5_000
    assert result.response.embeds[0].image.url == "attachment://attempts.png"


@pytest.mark.parametrize("score", [100, 420, 700, 874, 875, 949])
async def test_no_retake_reply_shows_a_percentage(world: World, score: int) -> None:
    result = await world.alice.slash(world.channel, "retake", score=score, date="2026-11-20")
    assert not PERCENT.search(all_text(result))
    status = await world.alice.slash(world.channel, "retake")
    assert not PERCENT.search(all_text(status))


async def test_plan_targets_the_costliest_buckets_day_by_day(world: World) -> None:
    await world.alice.slash(world.channel, "retake", score=912, date="2026-11-20")
    for bucket in ("scope", "scope", "scope", "reading", "reading", "knowledge"):
        await world.alice.slash(world.channel, "errorlog add", bucket=bucket, note="from the report review")

    result = await world.alice.slash(world.channel, "retake")

    plan = result.response.embeds[1]
    assert plan.title == "Repair plan"
    assert "**scope**: 3 misses since your last attempt" in plan.description
    assert "**reading**: 2 misses" in plan.description
    assert "knowledge**:" not in plan.description
    assert "near repair" not in plan.description and "near miss" in plan.description.lower()
    # Today is Mon 11-23, the retest Sat 12-05: 12 plan days, the last a light one.
    assert "`Mon 11-23` **scope**" in plan.description
    assert "`Fri 12-04` Light review" in plan.description
    assert "`Sat 12-05` You may retest." in plan.description


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"score": 950}, "a passing result has no scaled score"),
        ({"score": 1600}, "isn't on the score report's scale"),
        ({"score": 99}, "from 100 to 1500"),
        ({"score": 800, "date": "2026-02-30"}, "isn't a real date"),
        ({"score": 800, "date": "next week"}, "Type it as YYYY-MM-DD"),
        ({"score": 800, "date": "2026-12-01"}, "in the future"),
    ],
)
async def test_refusals_change_nothing(
    world: World, store: Any, options: dict[str, Any], expected: str
) -> None:
    result = await world.alice.slash(world.channel, "retake", **options)
    assert result.ephemeral
    assert expected in result.response.content
    assert "Nothing was changed" in result.response.content
    assert await RetakeRepository(store).attempts(world.alice.id) == []


async def test_second_attempt_too_soon_names_the_earliest_date(world: World, store: Any) -> None:
    await world.alice.slash(world.channel, "retake", score=812, date="2026-11-10")

    result = await world.alice.slash(world.channel, "retake", score=850, date="2026-11-20")

    assert "earliest next attempt is **Wed 2026-11-25**" in result.response.content
    assert len(await RetakeRepository(store).attempts(world.alice.id)) == 1


async def test_third_failure_requires_a_refresher_then_the_count_restarts(world: World, store: Any) -> None:
    for score, date in ((800, "2026-08-01"), (820, "2026-09-01"), (880, "2026-10-01")):
        await world.alice.slash(world.channel, "retake", score=score, date=date)

    status = await world.alice.slash(world.channel, "retake")
    assert "a complete EMR refresher course is required" in all_text(status)
    assert "confirm the current rule on your National Registry account" in all_text(status)
    card = await world.alice.slash(world.channel, "status")
    assert "refresher course is required" in all_text(card)
    assert "Did not pass" in all_text(card)

    fourth = await world.alice.slash(world.channel, "retake", score=900, date="2026-11-01")
    assert "a refresher course is required before another attempt" in fourth.response.content
    assert len(await RetakeRepository(store).attempts(world.alice.id)) == 3

    recorded = await world.alice.slash(world.channel, "retake", refresher="2026-10-20")
    assert "count starts again at **0 of 3**" in recorded.response.content
    ok = await world.alice.slash(world.channel, "retake", score=900, date="2026-11-05")
    assert "Attempts used: **1 of 3**" in all_text(ok)
    assert "(New count since your refresher on Tue 2026-10-20.)" in all_text(ok)


async def test_a_pass_is_recorded_with_gate_not_retake(world: World) -> None:
    await world.alice.slash(world.channel, "gate", gate="course", mark="done", date="2026-01-05")
    await world.alice.slash(world.channel, "gate", gate="exam", mark="done", date="2026-11-02")
    result = await world.alice.slash(world.channel, "retake", score=800, date="2026-11-20")
    assert "Your exam gate is marked passed" in result.response.content


async def test_undo_removes_the_last_attempt(world: World, store: Any) -> None:
    await world.alice.slash(world.channel, "retake", score=812, date="2026-11-10")
    result = await world.alice.slash(world.channel, "retake", undo=True)
    assert "Removed your attempt of Tue 2026-11-10 (812)" in result.response.content
    assert await RetakeRepository(store).attempts(world.alice.id) == []
    again = await world.alice.slash(world.channel, "retake", undo=True)
    assert "no recorded attempt to remove" in again.response.content


async def test_retake_without_anything_recorded(world: World) -> None:
    result = await world.alice.slash(world.channel, "retake")
    assert "No failed attempts are recorded" in result.response.content


async def test_errorlog_counts_since_the_last_attempt_and_overall(world: World) -> None:
    await world.alice.slash(world.channel, "errorlog add", bucket="knowledge", note="forgot the CPR rate")
    await world.alice.slash(world.channel, "retake", score=900, date="2026-11-23")
    added = await world.alice.slash(world.channel, "errorlog add", bucket="pacing")
    assert "Logged a **pacing** miss (rushed or froze). Fix: timed practice." in added.response.content
    await world.alice.slash(world.channel, "errorlog add", bucket="pacing", note="froze on a *scene* item")

    shown = await world.alice.slash(world.channel, "errorlog show")

    assert shown.ephemeral
    fields = {f.name: f.value for f in shown.response.embeds[0].fields}
    since = fields["Since your last attempt (Mon 2026-11-23)"]
    assert "`pacing   ` ▰▰▰▰▰▰▰▰ 2" in since and "`knowledge` " in since
    assert "`knowledge` ▰▰▰▰ 1" in fields["Overall"]
    assert "**pacing**: timed practice" in fields["Attack first"]
    assert r"froze on a \*scene\* item" in fields["Latest"]


async def test_errorlog_show_when_empty_explains_the_buckets(world: World) -> None:
    shown = await world.alice.slash(world.channel, "errorlog show")
    text = shown.response.embeds[0].description
    for bucket in ("knowledge", "sequence", "scope", "reading", "pacing"):
        assert f"**{bucket}**" in text
