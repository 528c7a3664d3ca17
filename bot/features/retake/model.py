"""Retakes: reading a failed attempt's scaled score, the wait, the attempt count, and the repair plan.

Pure domain logic. A scaled score is never a percentage and is never converted to or from one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.core.refusals import Refusal
from bot.features.errorlog.model import Bucket, focus_buckets
from bot.policy import Policy


class Band(StrEnum):
    """How far below the passing point: the bot's heuristic bands (thresholds in policy.toml)."""

    NEAR_MISS = "near_miss"
    SOME_WAY_OFF = "some_way_off"
    FAR_OFF = "far_off"


class ScoreProblem(StrEnum):
    OUT_OF_RANGE = "out_of_range"
    PASSING = "passing"


class ScoreRefusal(Refusal):
    def __init__(self, problem: ScoreProblem, score: int, policy: Policy) -> None:
        super().__init__(problem, score)
        self.problem, self.score = problem, score
        self.scale_min, self.scale_max, self.passing = (
            policy.scale_min,
            policy.scale_max,
            policy.passing_score,
        )


class AttemptProblem(StrEnum):
    TOO_SOON = "too_soon"
    OUT_OF_ORDER = "out_of_order"
    REFRESHER_REQUIRED = "refresher_required"
    REFRESHER_BEFORE_ATTEMPT = "refresher_before_attempt"
    NOTHING_TO_UNDO = "nothing_to_undo"
    ALREADY_PASSED = "already_passed"


class AttemptRefusal(Refusal):
    def __init__(
        self,
        problem: AttemptProblem,
        *,
        previous: dt.date | None = None,
        earliest: dt.date | None = None,
        attempts_allowed: int = 0,
    ) -> None:
        super().__init__(problem, previous, earliest)
        self.problem, self.previous, self.earliest = problem, previous, earliest
        self.attempts_allowed = attempts_allowed


@dataclass(frozen=True, slots=True)
class ScoreReading:
    score: int
    passing: int
    points_below: int
    band: Band


def read_score(score: int, policy: Policy) -> ScoreReading:
    """Read a failing scaled score. Refuses scores off the scale and passing scores."""
    if not policy.scale_min <= score <= policy.scale_max:
        raise ScoreRefusal(ScoreProblem.OUT_OF_RANGE, score, policy)
    if score >= policy.passing_score:
        raise ScoreRefusal(ScoreProblem.PASSING, score, policy)
    below = policy.passing_score - score
    if below <= policy.near_miss_within:
        band = Band.NEAR_MISS
    elif below <= policy.some_way_off_within:
        band = Band.SOME_WAY_OFF
    else:
        band = Band.FAR_OFF
    return ScoreReading(score, policy.passing_score, below, band)


@dataclass(frozen=True, slots=True)
class Attempt:
    taken_on: dt.date
    score: int


@dataclass(frozen=True, slots=True)
class RetakeState:
    """Where a member stands after their failed attempts (all of them, oldest first)."""

    attempts: tuple[Attempt, ...]
    cycle: tuple[Attempt, ...]  # attempts since the last refresher course
    refresher_on: dt.date | None
    attempts_allowed: int
    eligible_on: dt.date | None
    refresher_required: bool
    today: dt.date

    @property
    def last(self) -> Attempt | None:
        return self.attempts[-1] if self.attempts else None

    @property
    def used(self) -> int:
        return len(self.cycle)

    @property
    def waiting(self) -> bool:
        return self.eligible_on is not None and self.eligible_on > self.today

    @property
    def days_to_wait(self) -> int:
        return max(0, (self.eligible_on - self.today).days) if self.eligible_on else 0


def eligible_after(taken_on: dt.date, policy: Policy) -> dt.date:
    """A member may retest on attempt date + the wait (15 days: 2026-11-10 -> 2026-11-25)."""
    return taken_on + dt.timedelta(days=policy.wait_days)


