"""Spaced review: one FSRS card per member and item, scheduled toward the member's target date. Pure.

FSRS (the ``fsrs`` package, py-fsrs 6.x) decides when a card is due from the ratings it gets. It has no
deadline option, so the bot does what its maintainers suggest for an exam date (all numbers are the
bot's heuristics, in ``[review.*]`` of the policy file):

- the longest interval is the days left until the target, so no card is scheduled past the exam;
- the desired retention rises as the date nears (more reviews, each card held more firmly);
- in the last days, a session serves the cards with the lowest predicted recall *on the exam day*
  (``Scheduler.get_card_retrievability(card, exam_instant)``) instead of the due ones.

A rating comes from the answer: wrong is Again, right but slower than the pace is Hard, right is Good.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from fsrs import Card, Rating, Scheduler

from bot.core.refusals import Refusal
from bot.policy import Policy

#: The layout of a stored card: py-fsrs 6.x's ``Card.to_dict()``. Bump it if that layout changes.
CARD_SCHEMA = 1
_CARD_ID = 0  # py-fsrs makes an id from the clock (and sleeps a millisecond) when none is given


class TargetSource(StrEnum):
    GOAL = "goal"  # /practice goal
    RETEST = "retest"  # the first day the member may retest (/retake)


@dataclass(frozen=True, slots=True)
class Target:
    day: dt.date
    source: TargetSource


@dataclass(frozen=True, slots=True)
class StoredCard:
    item: str
    card: Card
    reviews: int
    lapses: int


class GoalProblem(StrEnum):
    PAST = "past"  # today or earlier
    TOO_FAR = "too_far"  # more than review.goal_max_days ahead


class GoalRefusal(Refusal):
    def __init__(self, problem: GoalProblem, day: dt.date, limit: dt.date) -> None:
        super().__init__(problem, day, limit)
        self.problem, self.day, self.limit = problem, day, limit


def check_goal(day: dt.date, today: dt.date, policy: Policy) -> dt.date:
    """A target date must be after today and at most ``review.goal_max_days`` ahead."""
    if day <= today:
        raise GoalRefusal(GoalProblem.PAST, day, today)
    limit = today + dt.timedelta(days=policy.review_goal_max_days)
    if day > limit:
        raise GoalRefusal(GoalProblem.TOO_FAR, day, limit)
    return day


def rating_for(correct: bool, seconds: float | None, pace_seconds: float | None) -> Rating:
    """Wrong: Again. Right but slower than the pace: Hard. Right: Good (also when time is not measured)."""
    if not correct:
        return Rating.Again
    if seconds is not None and pace_seconds is not None and seconds > pace_seconds:
        return Rating.Hard
    return Rating.Good


def choose_target(goal: dt.date | None, retest_on: dt.date | None, today: dt.date) -> Target | None:
    """The member's own goal when it is still ahead; otherwise their retest day when still ahead."""
    if goal is not None and goal > today:
        return Target(goal, TargetSource.GOAL)
    if retest_on is not None and retest_on > today:
        return Target(retest_on, TargetSource.RETEST)
    return None


def days_left(target: Target | None, today: dt.date) -> int | None:
    return (target.day - today).days if target is not None else None


def desired_retention(left: int | None, policy: Policy) -> float:
    if left is not None and left <= policy.review_final_days:
        return policy.review_retention_week / 100
    if left is not None and left <= policy.review_month_days:
        return policy.review_retention_month / 100
    return policy.review_retention_far / 100


def scheduler_for(left: int | None, policy: Policy, *, fuzzing: bool = True) -> Scheduler:
    """FSRS with the deadline rules applied for ``left`` days to the target (None: no target)."""
    maximum = (
        policy.review_max_interval_days
        if left is None
        else max(1, min(left, policy.review_max_interval_days))
    )
    return Scheduler(
        desired_retention=desired_retention(left, policy),
        learning_steps=tuple(dt.timedelta(minutes=m) for m in policy.review_learning_steps_minutes),
        relearning_steps=tuple(dt.timedelta(minutes=m) for m in policy.review_relearning_steps_minutes),
        maximum_interval=maximum,
        enable_fuzzing=fuzzing,
    )


def final_stretch(left: int | None, policy: Policy) -> bool:
    return left is not None and left <= policy.review_final_days


def exam_instant(target: Target, zone: ZoneInfo, policy: Policy) -> dt.datetime:
    """When "on the exam day" is measured: the policy's hour on the target date, local time, in UTC."""
    local = dt.datetime.combine(target.day, dt.time(policy.review_exam_hour), tzinfo=zone)
    return local.astimezone(dt.UTC)


# ----------------------------------------------------------------------------------- one answer


def new_card(now: dt.datetime) -> Card:
    return Card(card_id=_CARD_ID, due=now)


