"""Every word of the reminders feature: the DMs, the fallback note, /reminders, missed reminders."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import discord

from bot.core.fit import FIELD_VALUE, fit_embed, fit_lines
from bot.core.text import day, plural
from bot.features.reminders.model import DueReminder, ReminderKind
from bot.policy import Policy

ENABLED = "Reminder DMs are **on**: I'll DM you at {hour:02d}:00 your time on the days that matter (retest day, results day, course window deadlines)."
DISABLED = "Reminder DMs are **off**, and pending reminders are canceled. `/reminders enabled:True` turns them back on."


def reminders_set(enabled: bool, pending: int, hour: int) -> str:
    if not enabled:
        return DISABLED
    return f"{ENABLED.format(hour=hour)} {plural(pending, 'reminder')} scheduled from what you've recorded."


def _body(reminder: DueReminder, policy: Policy) -> tuple[str, str]:
    match reminder.kind:
        case ReminderKind.RETEST:
            since = f" after your attempt on {day(reminder.about)}" if reminder.about else ""
            return (
                "Your retest wait is over",
                f"From today ({day(reminder.local_date)}) you may retest: the {policy.wait_days}-day wait{since} "
                "has ended. Run `/retake` to check your repair plan before you book.",
            )
        case ReminderKind.RESULTS:
            return (
                "Your results should have posted",
                f"About {plural(policy.results_business_days, 'business day')} have passed since your passing exam "
                "with every other requirement complete: check your National Registry account for your certification "
                "status. If it isn't there, follow National Registry account procedures (not screenshots or informal "
                "messages).",
            )
        case ReminderKind.COURSE_WINDOW:
            assert reminder.about is not None
            left = (reminder.about - reminder.local_date).days
            return (
                f"{plural(left, 'day')} left in your course window",
                f"Your course window ends on **{day(reminder.about)}**. Test before then: a refresher does not "
                "extend it. `/status` shows what is still open.",
            )
        case ReminderKind.REVIEW:
            return (
                "Review cards were due",
                "Your spaced-review cards were due. `/practice review` serves them.",
            )
    raise AssertionError(reminder.kind)


def reminder_embed(reminder: DueReminder, policy: Policy, *, late: bool) -> discord.Embed:
    title, body = _body(reminder, policy)
    if late:
        local = reminder.due_at.astimezone(ZoneInfo(reminder.zone))
        body = f"⏰ Sorry, this is late: it was due {local:%a %Y-%m-%d %H:%M} your time, while I was offline.\n\n{body}"
    embed = discord.Embed(title=title, description=body, colour=discord.Colour.gold())
    embed.set_footer(text=f"EMR Study Bot · {reminder.marker} · /reminders enabled:False to stop these")
    return fit_embed(embed)


def fallback_note(user_id: int, marker: str) -> str:
    """The public note when DMs are closed; ``marker`` lets the bot find it again after a crash."""
    return (
        f"<@{user_id}> I couldn't DM you a study reminder (your DMs are closed to me). "
        f"It's waiting on your `/status`.\n-# {marker}"
    )


def missed_field(reminders: list[DueReminder], policy: Policy) -> str:
    lines = []
    nudges = [r for r in reminders if r.kind is ReminderKind.REVIEW]
    for reminder in reminders:
        if reminder.kind is ReminderKind.REVIEW and reminder is not nudges[-1]:
            continue  # daily nudges that could not reach the member: the latest says it all
        title, _ = _body(reminder, policy)
        lines.append(f"• {day(reminder.local_date)}: **{title}**")
    footnote = "\n(Open your DMs to the bot to get these directly.)"
    return fit_lines(lines, FIELD_VALUE - len(footnote)) + footnote


def mirrored_dm(user_id: int) -> str:
    return f"📬 **Preview:** the DM <@{user_id}> receives (the preview page doesn't show DMs):"
