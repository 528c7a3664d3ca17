"""The pathway domain: gate validation, situations, windows and results timing."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.features.pathway.model import (
    GATE_ORDER,
    RECORDABLE_MARKS,
    ExamAttempts,
    Gate,
    GateRecord,
    GateRefusal,
    GateRule,
    Mark,
    Situation,
    WindowState,
    build_card,
    course_window,
    validate_gate,
)
from bot.features.pathway.state import exam_attempts
from bot.features.retake.model import Attempt, retake_state
from bot.policy import Policy

D = dt.date
TODAY = D(2026, 11, 23)


def done(gate: Gate, day: D | None = None) -> GateRecord:
    return GateRecord(gate, Mark.DONE, day)


@pytest.mark.parametrize(
    ("gate", "mark", "date", "rule"),
    [
        (Gate.COURSE, Mark.NOT_REQUIRED, None, GateRule.NOT_REQUIRED_ONLY_LICENSE),
        (Gate.VERIFICATION, Mark.NOT_REQUIRED, None, GateRule.NOT_REQUIRED_ONLY_LICENSE),
        (Gate.EXAM, Mark.NOT_REQUIRED, D(2026, 1, 1), GateRule.NOT_REQUIRED_ONLY_LICENSE),
        (Gate.SKILLS, Mark.NOT_REQUIRED, None, GateRule.NOT_REQUIRED_ONLY_LICENSE),
        (Gate.COURSE, Mark.DONE, None, GateRule.DATE_REQUIRED),
        (Gate.EXAM, Mark.DONE, None, GateRule.DATE_REQUIRED),
        (Gate.SKILLS, Mark.DONE, None, GateRule.DATE_REQUIRED),
    ],
)
def test_gate_rules_refuse(gate: Gate, mark: Mark, date: D | None, rule: GateRule) -> None:
    with pytest.raises(GateRefusal) as raised:
        validate_gate(gate, mark, date)
    assert raised.value.rule is rule


@pytest.mark.parametrize(
    ("gate", "mark", "date"),
    [
        (Gate.LICENSE, Mark.NOT_REQUIRED, None),
        (Gate.VERIFICATION, Mark.DONE, None),
        (Gate.LICENSE, Mark.DONE, None),
        (Gate.COURSE, Mark.PENDING, None),
        (Gate.EXAM, Mark.ISSUE, None),
        (Gate.COURSE, Mark.DONE, D(2025, 1, 1)),
    ],
)
def test_gate_rules_accept(gate: Gate, mark: Mark, date: D | None) -> None:
    assert validate_gate(gate, mark, date) == GateRecord(gate, mark, date)


def test_exam_or_skills_before_the_course_is_refused(policy: Policy) -> None:
    card = build_card([done(Gate.COURSE, D(2025, 2, 1))], TODAY, policy)
    with pytest.raises(GateRefusal) as raised:
        validate_gate(Gate.SKILLS, Mark.DONE, D(2025, 1, 1), current=card)
    assert raised.value.rule is GateRule.BEFORE_COURSE
    assert validate_gate(Gate.EXAM, Mark.DONE, D(2025, 2, 1), current=card).date == D(2025, 2, 1)


def test_a_course_after_the_exam_is_refused(policy: Policy) -> None:
    card = build_card([done(Gate.EXAM, D(2025, 6, 1)), done(Gate.SKILLS, D(2025, 5, 1))], TODAY, policy)
    with pytest.raises(GateRefusal) as raised:
        validate_gate(Gate.COURSE, Mark.DONE, D(2025, 5, 2), current=card)
    assert (raised.value.rule, raised.value.course_date) == (GateRule.COURSE_AFTER_TESTING, D(2025, 5, 1))
    assert validate_gate(Gate.COURSE, Mark.DONE, D(2025, 5, 1), current=card).date == D(2025, 5, 1)


@pytest.mark.parametrize(
    ("records", "failed", "situation"),
    [
        ([], None, Situation.NOT_TESTED),
        ([done(Gate.COURSE, D(2026, 1, 5))], D(2026, 11, 10), Situation.DID_NOT_PASS),
        ([done(Gate.EXAM, D(2026, 11, 2))], None, Situation.PASSED_REQUIREMENT_REMAINS),
        (
            [
                done(Gate.COURSE, D(2026, 1, 5)),
                done(Gate.VERIFICATION),
                done(Gate.SKILLS, D(2026, 2, 1)),
                done(Gate.EXAM, D(2026, 11, 2)),
            ],
            None,
            Situation.PASSED_ALL_MET,
        ),
        (
            [done(Gate.EXAM, D(2026, 11, 2)), GateRecord(Gate.VERIFICATION, Mark.ISSUE)],
            None,
            Situation.ACCOUNT_ISSUE,
        ),
        ([GateRecord(Gate.LICENSE, Mark.ISSUE)], D(2026, 11, 10), Situation.ACCOUNT_ISSUE),
        # A pass after a failed attempt: the pass wins.
        ([done(Gate.EXAM, D(2026, 11, 20))], D(2026, 11, 1), Situation.PASSED_REQUIREMENT_REMAINS),
    ],
)
def test_situation_table(
    records: list[GateRecord], failed: D | None, situation: Situation, policy: Policy
) -> None:
    assert build_card(records, TODAY, policy, failed_attempt=failed).situation is situation


@pytest.mark.parametrize(
    ("completed", "today", "state", "days_left"),
    [
        (D(2024, 1, 15), D(2025, 11, 1), WindowState.OPEN, 91),
        (D(2024, 1, 15), D(2025, 12, 2), WindowState.NEAR, 60),
        (D(2024, 1, 15), D(2026, 1, 31), WindowState.NEAR, 0),
        (D(2024, 1, 15), D(2026, 2, 1), WindowState.LAPSED, -1),
    ],
)
def test_course_window_states(
    completed: D, today: D, state: WindowState, days_left: int, policy: Policy
) -> None:
    window = course_window(completed, today, policy)
    assert window.ends == D(2026, 1, 31)
    assert (window.state, window.days_left) == (state, days_left)


def test_results_wait_on_missing_requirements_in_gate_order(policy: Policy) -> None:
    card = build_card([done(Gate.EXAM, D(2026, 11, 25))], TODAY, policy)
    assert card.results is not None
    assert card.results.expected is None
    assert card.results.waiting_on == (Gate.COURSE, Gate.VERIFICATION, Gate.SKILLS)


def test_results_count_from_the_last_requirement_completed(policy: Policy) -> None:
    records = [
        done(Gate.COURSE, D(2026, 1, 5)),
        done(Gate.VERIFICATION),
        done(Gate.EXAM, D(2026, 11, 2)),
        done(Gate.SKILLS, D(2026, 11, 25)),  # skills came after the exam
    ]
    card = build_card(records, TODAY, policy)
    assert card.results is not None and card.results.expected == D(2026, 11, 30)


def test_blocking_gate_is_the_first_open_one_and_license_not_required_closes(policy: Policy) -> None:
    records = [done(Gate.COURSE, D(2026, 1, 5)), done(Gate.EXAM, D(2026, 3, 1))]
    assert build_card(records, TODAY, policy).blocking is Gate.VERIFICATION
    closed_all = [
        *records,
        done(Gate.VERIFICATION),
        done(Gate.SKILLS, D(2026, 3, 5)),
        GateRecord(Gate.LICENSE, Mark.NOT_REQUIRED),
    ]
    card = build_card(closed_all, TODAY, policy)
    assert card.blocking is None and card.closed == 5


@given(
    st.lists(
        st.tuples(st.sampled_from(GATE_ORDER), st.sampled_from(RECORDABLE_MARKS)),
        max_size=10,
    )
)
def test_card_invariants_hold_for_any_marks(policy: Policy, marks: list[tuple[Gate, Mark]]) -> None:
    records = {gate: GateRecord(gate, mark, D(2026, 1, 5)) for gate, mark in marks}
    card = build_card(records.values(), TODAY, policy)
    assert [r.gate for r in card.gates] == list(GATE_ORDER)
    assert card.closed == sum(r.mark in (Mark.DONE, Mark.NOT_REQUIRED) for r in card.gates)
    assert (card.blocking is None) == (card.closed == len(GATE_ORDER))
    if card.blocking is not None:
        assert not card.gate(card.blocking).closed
        assert all(card.gate(g).closed for g in GATE_ORDER[: GATE_ORDER.index(card.blocking)])
    assert (card.situation is Situation.ACCOUNT_ISSUE) == bool(card.flagged)


# ---------------------------------------------------------------------- failed attempts on the card


def attempts() -> ExamAttempts:
    return ExamAttempts(failed=1, total=1, allowed=3, last_on=D(2026, 11, 10), retest_from=D(2026, 11, 25))


@pytest.mark.parametrize(
    ("records", "exam", "open_before"),
    [
        # The issue's case: course done, verification not started, an attempt recorded.
        ([done(Gate.COURSE, D(2026, 1, 5))], attempts(), (Gate.VERIFICATION,)),
        ([], attempts(), (Gate.COURSE, Gate.VERIFICATION)),
        ([done(Gate.COURSE, D(2026, 1, 5)), done(Gate.VERIFICATION)], attempts(), ()),
        (
            [done(Gate.COURSE, D(2026, 1, 5)), GateRecord(Gate.VERIFICATION, Mark.PENDING)],
            attempts(),
            (Gate.VERIFICATION,),
        ),
        ([done(Gate.COURSE, D(2026, 1, 5))], None, ()),  # not tested: nothing is out of order
        ([done(Gate.EXAM, D(2026, 11, 20))], None, (Gate.COURSE, Gate.VERIFICATION)),  # a pass counts too
    ],
)
def test_an_attempt_recorded_before_an_earlier_gate_names_that_gate(
    policy: Policy, records: list[GateRecord], exam: ExamAttempts | None, open_before: tuple[Gate, ...]
) -> None:
    card = build_card(records, TODAY, policy, attempts=exam)
    assert card.open_before_exam == open_before
    if exam is not None:
        assert card.situation is Situation.DID_NOT_PASS  # the exam was taken: never "not tested"
        assert card.attempts == exam


def test_a_pass_hides_the_failed_attempts_from_the_exam_gate(policy: Policy) -> None:
    card = build_card([done(Gate.EXAM, D(2026, 11, 30))], TODAY, policy, attempts=attempts())
    assert card.situation is Situation.PASSED_REQUIREMENT_REMAINS
    assert not card.exam_attempted


@pytest.mark.parametrize(
    ("scores", "refresher", "expected"),
    [
        ([], None, None),
        ([(D(2026, 11, 10), 812)], None, ExamAttempts(1, 1, 3, D(2026, 11, 10), D(2026, 11, 25))),
        (
            [(D(2026, 9, 1), 800), (D(2026, 10, 1), 850), (D(2026, 11, 10), 900)],
            None,
            ExamAttempts(3, 3, 3, D(2026, 11, 10), None),  # a refresher course comes first
        ),
        (
            [(D(2026, 9, 1), 800), (D(2026, 10, 1), 850), (D(2026, 11, 1), 900)],
            D(2026, 11, 20),
            ExamAttempts(0, 3, 3, D(2026, 11, 1), D(2026, 11, 16)),  # a new count after the refresher
        ),
    ],
)
def test_exam_attempts_from_the_retake_state(
    policy: Policy, scores: list[tuple[D, int]], refresher: D | None, expected: ExamAttempts | None
) -> None:
    retake = retake_state([Attempt(on, score) for on, score in scores], refresher, TODAY, policy)
    assert exam_attempts(retake) == expected
