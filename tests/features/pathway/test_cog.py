"""/status and /gate through simcord: the card, each refusal, and opt-in sharing."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.features.pathway.model import Gate
from bot.features.pathway.repo import PathwayRepository
from tests.conftest import World


def field(result: Any, prefix: str) -> str:
    embed = result.response.embeds[0]
    for item in embed.fields:
        if item.name.startswith(prefix):
            return str(item.value)
    raise AssertionError(f"no field {prefix!r} in {[f.name for f in embed.fields]}")


async def test_new_member_sees_five_open_gates_and_the_course_as_next_step(world: World) -> None:
    result = await world.alice.slash(world.channel, "status")

    assert result.ephemeral
    embed = result.response.embeds[0]
    assert embed.title == "Your EMR certification pathway"
    assert "0 of 5 gates closed" in embed.description
    assert "▱▱▱▱▱" in embed.description
    assert "Blocking:** State-approved EMR course" in embed.description
    assert field(result, "Gates").count("not started") == 5
    assert "gate:course mark:done" in field(result, "Next step")
    assert "Not tested yet" in [f.name for f in embed.fields][2]
    assert "not the right to practice" in embed.footer.text


async def test_mid_pathway_card_shows_dates_window_and_blocking_gate(world: World) -> None:
    await world.alice.slash(world.channel, "gate", gate="course", mark="done", date="2025-03-14")
    await world.alice.slash(world.channel, "gate", gate="verification", mark="done")

    result = await world.alice.slash(world.channel, "status")

    embed = result.response.embeds[0]
    assert "2 of 5 gates closed" in embed.description
    assert "▰▰▱▱▱" in embed.description
    assert "Blocking:** Cognitive exam (CAT)" in embed.description
    assert "Fri 2025-03-14" in field(result, "Gates")
    # 2025-03-14 -> valid through 2027-03-31; on 2026-11-23 that is 128 days away.
    assert field(result, "Course window") == "Valid through Wed 2027-03-31 (128 days left)."
    assert "before your course window ends (Wed 2027-03-31)" in field(result, "Next step")


async def test_passed_exam_with_everything_else_done_gives_a_results_date(world: World) -> None:
    for gate, date in (("course", "2026-03-02"), ("verification", "2026-03-20"), ("skills", "2026-11-02")):
        await world.alice.slash(world.channel, "gate", gate=gate, mark="done", date=date)
    await world.alice.slash(world.channel, "gate", gate="exam", mark="done", date="2026-11-20")

    result = await world.alice.slash(world.channel, "status")

    # Friday 2026-11-20 + 2 business days = Tuesday 2026-11-24.
    assert "Expected by about **Tue 2026-11-24**" in field(result, "When results should post")
    assert "Passed, all requirements met" in [f.name for f in result.response.embeds[0].fields][2]
    assert "Blocking:** State licensure" in result.response.embeds[0].description


async def test_verification_done_last_counts_from_the_day_it_is_recorded(world: World) -> None:
    for gate, date in (("course", "2026-03-02"), ("skills", "2026-11-02"), ("exam", "2026-11-20")):
        await world.alice.slash(world.channel, "gate", gate=gate, mark="done", date=date)
    recorded = await world.alice.slash(world.channel, "gate", gate="verification", mark="done")
    assert "done on Mon 2026-11-23" in recorded.response.content

    result = await world.alice.slash(world.channel, "status")

    # Verified today (Mon 2026-11-23), the last requirement: + 2 business days = Wed 2026-11-25.
    assert "Expected by about **Wed 2026-11-25**" in field(result, "When results should post")


async def test_passed_exam_with_a_requirement_left_names_it_instead_of_a_date(world: World) -> None:
    await world.alice.slash(world.channel, "gate", gate="course", mark="done", date="2026-03-02")
    await world.alice.slash(world.channel, "gate", gate="exam", mark="done", date="2026-11-20")

    result = await world.alice.slash(world.channel, "status")

    text = field(result, "When results should post")
    assert "Program Director verification" in text and "Psychomotor skills" in text
    assert "Expected" not in text
    assert "valid until Mon 2028-11-20" in text
    assert "Passed, a requirement remains" in [f.name for f in result.response.embeds[0].fields][2]


async def test_flagged_issue_changes_the_situation(world: World) -> None:
    await world.alice.slash(world.channel, "gate", gate="verification", mark="issue")

    result = await world.alice.slash(world.channel, "status")

    assert "Account or status issue" in [f.name for f in result.response.embeds[0].fields][2]
    assert "Relying on screenshots" in field(result, "Result situation")
    assert "flagged **Program Director verification**" in field(result, "Next step")


async def test_license_not_required_closes_the_last_gate(world: World) -> None:
    for gate, date in (
        ("course", "2026-03-02"),
        ("verification", "2026-03-10"),
        ("exam", "2026-06-01"),
        ("skills", "2026-06-10"),
    ):
        await world.alice.slash(world.channel, "gate", gate=gate, mark="done", date=date)
    result = await world.alice.slash(world.channel, "gate", gate="license", mark="not_required")
    assert "not required in your state" in result.response.content

    card = await world.alice.slash(world.channel, "status")

    assert "5 of 5 gates closed" in card.response.embeds[0].description
    assert "Every gate is closed" in field(card, "Next step")
    assert "Should have posted by" in field(card, "When results should post")


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (
            {"gate": "exam", "mark": "not_required"},
            "Only the state licensure gate can be marked `not_required`",
        ),
        ({"gate": "course", "mark": "done"}, "needs the date it happened"),
        ({"gate": "skills", "mark": "done"}, "needs the date it happened"),
        ({"gate": "course", "mark": "done", "date": "2026-02-30"}, "isn't a real date"),
        ({"gate": "course", "mark": "done", "date": "14/03/2025"}, "Type it as YYYY-MM-DD"),
        ({"gate": "course", "mark": "done", "date": "20250314"}, "Type it as YYYY-MM-DD"),
        ({"gate": "exam", "mark": "done", "date": "2026-11-24"}, "which is in the future"),
    ],
)
async def test_gate_refusals_explain_and_change_nothing(
    world: World, store: Any, options: dict[str, str], expected: str
) -> None:
    result = await world.alice.slash(world.channel, "gate", **options)

    assert result.ephemeral
    assert expected in result.response.content
    assert "Nothing was changed" in result.response.content
    assert await PathwayRepository(store).gates(world.alice.id) == []


async def test_exam_before_the_course_is_refused(world: World, store: Any) -> None:
    await world.alice.slash(world.channel, "gate", gate="course", mark="done", date="2026-03-02")

    result = await world.alice.slash(world.channel, "gate", gate="exam", mark="done", date="2026-01-05")

    assert "before your course completion (Mon 2026-03-02)" in result.response.content
    gates = {g.gate: g for g in await PathwayRepository(store).gates(world.alice.id)}
    assert Gate.EXAM not in gates


async def test_today_is_read_in_the_members_time_zone(world: World, env: Any) -> None:
    # 2026-11-23 15:00 UTC is already 2026-11-24 in Auckland, so that date is not in the future there.
    await world.alice.slash(world.channel, "timezone", name="Pacific/Auckland")
    ok = await world.alice.slash(world.channel, "gate", gate="course", mark="done", date="2026-11-24")
    assert "Recorded" in ok.response.content

    refused = await world.bob.slash(world.channel, "gate", gate="course", mark="done", date="2026-11-24")
    assert "in the future" in refused.response.content


async def test_another_members_card_is_refused_until_they_share(world: World) -> None:
    await world.bob.slash(world.channel, "gate", gate="course", mark="done", date="2025-09-01")

    refused = await world.alice.slash(world.channel, "status", member=world.bob)
    assert refused.ephemeral
    assert refused.response.content == "That member's pathway card isn't shared with the group."
    assert not refused.response.embeds

    await world.bob.slash(world.channel, "privacy", action="share")
    shared = await world.alice.slash(world.channel, "status", member=world.bob)
    assert shared.ephemeral
    assert shared.response.embeds[0].title == "bob's EMR pathway"
    assert "Mon 2025-09-01" in field(shared, "Gates")

    await world.bob.slash(world.channel, "privacy", action="unshare")
    again = await world.alice.slash(world.channel, "status", member=world.bob)
    assert again.response.content == "That member's pathway card isn't shared with the group."


async def test_refusal_for_unknown_member_reveals_nothing(world: World) -> None:
    """A member with no data and a member who did not share get the very same answer."""
    no_data = await world.alice.slash(world.channel, "status", member=world.organiser)
    await world.bob.slash(world.channel, "gate", gate="course", mark="pending")
    private = await world.alice.slash(world.channel, "status", member=world.bob)
    assert no_data.response.content == private.response.content


async def test_asking_for_your_own_card_by_mention_works(world: World) -> None:
    result = await world.alice.slash(world.channel, "status", member=world.alice)
    assert result.response.embeds[0].title == "Your EMR certification pathway"


# ------------------------------------------------------------------- after a failed attempt (issue 9)


async def test_a_failed_attempt_shows_on_the_exam_gate_and_the_open_gate_is_named(world: World) -> None:
    """Course done, verification not started, then /retake score:812: the card must make sense."""
    await world.alice.slash(world.channel, "gate", gate="course", mark="done", date="2026-03-02")
    accepted = await world.alice.slash(world.channel, "retake", score=812, date="2026-11-10")
    assert accepted.response.embeds[0].title == "Attempt logged"

    result = await world.alice.slash(world.channel, "status")

    exam = next(line for line in field(result, "Gates").splitlines() if "Cognitive exam (CAT)" in line)
    assert "attempt 1 of 3 did not pass; retest from Wed 2026-11-25" in exam
    assert "not started" not in exam
    step = field(result, "Next step")
    assert "exam attempt on Tue 2026-11-10 is recorded" in step
    assert "**Program Director verification** is still open" in step
    assert "`/gate gate:verification mark:done`" in step
    assert "Ask your Program Director" not in step
    assert "Did not pass" in [f.name for f in result.response.embeds[0].fields][2]

    await world.alice.slash(world.channel, "gate", gate="verification", mark="done")
    closed = await world.alice.slash(world.channel, "status")
    assert "you may retest from **Wed 2026-11-25**" in field(closed, "Next step")


async def test_a_shared_card_is_written_in_the_third_person(world: World) -> None:
    await world.bob.slash(world.channel, "gate", gate="course", mark="done", date="2026-03-02")
    await world.bob.slash(world.channel, "retake", score=812, date="2026-11-10")
    await world.bob.slash(world.channel, "privacy", action="share")

    shared = await world.alice.slash(world.channel, "status", member=world.bob)

    embed = shared.response.embeds[0]
    words = [embed.title, embed.description, embed.footer.text]
    words += [text for f in embed.fields for text in (f.name, f.value)]
    assert not re.search(r"\b(you|your|you're|you've)\b", " ".join(words), re.IGNORECASE)
    assert "bob has taken the exam" in field(shared, "Next step")
    assert "not passed yet" in field(shared, "Gates")
    assert "812" not in " ".join(words)  # scores stay private
