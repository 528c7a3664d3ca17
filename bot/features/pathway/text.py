"""Every word of the pathway feature (/status, /gate): the card, the next step, the refusals.

The card's words for its owner are in ``card_text``; a card shared with the group and read by someone
else is written in the third person, with the words in ``shared_text``.
"""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.core.fit import fit_embed
from bot.core.text import day, progress_bar
from bot.core.wording import describe_refusal
from bot.features.pathway import card_text as own
from bot.features.pathway import shared_text as shared
from bot.features.pathway.card_text import GATE_LABEL, MARK_ICON, MARK_WORD
from bot.features.pathway.model import Gate, GateRecord, GateRefusal, GateRule, PathwayCard
from bot.features.pathway.state import MemberState
from bot.features.reminders.model import DueReminder
from bot.features.reminders.text import missed_field
from bot.features.retake.text import retest_text
from bot.policy import Policy

ATTEMPTED_ICON = "🔁"


def gate_line(record: GateRecord, position: int, card: PathwayCard, *, owner: str | None = None) -> str:
    """One gate of the card. After failed attempts the exam gate shows them (a shared card: not passed yet)."""
    icon, word = MARK_ICON[record.mark], (shared.SHARED_MARK_WORD if owner else MARK_WORD)[record.mark]
    if record.gate is Gate.EXAM and card.exam_attempted and card.attempts is not None:
        icon = ATTEMPTED_ICON
        word = shared.EXAM_NOT_PASSED_YET if owner else own.exam_attempts_text(card.attempts, card.today)
    when = f" · {day(record.date)}" if record.date else ""
    return f"{icon} {position}. **{GATE_LABEL[record.gate]}**: {word}{when}"


def status_embed(
    state: MemberState,
    policy: Policy,
    *,
    owner: str | None = None,
    missed: Sequence[DueReminder] = (),
) -> discord.Embed:
    """The pathway card, for its owner or (``owner`` given) shared: third person, no retake details."""
    card = state.card
    title = f"{owner}'s EMR pathway" if owner else "Your EMR certification pathway"
    blocking = f"**Blocking:** {GATE_LABEL[card.blocking]}" if card.blocking else "**All gates closed**"
    embed = discord.Embed(
        title=title,
        description=f"`{progress_bar(card.closed, card.total)}` {card.closed} of {card.total} gates closed\n{blocking}",
        colour=discord.Colour.green() if card.blocking is None else discord.Colour.blurple(),
    )
    gates = "\n".join(gate_line(r, i, card, owner=owner) for i, r in enumerate(card.gates, start=1))
    embed.add_field(name="Gates", value=gates, inline=False)
    if owner is not None:
        embed.add_field(name="Next step", value=shared.next_step(card, owner), inline=False)
        name, value = shared.situation_text(card, owner, policy)
        embed.add_field(name=name, value=value, inline=False)
        results = shared.results_text(card, owner, policy)
        embed.add_field(name="When results should post", value=results, inline=False)
        embed.add_field(name="Course window", value=shared.course_window_text(card, owner), inline=False)
        embed.set_footer(text=shared.SHARED_PRACTICE_REMINDER)
        return fit_embed(embed)
    retake = state.retake
    embed.add_field(name="Next step", value=own.next_step(card, policy, retake), inline=False)
    label, do_next, avoid = own.SITUATION[card.situation]
    embed.add_field(
        name=f"Result situation: {label}",
        value=f"**What to do next:** {do_next.format(wait_days=policy.wait_days)}\n**What to avoid:** {avoid}",
        inline=False,
    )
    embed.add_field(name="When results should post", value=own.results_text(card, policy), inline=False)
    embed.add_field(name="Course window", value=own.course_window_text(card, policy), inline=False)
    if retake.attempts and card.exam_attempted:
        embed.add_field(name="Retake", value=retest_text(retake, policy), inline=False)
    if missed:
        embed.add_field(name="Reminders you missed", value=missed_field(list(missed), policy), inline=False)
    embed.set_footer(text=own.PRACTICE_REMINDER)
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
