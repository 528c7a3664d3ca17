"""The certification pathway: five gates, the course window, results timing and the result situation.

Pure domain logic: dates in, frozen dataclasses out. No discord import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from bot.core.refusals import Refusal
from bot.dates import add_business_days, add_months, month_end_after_years
from bot.policy import Policy


class Gate(StrEnum):
    COURSE = "course"
    VERIFICATION = "verification"
    EXAM = "exam"
    SKILLS = "skills"
    LICENSE = "license"


GATE_ORDER: tuple[Gate, ...] = (Gate.COURSE, Gate.VERIFICATION, Gate.EXAM, Gate.SKILLS, Gate.LICENSE)
#: Gates whose ``done`` needs the date it happened (the windows and results timing depend on it).
DATE_REQUIRED: frozenset[Gate] = frozenset({Gate.COURSE, Gate.EXAM, Gate.SKILLS})
#: Gates the National Registry needs before certification posts (licensure is the state's, after).
REGISTRY_REQUIREMENTS: tuple[Gate, ...] = (Gate.COURSE, Gate.VERIFICATION, Gate.SKILLS)


class Mark(StrEnum):
    DONE = "done"
    PENDING = "pending"
    NOT_REQUIRED = "not_required"
    ISSUE = "issue"
    NOT_STARTED = "not_started"  # never recorded: not a choice of /gate


RECORDABLE_MARKS: tuple[Mark, ...] = (Mark.DONE, Mark.PENDING, Mark.NOT_REQUIRED, Mark.ISSUE)


class GateRule(StrEnum):
    NOT_REQUIRED_ONLY_LICENSE = "not_required_only_license"
    DATE_REQUIRED = "date_required"
    BEFORE_COURSE = "before_course"
    COURSE_AFTER_TESTING = "course_after_testing"


class GateRefusal(Refusal):
    def __init__(self, rule: GateRule, gate: Gate, course_date: dt.date | None = None) -> None:
        super().__init__(rule, gate)
        self.rule, self.gate, self.course_date = rule, gate, course_date


@dataclass(frozen=True, slots=True)
class GateRecord:
    gate: Gate
    mark: Mark
    date: dt.date | None = None

    @property
    def closed(self) -> bool:
        return self.mark in (Mark.DONE, Mark.NOT_REQUIRED)


def validate_gate(
    gate: Gate, mark: Mark, date: dt.date | None, *, current: PathwayCard | None = None
) -> GateRecord:
    """Check one ``/gate`` request against the rules and the member's other gates; return the record."""
    if mark is Mark.NOT_STARTED:
        raise ValueError("not_started is a state, not a mark")
    if mark is Mark.NOT_REQUIRED and gate is not Gate.LICENSE:
        raise GateRefusal(GateRule.NOT_REQUIRED_ONLY_LICENSE, gate)
    if mark is Mark.DONE and gate in DATE_REQUIRED and date is None:
        raise GateRefusal(GateRule.DATE_REQUIRED, gate)
    if mark is Mark.DONE and date is not None and current is not None:
        course = current.gate(Gate.COURSE)
        if (
            gate in (Gate.EXAM, Gate.SKILLS)
            and course.mark is Mark.DONE
            and course.date
            and date < course.date
        ):
            raise GateRefusal(GateRule.BEFORE_COURSE, gate, course.date)
        if gate is Gate.COURSE:
            later = [
                r.date
                for r in (current.gate(Gate.EXAM), current.gate(Gate.SKILLS))
                if r.mark is Mark.DONE and r.date
            ]
            if later and date > min(later):
                raise GateRefusal(GateRule.COURSE_AFTER_TESTING, gate, min(later))
    return GateRecord(gate, mark, date)


class WindowState(StrEnum):
    OPEN = "open"
    NEAR = "near"
    LAPSED = "lapsed"


@dataclass(frozen=True, slots=True)
class CourseWindow:
    completed: dt.date
    ends: dt.date
    days_left: int
    state: WindowState


def course_window(completed: dt.date, today: dt.date, policy: Policy) -> CourseWindow:
    ends = month_end_after_years(completed, policy.course_years)
    days_left = (ends - today).days
    if days_left < 0:
        state = WindowState.LAPSED
    elif days_left <= policy.course_warn_days:
        state = WindowState.NEAR
    else:
        state = WindowState.OPEN
    return CourseWindow(completed, ends, days_left, state)


class Situation(StrEnum):
    """The seed's result situations, plus the state before any attempt."""

    NOT_TESTED = "not_tested"
    DID_NOT_PASS = "did_not_pass"
    PASSED_REQUIREMENT_REMAINS = "passed_requirement_remains"
    PASSED_ALL_MET = "passed_all_met"
    ACCOUNT_ISSUE = "account_issue"


