"""Spaced review's rules: the rating from an answer, the deadline rules, the session order, progress."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from fsrs import Rating
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.features.review import model
from bot.features.review.model import GoalProblem, GoalRefusal, Target, TargetSource
from bot.policy import Policy

NOW = dt.datetime(2026, 11, 29, 15, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 29)
NY = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("correct", "seconds", "pace", "rating"),
    [
        (False, 10.0, 57.0, Rating.Again),
        (False, None, None, Rating.Again),
        (True, 80.0, 57.0, Rating.Hard),  # right but slower than the pace
        (True, 57.0, 57.0, Rating.Good),  # at the pace is not slower
        (True, 20.0, 57.0, Rating.Good),
        (True, None, None, Rating.Good),  # the daily post does not time an answer
        (True, 300.0, None, Rating.Good),
    ],
)
def test_rating_from_the_answer(
    correct: bool, seconds: float | None, pace: float | None, rating: Rating
) -> None:
    assert model.rating_for(correct, seconds, pace) is rating


@pytest.mark.parametrize(
    ("goal", "retest", "expected"),
    [
        (None, None, None),
        (dt.date(2026, 12, 20), None, Target(dt.date(2026, 12, 20), TargetSource.GOAL)),
        (None, dt.date(2026, 12, 5), Target(dt.date(2026, 12, 5), TargetSource.RETEST)),
        (dt.date(2026, 12, 20), dt.date(2026, 12, 5), Target(dt.date(2026, 12, 20), TargetSource.GOAL)),
        (dt.date(2026, 11, 1), dt.date(2026, 12, 5), Target(dt.date(2026, 12, 5), TargetSource.RETEST)),
        (TODAY, None, None),  # a goal of today has passed as a target
        (None, dt.date(2026, 11, 20), None),  # the retest wait is over: no date to aim at
    ],
)
def test_the_target_date(goal: dt.date | None, retest: dt.date | None, expected: Target | None) -> None:
    assert model.choose_target(goal, retest, TODAY) == expected


@pytest.mark.parametrize(
    ("day", "problem"),
    [
        (TODAY, GoalProblem.PAST),
        (TODAY - dt.timedelta(days=1), GoalProblem.PAST),
        (TODAY + dt.timedelta(days=366), GoalProblem.TOO_FAR),
    ],
)
def test_goal_refusals(day: dt.date, problem: GoalProblem, policy: Policy) -> None:
    with pytest.raises(GoalRefusal) as refused:
        model.check_goal(day, TODAY, policy)
    assert refused.value.problem is problem


@pytest.mark.parametrize("days", [1, 30, 365])
def test_goals_that_are_kept(days: int, policy: Policy) -> None:
    day = TODAY + dt.timedelta(days=days)
    assert model.check_goal(day, TODAY, policy) == day


@pytest.mark.parametrize(
    ("left", "retention", "maximum"),
    [
        (None, 0.90, 180),
        (200, 0.90, 180),
        (31, 0.90, 31),
        (30, 0.92, 30),
        (8, 0.92, 8),
        (7, 0.95, 7),
        (1, 0.95, 1),
        (0, 0.95, 1),
    ],
)
def test_the_deadline_rules(left: int | None, retention: float, maximum: int, policy: Policy) -> None:
    scheduler = model.scheduler_for(left, policy)
    assert scheduler.desired_retention == pytest.approx(retention)
    assert scheduler.maximum_interval == maximum
    assert model.final_stretch(left, policy) is (left is not None and left <= 7)


@settings(max_examples=60, deadline=None)
@given(
    left=st.integers(min_value=1, max_value=120),
    ratings=st.lists(st.sampled_from([Rating.Again, Rating.Hard, Rating.Good]), min_size=1, max_size=12),
)
def test_no_card_is_scheduled_past_the_target(left: int, ratings: list[Rating], policy: Policy) -> None:
    """Each answer is scheduled with the days left at that moment (as the bot does): no card falls due
    after the target, except one answered on the day itself, which comes back a day later at most."""
    target_at = NOW + dt.timedelta(days=left)
    stored = None
    at = NOW
    for rating in ratings:
        days = max(0, (target_at - at).days)
        stored = model.review(stored, "q:x", rating, at, model.scheduler_for(days, policy))
        assert stored.card.due <= max(target_at, at + dt.timedelta(days=1))
        at = max(at, stored.card.due)
    assert stored is not None and stored.reviews == len(ratings)
    assert stored.lapses == ratings.count(Rating.Again)


def test_a_card_round_trips_through_storage(policy: Policy) -> None:
    stored = model.review(None, "q:x", Rating.Good, NOW, model.scheduler_for(None, policy))
    text = model.dump_card(stored.card)
    again = model.load_card(text, model.CARD_SCHEMA)
    assert again.to_dict() == stored.card.to_dict()
    assert again.due.tzinfo is not None
    with pytest.raises(ValueError):
        model.load_card(text, model.CARD_SCHEMA + 1)


def test_a_naive_instant_is_refused(policy: Policy) -> None:
    with pytest.raises(ValueError):
        model.review(None, "q:x", Rating.Good, NOW.replace(tzinfo=None), model.scheduler_for(None, policy))


def _cards(policy: Policy) -> list[model.StoredCard]:
    scheduler = model.scheduler_for(None, policy, fuzzing=False)
    missed = model.review(None, "q:missed", Rating.Again, NOW - dt.timedelta(days=3), scheduler)
    known = model.review(None, "q:known", Rating.Good, NOW - dt.timedelta(days=1), scheduler)
    solid = model.review(None, "q:solid", Rating.Good, NOW - dt.timedelta(days=40), scheduler)
    solid = model.review(solid, "q:solid", Rating.Good, solid.card.due, scheduler)
    solid = model.review(solid, "q:solid", Rating.Good, solid.card.due - dt.timedelta(days=1), scheduler)
    return [known, solid, missed]


def test_due_cards_come_first_then_the_weakest(policy: Policy) -> None:
    cards = _cards(policy)
    scheduler = model.scheduler_for(None, policy)
    due = [c.item for c in cards if c.card.due <= NOW]
    assert due == ["q:missed"]
    order = model.session_order(cards, scheduler, NOW, exam_at=None, final=False)
    assert order[0] == "q:missed" and sorted(order) == sorted(c.item for c in cards)


def test_in_the_final_stretch_the_lowest_recall_on_exam_day_comes_first(policy: Policy) -> None:
    cards = _cards(policy)
    scheduler = model.scheduler_for(5, policy)
    exam_at = NOW + dt.timedelta(days=5)
    order = model.session_order(cards, scheduler, NOW, exam_at=exam_at, final=True)
    recalls = [
        scheduler.get_card_retrievability(next(c.card for c in cards if c.item == item), exam_at)
        for item in order
    ]
    assert recalls == sorted(recalls)


def test_progress_counts(policy: Policy) -> None:
    cards = _cards(policy)
    target = Target(TODAY + dt.timedelta(days=10), TargetSource.GOAL)
    scheduler = model.scheduler_for(10, policy)
    progress = model.progress(cards, scheduler, NOW, NY, target, policy)
    assert progress.cards == 3 and progress.due_now == 1
    assert progress.due_now <= progress.due_today <= progress.due_week <= progress.cards
    assert progress.strong + progress.shaky + progress.at_risk == 3
    assert len(progress.forecast) == 11 and progress.forecast[0][0] == TODAY
    assert progress.forecast[0][1] >= 1  # the overdue card counts today
    last = progress.forecast[-1][0]
    in_window = sum(1 for c in cards if c.card.due.astimezone(NY).date() <= last)
    assert sum(n for _, n in progress.forecast) == in_window  # each card once, on its day (overdue: today)


@pytest.mark.parametrize(("cards", "minutes"), [(0, 1), (1, 1), (3, 2), (12, 8), (90, 60)])
def test_minutes_for_a_nudge(cards: int, minutes: int, policy: Policy) -> None:
    assert model.minutes_for(cards, policy) == minutes
