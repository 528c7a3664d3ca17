"""Every word of spaced review: the goal, progress, the nudge and its DM, and the goal's refusals.

Predicted recall is the bot's estimate from FSRS: it is shown as counts of cards in plain bands
("strong", "shaky", "at risk"), never as a percentage or a score.
"""

from __future__ import annotations

import io

import discord

from bot.core.fit import fit_embed
from bot.core.text import day, plural
from bot.core.wording import describe_refusal
from bot.features.review.model import GoalProblem, GoalRefusal, Progress, Target, TargetSource
from bot.policy import Policy

NO_CARDS = (
    "You have no review cards yet. Every item you answer (the daily quiz, `/quiz now`, drills and timed "
    "blocks) becomes one, due again just before you'd forget it."
)
NUDGE_NEEDS_REMINDERS = (
    "Your reminder DMs are off, so no nudge will be sent. `/reminders enabled:True` turns them back on."
)


def _target_line(target: Target | None) -> str:
    if target is None:
        return (
            "No target date: reviews are spaced for the long run. Set one with `/practice goal date:YYYY-MM-DD` "
            "(your retest day is used when you've recorded a failed attempt)."
        )
    source = "your goal" if target.source is TargetSource.GOAL else "the first day you may retest"
    return f"Target: **{day(target.day)}** ({source})."


def goal_set(target: Target, left: int, final_days: int) -> str:
    stretch = f" In the last {plural(final_days, 'day')}, review serves the cards you're most likely to forget by then."
    return (
        f"Your review target is **{day(target.day)}**, {plural(left, 'day')} from today. No card will be "
        f"scheduled past it, and reviews come a little more often as it nears.{stretch}"
    )


def goal_cleared(target: Target | None) -> str:
    return "Your own target date is cleared. " + _target_line(target)


def progress_embed(progress: Progress, policy: Policy) -> discord.Embed:
    when = f"on {day(progress.target.day)}" if progress.target else "a week from now"
    lines = [
        _target_line(progress.target),
        "",
        f"**{plural(progress.cards, 'card')}** in all · **{progress.due_now}** due now · "
        f"**{progress.due_today}** due today · **{progress.due_week}** due in the next 7 days.",
        "",
        f"How well you're likely to remember them {when}, if you keep up your reviews "
        "(the bot's estimate from your answers so far):",
        f"• strong: {plural(progress.strong, 'card')}",
        f"• shaky: {plural(progress.shaky, 'card')}",
        f"• at risk: {plural(progress.at_risk, 'card')}",
    ]
    if progress.due_now:
        lines += ["", "`/practice review` serves the due ones first."]
    embed = discord.Embed(
        title="Spaced review", description="\n".join(lines), colour=discord.Colour.blurple()
    )
    embed.set_image(url="attachment://review.png")
    embed.set_footer(text="Bars: cards due each day. Line: cards at risk if you stopped reviewing today.")
    return fit_embed(embed)


def progress_chart(progress: Progress) -> discord.File:
    from bot.features.review.chart import forecast_chart

    target = progress.target.day if progress.target else None
    png = forecast_chart(progress.forecast, progress.at_risk_by_day, target)
    return discord.File(io.BytesIO(png), filename="review.png")


def nudge_set(hour: int | None, zone: str, reminders_on: bool) -> str:
    if hour is None:
        return "Review nudges are **off**."
    text = (
        f"Review nudges are **on**: on days when cards are due, I'll DM you at {hour:02d}:00 your time "
        f"({zone}) with how many and about how long they'll take. `/timezone` changes your time zone."
    )
    return text if reminders_on else f"{text}\n\n{NUDGE_NEEDS_REMINDERS}"


def nudge_embed(due: int, minutes: int, marker: str, *, late: bool) -> discord.Embed:
    body = (
        f"**{plural(due, 'card')} due**, about {plural(minutes, 'minute')}. Run `/practice review` in the "
        "server to go through them."
    )
    if late:
        body = f"⏰ Sorry, this is late: I was offline at your usual time.\n\n{body}"
    embed = discord.Embed(title="Spaced review", description=body, colour=discord.Colour.gold())
    embed.set_footer(text=f"EMR Study Bot · {marker} · /practice nudge enabled:False to stop these")
    return fit_embed(embed)


@describe_refusal.register
def _(error: GoalRefusal) -> str:
    if error.problem is GoalProblem.PAST:
        return (
            f"{day(error.day)} is not ahead of today ({day(error.limit)}): a target must be a future date. "
            "Nothing was changed."
        )
    return (
        f"{day(error.day)} is too far out for a study target: pick a date on or before {day(error.limit)}. "
        "Nothing was changed."
    )
