"""The group's aggregates: where members stand on the pathway, how the group practices, and what to run
next. Pure: member records and tallies in (from :mod:`.repo`), an :class:`Overview` of shown cells out.

Every count passes through the small-number rule (:mod:`.model`); a share right is computed only when
the members and answers it rests on are at or above the threshold. Only members who chose to share
(``/privacy share``) are named, with their next step; suggestions rest on shown figures only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from bot.features.group.model import Breakdown, Shown, funnel, mask, share, subtotal, suppress
from bot.features.pathway.model import GATE_ORDER, Gate, Mark, PathwayCard
from bot.features.retake.model import RetakeState
from bot.policy import Policy


class Stage(StrEnum):
    """Where a member is held up: the first gate still open, or every gate closed."""

    COURSE = Gate.COURSE.value
    VERIFICATION = Gate.VERIFICATION.value
    EXAM = Gate.EXAM.value
    SKILLS = Gate.SKILLS.value
    LICENSE = Gate.LICENSE.value
    DONE = "done"


STAGES: tuple[Stage, ...] = (*(Stage(g.value) for g in GATE_ORDER), Stage.DONE)


class AtExam(StrEnum):
    """Where a member held up at the exam stands: a breakdown of that stage's count."""

    REFRESHER = "refresher"  # must take a refresher course before the next attempt
    SOON = "soon"  # waiting out a retest, which falls within the policy's window (14 days)
    LATER = "later"  # waiting out a retest, later than that
    READY = "ready"  # may test now (not tested yet, or the wait is over)


@dataclass(frozen=True, slots=True)
class MemberRecord:
    """One member of the group as the overview needs them (built with the pathway's pure modules)."""

    user_id: int
    shared: bool
    card: PathwayCard
    retake: RetakeState


@dataclass(frozen=True, slots=True)
class Tally:
    """Answers (or misses) of some members: how many members, how many answers, how many right."""

    members: int = 0
    answers: int = 0
    correct: int = 0


@dataclass(frozen=True, slots=True)
class GroupFacts:
    members: tuple[MemberRecord, ...]
    #: The daily question in this server: the short and the long window (7 and 30 days).
    week: Tally
    month: Tally
    #: Members who answered in the long window but only before the short one.
    month_only_members: int
    #: Every answer of the group's members in the long window, by exam domain (quiz and practice).
    domains: Mapping[str, Tally]
    #: Misses in the long window by error bucket: ``answers`` is the number of misses.
    buckets: Mapping[str, Tally]
    quiz_set_up: bool


@dataclass(frozen=True, slots=True)
class WindowView:
    days: int
    members: Shown
    answers: Shown | None  # None: held back (it would be one or two members' answers)
    share_right: float | None


@dataclass(frozen=True, slots=True)
class DomainView:
    domain: str
    weight: tuple[int, int]
    members: Shown
    answers: Shown | None  # None: fewer than the threshold of members answered in this domain
    share_right: float | None


@dataclass(frozen=True, slots=True)
class BucketView:
    bucket: str
    members: Shown
    misses: Shown | None


class Suggest(StrEnum):
    SET_UP_QUIZ = "set_up_quiz"
    TOP_BUCKET = "top_bucket"
    WEAK_DOMAIN = "weak_domain"
    RETEST_SOON = "retest_soon"
    REFRESHER = "refresher"
    HELD_AT_GATE = "held_at_gate"
    FEW_ANSWERS = "few_answers"


@dataclass(frozen=True, slots=True)
class Suggestion:
    kind: Suggest
    subject: str = ""


@dataclass(frozen=True, slots=True)
class Overview:
    threshold: int
    members: Shown
    stages: Breakdown[Stage]
    reached: tuple[tuple[Stage, Shown], ...]
    awaiting_results: Shown
    #: The exam stage's members by where they stand (its total is the stage's count).
    exam: Breakdown[AtExam]
    #: Waiting out a retest (SOON and LATER together), if that sum may be shown.
    waiting: Shown
    retest_window_days: int
    week: WindowView
    month: WindowView
    domains: tuple[DomainView, ...]
    buckets: tuple[BucketView, ...]
    shared: tuple[MemberRecord, ...]
    suggestions: tuple[Suggestion, ...]

    @property
    def enough(self) -> bool:
        """At least the threshold of members: below it every count is held back."""
        return self.members.visible


def stage_of(card: PathwayCard) -> Stage:
    return Stage.DONE if card.blocking is None else Stage(card.blocking.value)


def awaiting_results(card: PathwayCard) -> bool:
    """Passed the exam, and the result is still to post (a requirement remains, or it is not due yet)."""
    if card.gate(Gate.EXAM).mark is not Mark.DONE or card.results is None:
        return False
    expected = card.results.expected
    return bool(card.results.waiting_on) or (expected is not None and expected >= card.today)


def at_exam(retake: RetakeState, card: PathwayCard, window_days: int) -> AtExam | None:
    """Where a member held up at the exam stands; None for a member at another stage."""
    if stage_of(card) is not Stage.EXAM:
        return None
    if retake.refresher_required:
        return AtExam.REFRESHER
    if retake.waiting:
        assert retake.eligible_on is not None
        soon = retake.eligible_on <= retake.today + dt.timedelta(days=window_days)
        return AtExam.SOON if soon else AtExam.LATER
    return AtExam.READY