def retake_state(
    attempts: Iterable[Attempt], refresher_on: dt.date | None, today: dt.date, policy: Policy
) -> RetakeState:
    ordered = tuple(sorted(attempts, key=lambda a: a.taken_on))
    cycle = tuple(a for a in ordered if refresher_on is None or a.taken_on > refresher_on)
    refresher_required = len(cycle) >= policy.attempts_before_refresher
    eligible = eligible_after(ordered[-1].taken_on, policy) if ordered else None
    return RetakeState(
        attempts=ordered,
        cycle=cycle,
        refresher_on=refresher_on,
        attempts_allowed=policy.attempts_before_refresher,
        eligible_on=eligible,
        refresher_required=refresher_required,
        today=today,
    )


def check_new_attempt(state: RetakeState, taken_on: dt.date, policy: Policy) -> None:
    """Refuse an attempt that the rules say cannot have happened; return quietly otherwise."""
    last = state.last
    if last is not None and taken_on <= last.taken_on:
        raise AttemptRefusal(AttemptProblem.OUT_OF_ORDER, previous=last.taken_on)
    if state.refresher_required:
        raise AttemptRefusal(
            AttemptProblem.REFRESHER_REQUIRED,
            previous=last.taken_on if last else None,
            attempts_allowed=state.attempts_allowed,
        )
    if last is not None and taken_on < eligible_after(last.taken_on, policy):
        raise AttemptRefusal(
            AttemptProblem.TOO_SOON, previous=last.taken_on, earliest=eligible_after(last.taken_on, policy)
        )
    if state.refresher_on is not None and taken_on <= state.refresher_on:
        raise AttemptRefusal(AttemptProblem.REFRESHER_BEFORE_ATTEMPT, previous=state.refresher_on)


def check_refresher(state: RetakeState, completed_on: dt.date) -> None:
    last = state.last
    if last is not None and completed_on < last.taken_on:
        raise AttemptRefusal(AttemptProblem.REFRESHER_BEFORE_ATTEMPT, previous=last.taken_on)


# ---------------------------------------------------------------------------------------- repair plan


@dataclass(frozen=True, slots=True)
class PlanDay:
    day: dt.date
    bucket: Bucket | None  # None: the rest / light-review day before the retest
    drill: int  # which of the bucket's drills (cycled), so consecutive days differ


@dataclass(frozen=True, slots=True)
class RepairPlan:
    """The repair plan for the wait. Without misses logged, ``focus`` is empty: classify first."""

    focus: tuple[Bucket, ...]
    misses: Counter[Bucket]
    days: tuple[PlanDay, ...]
    retest_on: dt.date | None
    band: Band | None

    @property
    def needs_classification(self) -> bool:
        return not self.focus


def repair_plan(
    misses: Counter[Bucket],
    today: dt.date,
    retest_on: dt.date | None,
    band: Band | None,
    policy: Policy,
) -> RepairPlan:
    """Lay the focus buckets out day by day over the days until the retest date.

    The day before the retest is a light review day. The top bucket gets the larger share of days.
    """
    focus = focus_buckets(misses, policy)
    if not focus or retest_on is None or retest_on <= today:
        return RepairPlan(focus, misses, (), retest_on, band)
    span = (retest_on - today).days  # days from today up to the day before the retest
    days: list[PlanDay] = []
    drills: Counter[Bucket] = Counter()
    pattern = _pattern(focus)
    for offset in range(span):
        day = today + dt.timedelta(days=offset)
        if offset == span - 1 and span > 1:
            days.append(PlanDay(day, None, 0))
            continue
        bucket = pattern[offset % len(pattern)]
        days.append(PlanDay(day, bucket, drills[bucket]))
        drills[bucket] += 1
    return RepairPlan(focus, misses, tuple(days), retest_on, band)


def _pattern(focus: Sequence[Bucket]) -> tuple[Bucket, ...]:
    if len(focus) == 1:
        return (focus[0],)
    top, second = focus[0], focus[1]
    return (top, second, top)  # two days of the costliest bucket for each day of the second
