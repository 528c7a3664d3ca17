"""Retake domain: score reading, the wait, the count of three, and the repair plan."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.features.errorlog.model import BUCKETS, Bucket, focus_buckets
from bot.features.retake.model import (
    Attempt,
    AttemptProblem,
    AttemptRefusal,
    Band,
    ScoreProblem,
    ScoreRefusal,
    check_new_attempt,
    check_refresher,
    eligible_after,
    read_score,
    repair_plan,
    retake_state,
)
from bot.policy import Policy

D = dt.date
TODAY = D(2026, 11, 23)


@pytest.mark.parametrize(
    ("score", "below", "band"),
    [
        (949, 1, Band.NEAR_MISS),
        (875, 75, Band.NEAR_MISS),
        (874, 76, Band.SOME_WAY_OFF),
        (812, 138, Band.SOME_WAY_OFF),
        (750, 200, Band.SOME_WAY_OFF),
        (749, 201, Band.FAR_OFF),
        (100, 850, Band.FAR_OFF),
    ],
)
def test_score_reading_bands(score: int, below: int, band: Band, policy: Policy) -> None:
    reading = read_score(score, policy)
    assert (reading.points_below, reading.band, reading.passing) == (below, band, 950)


@pytest.mark.parametrize(
    ("score", "problem"),
    [
        (950, ScoreProblem.PASSING),
        (1200, ScoreProblem.PASSING),
        (1500, ScoreProblem.PASSING),
        (1600, ScoreProblem.OUT_OF_RANGE),
        (99, ScoreProblem.OUT_OF_RANGE),
        (0, ScoreProblem.OUT_OF_RANGE),
        (-5, ScoreProblem.OUT_OF_RANGE),
    ],
)
def test_scores_that_are_not_failing_scaled_scores_are_refused(
    score: int, problem: ScoreProblem, policy: Policy
) -> None:
    with pytest.raises(ScoreRefusal) as raised:
        read_score(score, policy)
    assert raised.value.problem is problem


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 1, 1)))
def test_eligibility_is_always_attempt_plus_fifteen_days(policy: Policy, taken_on: D) -> None:
    assert eligible_after(taken_on, policy) - taken_on == dt.timedelta(days=15)
    state = retake_state([Attempt(taken_on, 800)], None, taken_on, policy)
    assert state.eligible_on == taken_on + dt.timedelta(days=15)


def test_issue_example_retest_date(policy: Policy) -> None:
    state = retake_state([Attempt(D(2026, 11, 10), 812)], None, TODAY, policy)
    assert state.eligible_on == D(2026, 11, 25)
    assert (state.used, state.attempts_allowed, state.waiting, state.days_to_wait) == (1, 3, True, 2)


@pytest.mark.parametrize(
    ("history", "new", "problem"),
    [
        ([D(2026, 11, 10)], D(2026, 11, 24), AttemptProblem.TOO_SOON),
        ([D(2026, 11, 10)], D(2026, 11, 10), AttemptProblem.OUT_OF_ORDER),
        ([D(2026, 11, 10)], D(2026, 10, 1), AttemptProblem.OUT_OF_ORDER),
        ([D(2026, 6, 1), D(2026, 7, 1), D(2026, 8, 1)], D(2026, 11, 1), AttemptProblem.REFRESHER_REQUIRED),
    ],
)
def test_attempts_the_rules_rule_out(
    history: list[D], new: D, problem: AttemptProblem, policy: Policy
) -> None:
    state = retake_state([Attempt(d, 800) for d in history], None, TODAY, policy)
    with pytest.raises(AttemptRefusal) as raised:
        check_new_attempt(state, new, policy)
    assert raised.value.problem is problem
    if problem is AttemptProblem.TOO_SOON:
        assert raised.value.earliest == D(2026, 11, 25)


def test_fifteen_days_later_is_allowed(policy: Policy) -> None:
    state = retake_state([Attempt(D(2026, 11, 8), 800)], None, TODAY, policy)
    check_new_attempt(state, D(2026, 11, 23), policy)  # no refusal


def test_refresher_starts_a_new_count_of_three(policy: Policy) -> None:
    history = [Attempt(D(2026, 6, 1), 800), Attempt(D(2026, 7, 1), 820), Attempt(D(2026, 8, 1), 870)]
    before = retake_state(history, None, TODAY, policy)
    assert before.refresher_required and before.used == 3
    check_refresher(before, D(2026, 9, 15))
    after = retake_state(history, D(2026, 9, 15), TODAY, policy)
    assert not after.refresher_required and after.used == 0
    check_new_attempt(after, D(2026, 10, 1), policy)
    with pytest.raises(AttemptRefusal) as raised:
        check_refresher(before, D(2026, 7, 20))
    assert raised.value.problem is AttemptProblem.REFRESHER_BEFORE_ATTEMPT


@pytest.mark.parametrize(
    ("misses", "focus"),
    [
        ({}, ()),
        ({Bucket.SCOPE: 1}, (Bucket.SCOPE,)),
        ({Bucket.SCOPE: 4, Bucket.READING: 3, Bucket.KNOWLEDGE: 1}, (Bucket.SCOPE, Bucket.READING)),
        ({Bucket.SCOPE: 6, Bucket.READING: 2}, (Bucket.SCOPE,)),  # second is under half of the first
        ({Bucket.PACING: 2, Bucket.KNOWLEDGE: 2}, (Bucket.KNOWLEDGE, Bucket.PACING)),  # tie: seed order
        ({Bucket.SEQUENCE: 5, Bucket.READING: 5, Bucket.SCOPE: 5}, (Bucket.SEQUENCE, Bucket.SCOPE)),
    ],
)
def test_focus_is_the_one_or_two_costliest_buckets(
    misses: dict[Bucket, int], focus: tuple[Bucket, ...], policy: Policy
) -> None:
    assert focus_buckets(Counter(misses), policy) == focus


def test_plan_lays_out_every_day_until_the_retest(policy: Policy) -> None:
    misses = Counter({Bucket.SCOPE: 4, Bucket.READING: 3})
    plan = repair_plan(misses, D(2026, 11, 10), D(2026, 11, 25), Band.SOME_WAY_OFF, policy)
    assert [d.day for d in plan.days] == [D(2026, 11, 10) + dt.timedelta(days=i) for i in range(15)]
    assert plan.days[-1].bucket is None  # the light day before the retest
    worked = Counter(d.bucket for d in plan.days if d.bucket)
    assert set(worked) == {Bucket.SCOPE, Bucket.READING}
    assert worked[Bucket.SCOPE] > worked[Bucket.READING]


def test_plan_without_misses_asks_to_classify_first(policy: Policy) -> None:
    plan = repair_plan(Counter(), D(2026, 11, 10), D(2026, 11, 25), Band.NEAR_MISS, policy)
    assert plan.needs_classification and plan.days == ()


@given(
    st.dictionaries(st.sampled_from(BUCKETS), st.integers(min_value=0, max_value=50)),
    st.integers(min_value=0, max_value=30),
)
def test_plan_properties(policy: Policy, counts: dict[Bucket, int], days_left: int) -> None:
    today = D(2026, 11, 10)
    plan = repair_plan(Counter(counts), today, today + dt.timedelta(days=days_left), None, policy)
    assert 0 <= len(plan.focus) <= 2
    if any(counts.values()):
        assert plan.focus and counts[plan.focus[0]] == max(counts.values())
        assert len(plan.days) == days_left
    assert all(d.bucket is None or d.bucket in plan.focus for d in plan.days)
