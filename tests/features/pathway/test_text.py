"""The /status card's words: the exam gate after failed attempts, and shared cards in the third person."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import discord
import pytest

from bot.features.pathway import text as render
from bot.features.pathway.model import Gate, GateRecord, Mark, build_card
from bot.features.pathway.state import MemberState, exam_attempts
from bot.features.retake.model import Attempt, retake_state
from bot.policy import Policy

D = dt.date
TODAY = D(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 15, tzinfo=dt.UTC)
SECOND_PERSON = re.compile(r"\b(you|your|yours|yourself|you're|you've|you'll|you'd)\b", re.IGNORECASE)


def done(gate: Gate, day: D | None = None) -> GateRecord:
    return GateRecord(gate, Mark.DONE, day)


def member(
    policy: Policy,
    gates: list[GateRecord],
    scores: list[tuple[D, int]] = (),  # type: ignore[assignment]
    refresher: D | None = None,
    today: D = TODAY,
) -> MemberState:
    retake = retake_state([Attempt(on, score) for on, score in scores], refresher, today, policy)
    card = build_card(gates, today, policy, attempts=exam_attempts(retake))
    return MemberState(1, None, ZoneInfo("America/New_York"), NOW, today, card, retake)


def texts(embed: discord.Embed) -> str:
    parts = [embed.title or "", embed.description or "", embed.footer.text or ""]
    for field in embed.fields:
        parts += [field.name or "", field.value or ""]
    return "\n".join(parts)


def field(embed: discord.Embed, prefix: str) -> str:
    return next(str(f.value) for f in embed.fields if (f.name or "").startswith(prefix))


COURSE = done(Gate.COURSE, D(2026, 3, 2))
ONE = [(D(2026, 11, 10), 812)]
THREE = [(D(2026, 8, 1), 800), (D(2026, 9, 1), 850), (D(2026, 11, 10), 900)]

#: Every kind of card: each blocking gate, each situation, each window state, attempts in every stage.
STATES: dict[str, tuple[list[GateRecord], list[tuple[D, int]], D | None, D]] = {
    "new": ([], [], None, TODAY),
    "course pending": ([GateRecord(Gate.COURSE, Mark.PENDING)], [], None, TODAY),
    "verification next": ([COURSE], [], None, TODAY),
    "exam next": ([COURSE, done(Gate.VERIFICATION)], [], None, TODAY),
    "attempt before verification": ([COURSE], ONE, None, TODAY),
    "attempt before the course": ([], ONE, None, TODAY),
    "waiting to retest": ([COURSE, done(Gate.VERIFICATION)], ONE, None, TODAY),
    "wait over": ([COURSE, done(Gate.VERIFICATION)], ONE, None, D(2026, 12, 1)),
    "refresher required": ([COURSE, done(Gate.VERIFICATION)], THREE, None, TODAY),
    "after a refresher": ([COURSE, done(Gate.VERIFICATION)], THREE, D(2026, 11, 20), TODAY),
    "passed, requirement remains": ([done(Gate.EXAM, D(2026, 11, 20))], ONE, None, TODAY),
    "passed, results due": (
        [
            COURSE,
            done(Gate.VERIFICATION),
            done(Gate.SKILLS, D(2026, 11, 2)),
            done(Gate.EXAM, D(2026, 11, 20)),
        ],
        [],
        None,
        TODAY,
    ),
    "passed, results overdue": (
        [COURSE, done(Gate.VERIFICATION), done(Gate.SKILLS, D(2026, 6, 2)), done(Gate.EXAM, D(2026, 6, 20))],
        [],
        None,
        TODAY,
    ),
    "all closed": (
        [
            COURSE,
            done(Gate.VERIFICATION),
            done(Gate.SKILLS, D(2026, 6, 2)),
            done(Gate.EXAM, D(2026, 6, 20)),
            GateRecord(Gate.LICENSE, Mark.NOT_REQUIRED),
        ],
        [],
        None,
        TODAY,
    ),
    "license next": (
        [COURSE, done(Gate.VERIFICATION), done(Gate.SKILLS, D(2026, 6, 2)), done(Gate.EXAM, D(2026, 6, 20))],
        [],
        None,
        TODAY,
    ),
    "skills next": ([COURSE, done(Gate.VERIFICATION), done(Gate.EXAM, D(2026, 6, 20))], [], None, TODAY),
    "flagged": ([COURSE, GateRecord(Gate.VERIFICATION, Mark.ISSUE)], ONE, None, TODAY),
    "window near": ([done(Gate.COURSE, D(2024, 11, 2)), done(Gate.VERIFICATION)], [], None, TODAY),
    "window lapsed": ([done(Gate.COURSE, D(2024, 1, 2)), done(Gate.VERIFICATION)], ONE, None, TODAY),
    "lapsed after a pass": (
        [done(Gate.COURSE, D(2024, 1, 2)), done(Gate.VERIFICATION), done(Gate.EXAM, D(2025, 6, 1))],
        [],
        None,
        TODAY,
    ),
}


@pytest.mark.parametrize("name", list(STATES))
def test_a_shared_card_speaks_of_its_owner_in_the_third_person(policy: Policy, name: str) -> None:
    gates, scores, refresher, today = STATES[name]
    state = member(policy, gates, scores, refresher, today)
    embed = render.status_embed(state, policy, owner="Riley")
    words = texts(embed)
    assert not SECOND_PERSON.search(words), SECOND_PERSON.findall(words)
    assert "Riley" in field(embed, "Next step")
    for score in (812, 800, 850, 900):
        assert str(score) not in words  # scores stay private


@pytest.mark.parametrize("name", list(STATES))
def test_the_owners_card_still_speaks_to_them(policy: Policy, name: str) -> None:
    gates, scores, refresher, today = STATES[name]
    embed = render.status_embed(member(policy, gates, scores, refresher, today), policy)
    assert embed.title == "Your EMR certification pathway"
    assert "Riley" not in texts(embed)


@pytest.mark.parametrize(
    ("name", "exam_line"),
    [
        ("attempt before verification", "attempt 1 of 3 did not pass; retest from Wed 2026-11-25"),
        ("waiting to retest", "attempt 1 of 3 did not pass; retest from Wed 2026-11-25"),
        ("wait over", "attempt 1 of 3 did not pass; you may retest now"),
        ("refresher required", "attempt 3 of 3 did not pass; a refresher course comes before the next"),
        ("after a refresher", "refresher course recorded; 0 of 3 attempts used in the new count"),
    ],
)
def test_the_exam_gate_shows_the_attempts(policy: Policy, name: str, exam_line: str) -> None:
    gates, scores, refresher, today = STATES[name]
    embed = render.status_embed(member(policy, gates, scores, refresher, today), policy)
    line = next(line for line in field(embed, "Gates").splitlines() if "Cognitive exam" in line)
    assert exam_line in line
    assert "not started" not in line
    shared = render.status_embed(member(policy, gates, scores, refresher, today), policy, owner="Riley")
    shared_line = next(line for line in field(shared, "Gates").splitlines() if "Cognitive exam" in line)
    assert "not passed yet" in shared_line and "attempt" not in shared_line


def test_an_attempt_before_verification_says_which_gate_still_needs_closing(policy: Policy) -> None:
    gates, scores, refresher, today = STATES["attempt before verification"]
    embed = render.status_embed(member(policy, gates, scores, refresher, today), policy)
    step = field(embed, "Next step")
    assert "exam attempt on Tue 2026-11-10 is recorded" in step
    assert "**Program Director verification** is still open" in step
    assert "`/gate gate:verification mark:done`" in step
    assert "retest from **Wed 2026-11-25**" in step
    assert "Ask your Program Director" not in step  # the exam was taken: verification happened


def test_an_attempt_before_the_course_names_both_open_gates(policy: Policy) -> None:
    gates, scores, refresher, today = STATES["attempt before the course"]
    embed = render.status_embed(member(policy, gates, scores, refresher, today), policy)
    step = field(embed, "Next step")
    assert "**State-approved EMR course** and **Program Director verification** are still open" in step
    assert "`/gate gate:course mark:done date:YYYY-MM-DD`" in step
