"""The words of a pathway card shared with the group and read by someone else: the third person.

``/status member:Riley`` run by Sam speaks about Riley ("Riley's course window"), never to Sam as if
the card were Sam's. Scores and retake details stay private: the exam gate says only "not passed yet".
"""

from __future__ import annotations

from bot.core.text import day, plural
from bot.features.pathway.card_text import GATE_LABEL, MARK_WORD
from bot.features.pathway.model import Gate, Mark, PathwayCard, Situation, WindowState
from bot.policy import Policy

SHARED_MARK_WORD: dict[Mark, str] = {**MARK_WORD, Mark.NOT_REQUIRED: "not required in their state"}
EXAM_NOT_PASSED_YET = "not passed yet"

#: The seed's result situations, about the card's owner: (label, what comes next, what to avoid).
SHARED_SITUATION: dict[Situation, tuple[str, str, str]] = {
    Situation.NOT_TESTED: (
        "Not tested yet",
        "closing the gates in order and testing while the course window is open",
        "letting the course window run out before testing",
    ),
    Situation.PASSED_ALL_MET: (
        "Passed, all requirements met",
        "watching the National Registry account for certification status",
        "assuming state practice authority is automatic",
    ),
    Situation.PASSED_REQUIREMENT_REMAINS: (
        "Passed, a requirement remains",
        "completing the remaining requirement through the proper process",
        "treating the exam pass as the only step",
    ),
    Situation.DID_NOT_PASS: (
        "Did not pass",
        "reviewing the score report, waiting {wait_days} days and repairing weak patterns",
        "retesting without changing the study plan",
    ),
    Situation.ACCOUNT_ISSUE: (
        "Account or status issue",
        "following National Registry account procedures",
        "relying on screenshots or informal messages",
    ),
}

SHARED_PRACTICE_REMINDER = (
    "National Registry certification is not the right to practice: state licensure or authorization is, "
    "where the state requires it."
)


def situation_text(card: PathwayCard, owner: str, policy: Policy) -> tuple[str, str]:
    """The result situation's field: its name and its value."""
    label, comes_next, avoid = SHARED_SITUATION[card.situation]
    value = f"**Next for {owner}:** {comes_next.format(wait_days=policy.wait_days)}\n**To avoid:** {avoid}"
    return f"Result situation: {label}", value


def next_step(card: PathwayCard, owner: str) -> str:
    if card.flagged:
        return (
            f"{owner} flagged an account or status issue on **{GATE_LABEL[card.flagged[0]]}**, to be sorted "
            "out through National Registry account procedures."
        )
    if card.course and card.course.state is WindowState.LAPSED and card.gate(Gate.EXAM).mark is not Mark.DONE:
        return (
            f"{owner}'s course window ended on {day(card.course.ends)}: a new EMR course is needed before "
            "testing (or, for a state EMR license holder, the EMR State-Licensed Pathway)."
        )
    if card.blocking is None:
        return f"Every gate is closed: certification status shows on {owner}'s National Registry account."
    if card.exam_attempted and card.blocking in card.open_before_exam:
        open_gates = " and ".join(f"**{GATE_LABEL[g]}**" for g in card.open_before_exam)
        verb = "is" if len(card.open_before_exam) == 1 else "are"
        return f"{owner} has taken the exam; {open_gates} {verb} still to be recorded on the card."
    pending = card.gate(card.blocking).mark is Mark.PENDING
    match card.blocking:
        case Gate.COURSE if pending:
            return f"{owner} is taking a state-approved EMR course."
        case Gate.COURSE:
            return f"Next for {owner}: a state-approved EMR course."
        case Gate.VERIFICATION:
            return f"Next for {owner}: the Program Director verifies the course on the National Registry website."
        case Gate.EXAM if card.exam_attempted:
            return f"Next for {owner}: a retest of the National Registry EMR cognitive exam."
        case Gate.EXAM:
            return f"Next for {owner}: the National Registry EMR cognitive exam."
        case Gate.SKILLS:
            return f"Next for {owner}: the State EMS Office approved BLS psychomotor (skills) competency."
        case Gate.LICENSE:
            return f"Next for {owner}: state licensure or authorization, where their state requires it."
    raise AssertionError(card.blocking)


def results_text(card: PathwayCard, owner: str, policy: Policy) -> str:
    timing = card.results
    business_days = plural(policy.results_business_days, "business day")
    if timing is None:
        return (
            f"About {business_days} after a passing exam, once every other requirement is complete "
            "(weekends and US federal holidays don't count)."
        )
    if timing.waiting_on:
        missing = ", ".join(GATE_LABEL[gate] for gate in timing.waiting_on)
        valid = (
            f" The exam pass stays valid until {day(card.exam_valid_until)}." if card.exam_valid_until else ""
        )
        return f"Not yet: results post once this is complete: **{missing}**.{valid}"
    assert timing.expected is not None
    if timing.expected <= card.today:
        return f"Should have posted by {day(timing.expected)}, on {owner}'s National Registry account."
    return f"Expected by about **{day(timing.expected)}** ({business_days}, skipping weekends and US federal holidays)."


def course_window_text(card: PathwayCard, owner: str) -> str:
    window = card.course
    if window is None:
        return f"Starts when {owner} records the course completion date."
    if window.state is WindowState.LAPSED:
        if card.gate(Gate.EXAM).mark is Mark.DONE:
            return f"Ended {day(window.ends)}; the exam was passed inside it."
        return f"Ended {day(window.ends)}: a new EMR course is needed before testing."
    left = f"{plural(window.days_left, 'day')} left"
    if window.state is WindowState.NEAR:
        return f"⚠️ Ends **{day(window.ends)}**, {left}. It will not be extended."
    return f"Valid through {day(window.ends)} ({left})."