def review(
    stored: StoredCard | None,
    item: str,
    rating: Rating,
    now: dt.datetime,
    scheduler: Scheduler,
) -> StoredCard:
    """The card after one more answer (a first answer makes the card)."""
    if now.tzinfo is None:
        raise ValueError("review needs a timezone-aware instant")
    card = stored.card if stored is not None else new_card(now)
    updated, _log = scheduler.review_card(card, rating, review_datetime=now)
    reviews = (stored.reviews if stored else 0) + 1
    lapses = (stored.lapses if stored else 0) + (rating is Rating.Again)
    return StoredCard(item, updated, reviews, lapses)


def dump_card(card: Card) -> str:
    return json.dumps(card.to_dict(), separators=(",", ":"))


def load_card(text: str, schema: int) -> Card:
    if schema != CARD_SCHEMA:
        raise ValueError(f"review card schema {schema} is not {CARD_SCHEMA}")
    return Card.from_dict(json.loads(text))


# ------------------------------------------------------------------------------------ a session


def session_order(
    cards: list[StoredCard],
    scheduler: Scheduler,
    now: dt.datetime,
    *,
    exam_at: dt.datetime | None,
    final: bool,
) -> list[str]:
    """The items to review, best first.

    Normally: the due cards (most overdue first), then the rest by lowest recall now. In the final
    stretch before the target: every card by lowest predicted recall at ``exam_at``.
    """
    if final and exam_at is not None:
        ranked = sorted(cards, key=lambda c: (scheduler.get_card_retrievability(c.card, exam_at), c.item))
        return [c.item for c in ranked]
    due = sorted((c for c in cards if c.card.due <= now), key=lambda c: (c.card.due, c.item))
    rest = sorted(
        (c for c in cards if c.card.due > now),
        key=lambda c: (scheduler.get_card_retrievability(c.card, now), c.item),
    )
    return [c.item for c in due + rest]


# ------------------------------------------------------------------------------------- progress


@dataclass(frozen=True, slots=True)
class Progress:
    cards: int
    due_now: int
    due_today: int
    due_week: int
    target: Target | None
    #: On the target date (or a week from today without one): cards by predicted recall band.
    strong: int
    shaky: int
    at_risk: int
    #: (local day, cards due that day) from today to the target (at most policy's chart span).
    forecast: tuple[tuple[dt.date, int], ...]
    #: (local day, cards at risk that day if the member stopped reviewing now).
    at_risk_by_day: tuple[tuple[dt.date, int], ...]


FORECAST_DAYS = 28  # the chart's span without a nearer target


def progress(
    cards: list[StoredCard],
    scheduler: Scheduler,
    now: dt.datetime,
    zone: ZoneInfo,
    target: Target | None,
    policy: Policy,
) -> Progress:
    today = now.astimezone(zone).date()

    def local_day(moment: dt.datetime) -> dt.date:
        return moment.astimezone(zone).date()

    def recall(card: Card, at: dt.datetime) -> float:
        return scheduler.get_card_retrievability(card, at)

    last = target.day if target is not None else today + dt.timedelta(days=FORECAST_DAYS)
    last = min(last, today + dt.timedelta(days=FORECAST_DAYS))
    days = [today + dt.timedelta(days=n) for n in range((last - today).days + 1)]
    due_days = [max(local_day(c.card.due), today) for c in cards]
    forecast = tuple((d, sum(1 for due in due_days if due == d)) for d in days)
    at_risk = policy.review_at_risk_below / 100
    noon = dt.time(12)
    risk_by_day = tuple(
        (
            d,
            sum(
                1
                for c in cards
                if recall(c.card, dt.datetime.combine(d, noon, tzinfo=zone).astimezone(dt.UTC)) < at_risk
            ),
        )
        for d in days
    )
    measured_at = (
        exam_instant(target, zone, policy)
        if target is not None
        else dt.datetime.combine(today + dt.timedelta(days=7), noon, tzinfo=zone).astimezone(dt.UTC)
    )
    recalls = [recall(c.card, measured_at) for c in cards]
    strong_from = policy.review_strong_from / 100
    return Progress(
        cards=len(cards),
        due_now=sum(1 for c in cards if c.card.due <= now),
        due_today=sum(1 for d in due_days if d <= today),
        due_week=sum(1 for d in due_days if d < today + dt.timedelta(days=7)),
        target=target,
        strong=sum(1 for r in recalls if r >= strong_from),
        shaky=sum(1 for r in recalls if at_risk <= r < strong_from),
        at_risk=sum(1 for r in recalls if r < at_risk),
        forecast=forecast,
        at_risk_by_day=risk_by_day,
    )


def minutes_for(cards: int, policy: Policy) -> int:
    """About how long ``cards`` cards take, in whole minutes (at least one)."""
    return max(1, -(-cards * policy.review_seconds_per_card // 60))
