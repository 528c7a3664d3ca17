"""Quiz domain: no repeats before the bank is used up, stats and streaks, the daily post time."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.features.quiz.daily import SetupProblem, SetupRefusal, next_post_at, parse_post_time
from bot.features.quiz.selection import pick_daily, pick_practice
from bot.features.quiz.stats import AnswerRecord, quiz_stats, streaks
from bot.policy import Policy

D = dt.date
UTC = dt.UTC


@given(st.integers(min_value=1, max_value=60), st.integers(min_value=0, max_value=2**32), st.integers(1, 4))
def test_daily_selection_never_repeats_before_the_bank_is_used_up(size: int, seed: int, rounds: int) -> None:
    ids = [f"pa-x-{i:03d}" for i in range(size)]
    rng = random.Random(seed)
    cycle, used, history = 0, set(), []
    for _ in range(size * rounds):
        pick = pick_daily(ids, cycle, used, rng)
        if pick.cycle != cycle:
            assert used == set(ids)  # a new cycle only once every question was used
            cycle, used = pick.cycle, set()
        assert pick.question_id not in used
        used.add(pick.question_id)
        history.append(pick.question_id)
    for start in range(0, len(history), size):
        assert sorted(history[start : start + size]) == sorted(ids)


def test_selection_copes_with_an_edited_bank() -> None:
    rng = random.Random(1)
    # A used question was removed from the bank: the rest of the cycle still completes.
    pick = pick_daily(["a", "b"], 3, {"a", "gone"}, rng)
    assert (pick.question_id, pick.cycle) == ("b", 3)
    with pytest.raises(ValueError, match="empty"):
        pick_daily([], 0, set(), rng)


def test_practice_prefers_unseen_questions() -> None:
    rng = random.Random(2)
    assert {pick_practice(["a", "b", "c"], {"a", "b"}, rng) for _ in range(20)} == {"c"}
    assert pick_practice(["a"], {"a"}, rng) == "a"


@pytest.mark.parametrize(
    ("days", "today", "expected"),
    [
        ([], D(2026, 11, 23), (0, 0)),
        ([D(2026, 11, 23)], D(2026, 11, 23), (1, 1)),
        ([D(2026, 11, 21), D(2026, 11, 22)], D(2026, 11, 23), (2, 2)),  # alive: last answer yesterday
        ([D(2026, 11, 20), D(2026, 11, 21)], D(2026, 11, 23), (0, 2)),  # broken
        (
            [D(2026, 11, 1), D(2026, 11, 2), D(2026, 11, 3), D(2026, 11, 22), D(2026, 11, 23)],
            D(2026, 11, 23),
            (2, 3),
        ),
        ([D(2026, 11, 23), D(2026, 11, 23)], D(2026, 11, 23), (1, 1)),  # two answers one day
    ],
)
def test_streaks(days: list[D], today: D, expected: tuple[int, int]) -> None:
    assert streaks(days, today) == expected


def test_weighted_accuracy_follows_the_exam_blueprint(policy: Policy) -> None:
    day = D(2026, 11, 23)
    answers = [AnswerRecord("pa", "primary_assessment", True, day, "knowledge")] * 3
    answers += [AnswerRecord("sa", "secondary_assessment", False, day, "reading")] * 3
    answers += [AnswerRecord("pw", "pathway", False, day, "knowledge")]
    stats = quiz_stats(answers, day, policy.domain_weights)
    # Primary assessment weighs 39, secondary 6: (39 * 1.0 + 6 * 0.0) / 45.
    assert stats.weighted_accuracy == pytest.approx(39 / 45)
    assert (stats.answered, stats.correct) == (7, 3)
    assert stats.miss_buckets == {"reading": 3, "knowledge": 1}
    assert quiz_stats([], day, policy.domain_weights).weighted_accuracy is None


EXAM = ("scene_safety", "primary_assessment", "secondary_assessment", "treatment_transport", "operations")


@pytest.mark.parametrize(
    ("per_domain", "minimum", "shown", "to_go"),
    [
        ({d: 3 for d in EXAM}, 10, False, {d: 7 for d in EXAM}),
        ({**{d: 10 for d in EXAM}, "operations": 9}, 10, False, {"operations": 1}),
        ({d: 10 for d in EXAM if d != "operations"}, 10, False, {"operations": 10}),
        ({d: 10 for d in EXAM}, 10, True, {}),
        ({d: 12 for d in EXAM}, 10, True, {}),
        ({"primary_assessment": 1}, 0, True, {}),  # no minimum: weighted over the domains answered
    ],
)
def test_the_weighted_figure_waits_for_enough_answers_in_every_exam_domain(
    policy: Policy, per_domain: dict[str, int], minimum: int, shown: bool, to_go: dict[str, int]
) -> None:
    day = D(2026, 11, 23)
    answers = [
        AnswerRecord(f"{domain}-{i}", domain, i % 2 == 0, day, "knowledge")
        for domain, count in per_domain.items()
        for i in range(count)
    ]
    answers += [AnswerRecord("pw", "pathway", True, day, None)] * 50  # the pathway set is not an exam domain
    stats = quiz_stats(answers, day, policy.domain_weights, min_per_domain=minimum)
    assert (stats.weighted_accuracy is not None) is shown
    assert dict(stats.to_go) == to_go
    assert stats.answered == sum(per_domain.values()) + 50


@pytest.mark.parametrize(
    ("after", "at", "zone", "expected"),
    [
        # Before today's time -> today; after -> tomorrow.
        (
            dt.datetime(2026, 11, 23, 12, 0, tzinfo=UTC),
            dt.time(9),
            "America/New_York",
            dt.datetime(2026, 11, 23, 14, 0, tzinfo=UTC),
        ),
        (
            dt.datetime(2026, 11, 23, 15, 0, tzinfo=UTC),
            dt.time(9),
            "America/New_York",
            dt.datetime(2026, 11, 24, 14, 0, tzinfo=UTC),
        ),
        # Across the spring-forward change (2027-03-14 in the US): 09:00 EDT is 13:00 UTC.
        (
            dt.datetime(2027, 3, 13, 15, 0, tzinfo=UTC),
            dt.time(9),
            "America/New_York",
            dt.datetime(2027, 3, 14, 13, 0, tzinfo=UTC),
        ),
        # Across the fall-back change (2026-11-01): 09:00 EST is 14:00 UTC.
        (
            dt.datetime(2026, 10, 31, 14, 0, tzinfo=UTC),
            dt.time(9),
            "America/New_York",
            dt.datetime(2026, 11, 1, 14, 0, tzinfo=UTC),
        ),
        # Exactly at the time -> the next day (strictly after).
        (
            dt.datetime(2026, 11, 23, 14, 0, tzinfo=UTC),
            dt.time(9),
            "America/New_York",
            dt.datetime(2026, 11, 24, 14, 0, tzinfo=UTC),
        ),
        (
            dt.datetime(2026, 11, 23, 12, 0, tzinfo=UTC),
            dt.time(7, 30),
            "Asia/Kolkata",
            dt.datetime(2026, 11, 24, 2, 0, tzinfo=UTC),
        ),
    ],
)
def test_next_post_is_the_local_time_across_daylight_saving(
    after: dt.datetime, at: dt.time, zone: str, expected: dt.datetime
) -> None:
    assert next_post_at(after, at, ZoneInfo(zone)) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("07:30", dt.time(7, 30)), ("7:05", dt.time(7, 5)), (" 23:59 ", dt.time(23, 59))]
)
def test_post_time_parses(text: str, expected: dt.time) -> None:
    assert parse_post_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "7", "07:60", "7.30", "seven", "07:30pm", ""])
def test_bad_post_time_is_refused(text: str) -> None:
    with pytest.raises(SetupRefusal) as raised:
        parse_post_time(text)
    assert raised.value.problem is SetupProblem.BAD_TIME
