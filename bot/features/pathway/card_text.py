"""The /status card's words for its owner ("your course"): gates, next step, situation, windows.

A card shared with the group is read by someone else: its words are in ``shared_text`` (third person).
"""

from __future__ import annotations

import datetime as dt

from bot.core.text import day, plural
from bot.features.pathway.model import (
    CourseWindow,
    ExamAttempts,
    Gate,
    Mark,
    PathwayCard,
    Situation,
    WindowState,
)
from bot.features.retake.model import RetakeState
from bot.features.retake.text import refresher_required_text
from bot.policy import Policy

GATE_LABEL: dict[Gate, str] = {
    Gate.COURSE: "State-approved EMR course",
    Gate.VERIFICATION: "Program Director verification",
    Gate.EXAM: "Cognitive exam (CAT)",
    Gate.SKILLS: "Psychomotor skills (BLS)",
    Gate.LICENSE: "State licensure or authorization",
}

MARK_ICON: dict[Mark, str] = {
    Mark.DONE: "✅",
    Mark.PENDING: "⏳",
    Mark.NOT_REQUIRED: "➖",
    Mark.ISSUE: "⚠️",
    Mark.NOT_STARTED: "⬜",
}

MARK_WORD: dict[Mark, str] = {
    Mark.DONE: "done",
    Mark.PENDING: "pending",
    Mark.NOT_REQUIRED: "not required in your state",
    Mark.ISSUE: "issue flagged",
    Mark.NOT_STARTED: "not started",
}

#: The seed's result situations (DOMAIN.md), plus the state before any attempt.
SITUATION: dict[Situation, tuple[str, str, str]] = {
    Situation.NOT_TESTED: (
        "Not tested yet",
        "Close the gates in order and take the exam while your course window is open.",
        "Letting the course window run out before you test.",
    ),
    Situation.PASSED_ALL_MET: (
        "Passed, all requirements met",
        "Watch your National Registry account for certification status.",
        "Assuming state practice authority is automatic.",
    ),
    Situation.PASSED_REQUIREMENT_REMAINS: (
        "Passed, a requirement remains",
        "Complete the remaining requirement through the proper process.",
        "Treating the exam pass as the only step.",
    ),
    Situation.DID_NOT_PASS: (
        "Did not pass",
        "Review the score report, wait {wait_days} days, and repair your weak patterns (`/retake`).",
        "Retesting without changing the study plan.",
    ),
    Situation.ACCOUNT_ISSUE: (
        "Account or status issue",
        "Follow National Registry account procedures.",
        "Relying on screenshots or informal messages.",
    ),
}

PRACTICE_REMINDER = (
    "National Registry certification is not the right to practice: state licensure or authorization is, "
    "where your state requires it. Confirm current rules on your National Registry account."
)


def next_step(card: PathwayCard, policy: Policy, retake: RetakeState | None = None) -> str:
    if card.flagged:
        return (
            f"Sort out the flagged **{GATE_LABEL[card.flagged[0]]}** through National Registry account "
            "procedures, then record it again with `/gate`."
        )
    if card.course and card.course.state is WindowState.LAPSED and card.gate(Gate.EXAM).mark is not Mark.DONE:
        return lapsed_window_text(card.course, policy)
    if card.blocking is None:
        return (
            "Every gate is closed. Watch your National Registry account for certification status, and "
            "follow your agency's onboarding and medical-direction process."
        )
    if card.exam_attempted and card.blocking in card.open_before_exam:
        return out_of_order_text(card)
    pending = card.gate(card.blocking).mark is Mark.PENDING
    match card.blocking:
        case Gate.COURSE:
            return (
                "Finish your state-approved EMR course (it must meet or exceed the National EMS Education "
                "Standards), then record it: `/gate gate:course mark:done date:YYYY-MM-DD`."
                if pending
                else "Start with the course: record a completed state-approved EMR course with "
                "`/gate gate:course mark:done date:YYYY-MM-DD`, or mark it `pending` while you are in it."
            )
        case Gate.VERIFICATION:
            return (
                "Ask your Program Director to verify your course completion on the National Registry "
                "website, then record it: `/gate gate:verification mark:done`."
            )
        case Gate.EXAM if retake is not None and retake.last is not None:
            if retake.refresher_required:
                return refresher_required_text(retake)
            if retake.waiting and retake.eligible_on:
                return (
                    f"Use the wait to repair your weakest buckets (`/retake` has your plan); you may retest from "
                    f"**{day(retake.eligible_on)}**."
                )
            return "Your wait is over: retest when your repair plan is done (`/retake` shows it)."
        case Gate.EXAM:
            deadline = f" before your course window ends ({day(card.course.ends)})" if card.course else ""
            return (
                f"Take the National Registry EMR cognitive exam{deadline}. When you pass: "
                "`/gate gate:exam mark:done date:YYYY-MM-DD`; if you don't: `/retake score:...`."
            )
        case Gate.SKILLS:
            return (
                "Complete the State EMS Office approved BLS psychomotor (skills) competency, then record it: "
                "`/gate gate:skills mark:done date:YYYY-MM-DD`."
            )
        case Gate.LICENSE:
            return (
                "Apply for state licensure or authorization where your state requires it (or record "
                "`/gate gate:license mark:not_required`). Until then you may not practice as an EMR."
            )
    raise AssertionError(card.blocking)