def _window(tally: Tally, days: int, threshold: int, *, older_members: int = 0) -> WindowView:
    """Answers and share right only when enough members answered, and (for the short window) when the
    answers outside it do not belong to one or two members (long minus short would reveal them)."""
    members = mask(tally.members, threshold)
    detail = members.visible and tally.answers >= threshold and not 0 < older_members < threshold
    return WindowView(
        days,
        members,
        Shown(tally.answers) if detail else None,
        share(tally.correct, tally.answers, (tally.members, tally.answers), threshold) if detail else None,
    )


def build_overview(facts: GroupFacts, policy: Policy) -> Overview:
    threshold = policy.group_small_number
    records = facts.members
    members = mask(len(records), threshold)
    stage_counts = {stage: 0 for stage in STAGES}
    exam_counts = {state: 0 for state in AtExam}
    for record in records:
        stage_counts[stage_of(record.card)] += 1
        if (state := at_exam(record.retake, record.card, policy.group_retest_window_days)) is not None:
            exam_counts[state] += 1
    stages = suppress(stage_counts, threshold, total=members)
    exam = suppress(exam_counts, threshold, total=stages.part(Stage.EXAM))
    weights = policy.domain_weights
    domains = tuple(
        DomainView(
            domain,
            weights[domain],
            mask(tally.members, threshold),
            Shown(tally.answers) if tally.members >= threshold else None,
            share(tally.correct, tally.answers, (tally.members, tally.answers), threshold),
        )
        for domain in weights
        for tally in (facts.domains.get(domain, Tally()),)
    )
    buckets = sorted(facts.buckets.items(), key=lambda item: -item[1].answers)
    overview = Overview(
        threshold=threshold,
        members=members,
        stages=stages,
        reached=funnel(stages),
        awaiting_results=mask(sum(awaiting_results(r.card) for r in records), threshold),
        exam=exam,
        waiting=subtotal(exam, (AtExam.SOON, AtExam.LATER)),
        retest_window_days=policy.group_retest_window_days,
        week=_window(
            facts.week, policy.group_short_window_days, threshold, older_members=facts.month_only_members
        ),
        month=_window(facts.month, policy.group_long_window_days, threshold),
        domains=domains,
        buckets=tuple(
            BucketView(
                bucket,
                mask(tally.members, threshold),
                Shown(tally.answers) if tally.members >= threshold else None,
            )
            for bucket, tally in buckets
        ),
        shared=tuple(sorted((r for r in records if r.shared), key=lambda r: r.user_id)),
        suggestions=(),
    )
    return _with_suggestions(overview, facts.quiz_set_up)


def _with_suggestions(overview: Overview, quiz_set_up: bool) -> Overview:
    """What to run next, from shown figures only (a held-back count never drives a suggestion)."""
    found: list[Suggestion] = []
    if not quiz_set_up:
        found.append(Suggestion(Suggest.SET_UP_QUIZ))
    top = next((b for b in overview.buckets if b.misses is not None), None)
    if top is not None:
        found.append(Suggestion(Suggest.TOP_BUCKET, top.bucket))
    rated = [d for d in overview.domains if d.share_right is not None]
    if len(rated) >= 2:
        weakest = min(rated, key=lambda d: (d.share_right, -sum(d.weight)))
        found.append(Suggestion(Suggest.WEAK_DOMAIN, weakest.domain))
    if overview.exam.part(AtExam.SOON).visible:
        found.append(Suggestion(Suggest.RETEST_SOON))
    if overview.exam.part(AtExam.REFRESHER).visible:
        found.append(Suggestion(Suggest.REFRESHER))
    held = _most_held(overview.stages)
    if held is not None:
        found.append(Suggestion(Suggest.HELD_AT_GATE, held.value))
    if quiz_set_up and overview.enough and not overview.week.members.visible:
        found.append(Suggestion(Suggest.FEW_ANSWERS))
    return replace(overview, suggestions=tuple(found))


def _most_held(stages: Breakdown[Stage]) -> Stage | None:
    shown = [(s, c.value) for s, c in stages.parts if c.value is not None and s is not Stage.DONE]
    return max(shown, key=lambda item: item[1])[0] if shown else None


def shown_numbers(overview: Overview) -> Sequence[int]:
    """Every count the overview shows as a number (for tests of the small-number rule)."""
    cells: list[Shown] = [overview.members, overview.stages.total, overview.awaiting_results]
    cells += [s for _, s in overview.stages.parts] + [s for _, s in overview.reached]
    cells += [overview.exam.total, overview.waiting] + [s for _, s in overview.exam.parts]
    for window in (overview.week, overview.month):
        cells += [window.members] + ([window.answers] if window.answers else [])
    cells += [d.members for d in overview.domains] + [d.answers for d in overview.domains if d.answers]
    cells += [b.members for b in overview.buckets] + [b.misses for b in overview.buckets if b.misses]
    return [c.value for c in cells if c.value is not None]
