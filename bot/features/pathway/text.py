"""Every word of the pathway feature (/status, /gate): the card, the next step, the refusals."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.core.fit import fit_embed
from bot.core.text import day, plural, progress_bar
from bot.core.wording import describe_refusal
from bot.features.pathway.model import (
    CourseWindow,
    Gate,
    GateRecord,
    GateRefusal,
    GateRule,
    Mark,
    PathwayCard,
    Situation,
    WindowState,
)
from bot.features.pathway.state import MemberState
from bot.features.reminders.model import DueReminder
from bot.features.reminders.text import missed_field
from bot.features.retake.model import RetakeState
from bot.features.retake.text import refresher_required_text, retest_text
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
    "National Registry certification is not the right to practise: state licensure or authorization is, "
    "where your state requires it. Confirm current rules on your National Registry account."
)


def gate_line(record: GateRecord, position: int) -> str:
    when = f" · {day(record.date)}" if record.date else ""
    return (
        f"{MARK_ICON[record.mark]} {position}. **{GATE_LABEL[record.gate]}**: {MARK_WORD[record.mark]}{when}"
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
                "`/gate gate:license mark:not_required`). Until then you may not practise as an EMR."
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


def status_embed(
    state: MemberState,
    policy: Policy,
    *,
    owner: str | None = None,
    missed: Sequence[DueReminder] = (),
) -> discord.Embed:
    """The pathway card. A shared card (``owner``) leaves out retake details: scores stay private."""
    card = state.card
    retake = None if owner else state.retake
    title = f"{owner}'s EMR pathway" if owner else "Your EMR certification pathway"
    blocking = f"**Blocking:** {GATE_LABEL[card.blocking]}" if card.blocking else "**All gates closed**"
    embed = discord.Embed(
        title=title,
        description=f"`{progress_bar(card.closed, card.total)}` {card.closed} of {card.total} gates closed\n{blocking}",
        colour=discord.Colour.green() if card.blocking is None else discord.Colour.blurple(),
    )
    embed.add_field(
        name="Gates",
        value="\n".join(gate_line(record, i) for i, record in enumerate(card.gates, start=1)),
        inline=False,
    )
    embed.add_field(name="Next step", value=next_step(card, policy, retake), inline=False)
    label, do_next, avoid = SITUATION[card.situation]
    embed.add_field(
        name=f"Result situation: {label}",
        value=f"**What to do next:** {do_next.format(wait_days=policy.wait_days)}\n**What to avoid:** {avoid}",
        inline=False,
    )
    embed.add_field(name="When results should post", value=results_text(card, policy), inline=False)
    embed.add_field(name="Course window", value=course_window_text(card, policy), inline=False)
    if retake is not None and retake.attempts and card.gate(Gate.EXAM).mark is not Mark.DONE:
        embed.add_field(name="Retake", value=retest_text(retake, policy), inline=False)
    if missed:
        embed.add_field(name="Reminders you missed", value=missed_field(list(missed), policy), inline=False)
    embed.set_footer(text=PRACTICE_REMINDER)
    return fit_embed(embed)


def gate_recorded(record: GateRecord) -> str:
    when = f" on {day(record.date)}" if record.date else ""
    return f"Recorded: **{GATE_LABEL[record.gate]}** is {MARK_WORD[record.mark]}{when}. See `/status` for your card."


NOT_SHARED = "That member's pathway card isn't shared with the group."


@describe_refusal.register
def _(error: GateRefusal) -> str:
    label = GATE_LABEL[error.gate]
    match error.rule:
        case GateRule.NOT_REQUIRED_ONLY_LICENSE:
            return (
                f"Only the state licensure gate can be marked `not_required`: everyone needs the "
                f"**{label}**. Use `done`, `pending` or `issue` for it. Nothing was changed."
            )
        case GateRule.DATE_REQUIRED:
            return (
                f"Marking **{label}** done needs the date it happened: add `date:YYYY-MM-DD`, for example "
                f"`/gate gate:{error.gate.value} mark:done date:2026-11-10`. Nothing was changed."
            )
        case GateRule.COURSE_AFTER_TESTING:
            tested = day(error.course_date) if error.course_date else "your exam or skills date"
            return (
                f"That course date is after your recorded exam or skills date ({tested}), and the course "
                "comes first. Check the date, or correct the later gate first. Nothing was changed."
            )
        case GateRule.BEFORE_COURSE:
            course = day(error.course_date) if error.course_date else "your course completion"
            return (
                f"That date is before your course completion ({course}): the **{label}** comes after the "
                "course. Check the date, or correct the course date first. Nothing was changed."
            )
    raise AssertionError(error.rule)