def lapsed_window_text(window: CourseWindow, policy: Policy) -> str:
    return (
        f"Your course window ended on {day(window.ends)}: a new EMR course is needed before you can test. "
        "If you already hold a state EMR license, the National Registry's EMR State-Licensed Pathway "
        f"(a refresher or {policy.state_licensed_pathway_hours} hours of national-component education, plus the exam and skills) is your route."
    )


def course_window_text(card: PathwayCard, policy: Policy) -> str:
    window = card.course
    if window is None:
        return "Starts when you record your course completion date."
    if window.state is WindowState.LAPSED:
        if card.gate(Gate.EXAM).mark is Mark.DONE:
            return f"Ended {day(window.ends)}; your exam was passed inside it."
        return lapsed_window_text(window, policy)
    left = f"{plural(window.days_left, 'day')} left"
    if window.state is WindowState.NEAR:
        return f"⚠️ Ends **{day(window.ends)}**, {left}. Test before then: it will not be extended."
    return f"Valid through {day(window.ends)} ({left})."


def results_text(card: PathwayCard, policy: Policy) -> str:
    timing = card.results
    if timing is None:
        return (
            f"About {plural(policy.results_business_days, 'business day')} after a passing exam, once every "
            "other requirement is complete (weekends and US federal holidays don't count)."
        )
    if timing.waiting_on:
        missing = ", ".join(GATE_LABEL[gate] for gate in timing.waiting_on)
        valid = (
            f" Your exam pass stays valid until {day(card.exam_valid_until)}."
            if card.exam_valid_until
            else ""
        )
        return f"Not yet: results post once this is complete: **{missing}**.{valid}"
    assert timing.expected is not None
    if timing.expected <= card.today:
        return f"Should have posted by {day(timing.expected)}: check your National Registry account."
    return (
        f"Expected by about **{day(timing.expected)}** ({plural(policy.results_business_days, 'business day')}, "
        "skipping weekends and US federal holidays)."
    )


def exam_attempts_text(attempts: ExamAttempts, today: dt.date) -> str:
    """The exam gate after failed attempts: "attempt 1 of 3 did not pass; retest from Wed 2026-11-25"."""
    if attempts.failed == 0:
        return f"refresher course recorded; 0 of {attempts.allowed} attempts used in the new count"
    tried = f"attempt {attempts.failed} of {attempts.allowed} did not pass"
    if attempts.retest_from is None:
        return f"{tried}; a refresher course comes before the next"
    if attempts.retest_from > today:
        return f"{tried}; retest from {day(attempts.retest_from)}"
    return f"{tried}; you may retest now"


def retest_sentence(attempts: ExamAttempts, today: dt.date) -> str:
    if attempts.retest_from is None:
        return "A refresher course is required before your next attempt: `/retake` has the details."
    if attempts.retest_from > today:
        return f"You may retest from **{day(attempts.retest_from)}**; `/retake` has your repair plan."
    return "Your wait is over: retest when your repair plan is done (`/retake` shows it)."


def out_of_order_text(card: PathwayCard) -> str:
    """A failed attempt is recorded while an earlier gate is still open: name it, keep the attempt."""
    assert card.attempts is not None and card.blocking is not None
    open_gates = " and ".join(f"**{GATE_LABEL[g]}**" for g in card.open_before_exam)
    verb = "is" if len(card.open_before_exam) == 1 else "are"
    if card.blocking is Gate.COURSE:
        record = (
            "The course comes before the exam, so record it: `/gate gate:course mark:done date:YYYY-MM-DD`."
        )
    else:
        record = (
            "Your Program Director verifies your course before you can test, so record it: "
            "`/gate gate:verification mark:done` (or mark it `issue` if your National Registry account "
            "shows a problem)."
        )
    return (
        f"Your exam attempt on {day(card.attempts.last_on)} is recorded, but {open_gates} {verb} still open "
        f"on your card. {record} {retest_sentence(card.attempts, card.today)}"
    )