@dataclass(frozen=True, slots=True)
class ResultsTiming:
    """When a passing result should post: a date once nothing else is missing, else what is missing."""

    expected: dt.date | None
    waiting_on: tuple[Gate, ...]


def results_timing(gates: dict[Gate, GateRecord], policy: Policy) -> ResultsTiming | None:
    exam = gates[Gate.EXAM]
    if exam.mark is not Mark.DONE or exam.date is None:
        return None
    waiting = tuple(g for g in REGISTRY_REQUIREMENTS if gates[g].mark is not Mark.DONE)
    if waiting:
        return ResultsTiming(None, waiting)
    # Results post about N business days after the exam once everything else is complete:
    # count from whichever came last.
    last = max(d for d in (gates[g].date for g in (Gate.EXAM, *REGISTRY_REQUIREMENTS)) if d is not None)
    return ResultsTiming(add_business_days(last, policy.results_business_days), ())


@dataclass(frozen=True, slots=True)
class ExamAttempts:
    """The member's failed attempts, as the pathway card shows them (the retake feature has the scores)."""

    failed: int  # failed attempts in the current count (since the last refresher course)
    total: int  # every failed attempt recorded
    allowed: int  # attempts before a refresher course is required
    last_on: dt.date
    retest_from: dt.date | None  # None while a refresher course is required first


@dataclass(frozen=True, slots=True)
class PathwayCard:
    gates: tuple[GateRecord, ...]
    closed: int
    blocking: Gate | None
    flagged: tuple[Gate, ...]
    situation: Situation
    course: CourseWindow | None
    results: ResultsTiming | None
    exam_valid_until: dt.date | None
    today: dt.date
    attempts: ExamAttempts | None = None
    #: Gates before the exam still open although the exam was taken (a failed attempt or a pass):
    #: they must have happened, so the member still needs to record (or sort out) them.
    open_before_exam: tuple[Gate, ...] = ()

    @property
    def total(self) -> int:
        return len(self.gates)

    @property
    def exam_attempted(self) -> bool:
        """Failed attempts are recorded and the exam gate is not passed."""
        return self.attempts is not None and self.gate(Gate.EXAM).mark is not Mark.DONE

    def gate(self, gate: Gate) -> GateRecord:
        return next(record for record in self.gates if record.gate is gate)


def situation_for(gates: dict[Gate, GateRecord], failed_attempt: dt.date | None) -> Situation:
    if any(record.mark is Mark.ISSUE for record in gates.values()):
        return Situation.ACCOUNT_ISSUE
    if gates[Gate.EXAM].mark is Mark.DONE:
        if all(gates[g].mark is Mark.DONE for g in REGISTRY_REQUIREMENTS):
            return Situation.PASSED_ALL_MET
        return Situation.PASSED_REQUIREMENT_REMAINS
    if failed_attempt is not None:
        return Situation.DID_NOT_PASS
    return Situation.NOT_TESTED


def build_card(
    records: Iterable[GateRecord],
    today: dt.date,
    policy: Policy,
    *,
    failed_attempt: dt.date | None = None,
    attempts: ExamAttempts | None = None,
) -> PathwayCard:
    """The member's pathway card from their stored gates (missing gates are not started)."""
    if failed_attempt is None and attempts is not None:
        failed_attempt = attempts.last_on
    gates = {gate: GateRecord(gate, Mark.NOT_STARTED) for gate in GATE_ORDER}
    for record in records:
        gates[record.gate] = record
    ordered = tuple(gates[g] for g in GATE_ORDER)
    course = gates[Gate.COURSE]
    window = (
        course_window(course.date, today, policy)
        if course.mark is Mark.DONE and course.date is not None
        else None
    )
    exam = gates[Gate.EXAM]
    taken = failed_attempt is not None or exam.mark is Mark.DONE
    before_exam = GATE_ORDER[: GATE_ORDER.index(Gate.EXAM)]
    return PathwayCard(
        gates=ordered,
        closed=sum(record.closed for record in ordered),
        blocking=next((r.gate for r in ordered if not r.closed), None),
        flagged=tuple(r.gate for r in ordered if r.mark is Mark.ISSUE),
        situation=situation_for(gates, failed_attempt),
        course=window,
        results=results_timing(gates, policy),
        exam_valid_until=(
            add_months(exam.date, policy.result_valid_months)
            if exam.mark is Mark.DONE and exam.date is not None
            else None
        ),
        today=today,
        attempts=attempts,
        open_before_exam=tuple(g for g in before_exam if taken and not gates[g].closed),
    )
