"""Every word of the organizer's view and the weekly digest, fitted to Discord's limits."""

from __future__ import annotations

import datetime as dt
import io

import discord

from bot.core.fit import CONTENT, FIELD_VALUE, fit, fit_embed, fit_lines
from bot.core.text import day
from bot.core.wording import describe_refusal
from bot.features.group.chart import overview_chart
from bot.features.group.digest import DigestPlan
from bot.features.group.model import DigestProblem, DigestRefusal, Hidden, Shown
from bot.features.group.overview import AtExam, Overview, Stage, Suggest, Suggestion, WindowView
from bot.features.pathway import shared_text
from bot.features.pathway.card_text import GATE_LABEL
from bot.features.pathway.model import Gate
from bot.features.quiz.bank import DOMAIN_LABEL, Domain

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

STAGE_LABEL: dict[Stage, str] = {
    **{Stage(g.value): GATE_LABEL[g] for g in Gate},
    Stage.DONE: "Every gate closed",
}

SUGGESTION: dict[Suggest, str] = {
    Suggest.SET_UP_QUIZ: "Set up the daily question (`/quiz setup`): it is the group's shared practice.",
    Suggest.TOP_BUCKET: "**{subject}** is the group's top bucket: post a {subject} drill "
    "(members start it with `/practice drill bucket:{subject}`).",
    Suggest.WEAK_DOMAIN: "**{subject}** is the group's weakest domain: run a session on it "
    "(`/quiz now domain:{value}`).",
    Suggest.RETEST_SOON: "Several members may retest within two weeks: run a timed block at exam pace "
    "(`/practice timed`).",
    Suggest.REFRESHER: "Several members need a refresher course before they retest: share where to take one.",
    Suggest.HELD_AT_GATE: "Most members are held up at **{subject}**: plan a session on that step.",
    Suggest.FEW_ANSWERS: "Few members answered the daily question this week: remind the group it is there.",
}

LEGEND = (
    "Counts under {t} show as “fewer than {t}”, and “not shown” keeps a small count from being worked "
    "out by subtraction. Only members who chose `/privacy share` are named."
)
TOO_FEW = (
    "Fewer than {t} members of this server have used the bot, so there are no counts to show yet: "
    "small numbers can identify people."
)
NOT_SHARED_NOTE = "Nobody in this group has chosen `/privacy share`, so nobody is named."


def count(shown: Shown, threshold: int) -> str:
    if shown.value is not None:
        return f"{shown.value:,}"
    return f"fewer than {threshold}" if shown.hidden is Hidden.FEW else "not shown"


def _percent(value: float) -> str:
    return f"{round(value * 100)}%"


def _many(number: int, word: str, plural_word: str | None = None) -> str:
    return f"{number:,} {word if number == 1 else (plural_word or word + 's')}"


def _domain_label(domain: str) -> str:
    try:
        return DOMAIN_LABEL[Domain(domain)]
    except ValueError:
        return domain


def pathway_lines(overview: Overview) -> list[str]:
    t = overview.threshold
    return [f"{STAGE_LABEL[stage]}: **{count(shown, t)}**" for stage, shown in overview.stages.parts]


def exam_lines(overview: Overview) -> list[str]:
    t = overview.threshold
    exam = overview.exam
    return [
        f"Held up at the exam: **{count(exam.total, t)}**, of them:",
        f"• waiting out a retest: **{count(overview.waiting, t)}** (retest within "
        f"{overview.retest_window_days} days: **{count(exam.part(AtExam.SOON), t)}**)",
        f"• must take a refresher course first: **{count(exam.part(AtExam.REFRESHER), t)}**",
        f"• may test now: **{count(exam.part(AtExam.READY), t)}**",
        f"Passed, awaiting results: **{count(overview.awaiting_results, t)}**",
    ]


def window_line(window: WindowView, threshold: int) -> str:
    line = f"Last {window.days} days: **{count(window.members, threshold)}** members answering"
    if window.answers is not None:
        line += f", {_many(window.answers.value or 0, 'answer')}"
    elif window.members.visible:
        line += " (answers not shown: they would reveal one or two members' own)"
    if window.share_right is not None:
        line += f", {_percent(window.share_right)} right"
    return line


def domain_lines(overview: Overview) -> list[str]:
    t = overview.threshold
    lines = []
    for d in overview.domains:
        label = f"{_domain_label(d.domain)} (exam {d.weight[0]}-{d.weight[1]}%)"
        if d.answers is None:
            lines.append(f"{label}: {count(d.members, t)} members answered")
        elif d.share_right is None:
            lines.append(f"{label}: {_many(d.answers.value or 0, 'answer')}")
        else:
            lines.append(f"{label}: **{_percent(d.share_right)}** right of {d.answers.value or 0:,}")
    return lines


def bucket_lines(overview: Overview) -> list[str]:
    t = overview.threshold
    shown = [b for b in overview.buckets if b.misses is not None]
    lines = [
        f"**{b.bucket}**: {_many(b.misses.value or 0, 'miss', 'misses')} by {b.members.value or 0:,} members"
        for b in shown
        if b.misses is not None
    ]
    if len(shown) < len(overview.buckets):
        lines.append(f"Other buckets: fewer than {t} members each")
    return lines or ["No misses logged in this window."]


def suggestion_text(suggestion: Suggestion) -> str:
    subject, value = suggestion.subject, suggestion.subject
    if suggestion.kind is Suggest.WEAK_DOMAIN:
        subject = _domain_label(value)
    elif suggestion.kind is Suggest.HELD_AT_GATE:
        subject = STAGE_LABEL[Stage(value)]
    return SUGGESTION[suggestion.kind].format(subject=subject, value=value)


def shared_lines(overview: Overview) -> list[str]:
    return [shared_text.next_step(record.card, f"<@{record.user_id}>") for record in overview.shared]


def overview_embed(
    overview: Overview, *, title: str = "The group at a glance", footer: str = ""
) -> discord.Embed:
    t = overview.threshold
    intro = f"Members of this server who have used the bot: **{count(overview.members, t)}**"
    embed = discord.Embed(title=title, description=intro if overview.enough else TOO_FEW.format(t=t))
    if overview.enough:
        embed.add_field(
            name="Pathway: where members are held up",
            value=fit_lines(pathway_lines(overview), FIELD_VALUE),
            inline=False,
        )
        embed.add_field(
            name="Exam and retests", value=fit_lines(exam_lines(overview), FIELD_VALUE), inline=False
        )
        practice = [window_line(overview.week, t), window_line(overview.month, t)]
        embed.add_field(name="Daily question", value=fit_lines(practice, FIELD_VALUE), inline=False)
        days = overview.month.days
        embed.add_field(
            name=f"Accuracy by exam domain (last {days} days)",
            value=fit_lines(domain_lines(overview), FIELD_VALUE),
            inline=False,
        )
        embed.add_field(
            name=f"Misses that cost the group most (last {days} days)",
            value=fit_lines(bucket_lines(overview), FIELD_VALUE),
            inline=False,
        )
    steps = [f"• {suggestion_text(s)}" for s in overview.suggestions]
    if steps:
        embed.add_field(name="What to run next", value=fit_lines(steps, FIELD_VALUE), inline=False)
    shared = shared_lines(overview)
    embed.add_field(
        name="Shared with the group",
        value=fit_lines(shared, FIELD_VALUE) if shared else NOT_SHARED_NOTE,
        inline=False,
    )
    embed.set_footer(text=(footer + " · " if footer else "") + LEGEND.format(t=t))
    return fit_embed(embed)


def overview_file(overview: Overview) -> discord.File | None:
    """The chart (gates as a funnel, domains as bars), only once there are counts to show."""
    if not overview.enough:
        return None
    return discord.File(io.BytesIO(overview_chart(overview)), filename="group-overview.png")


def digest_marker(digest_date: dt.date) -> str:
    """In the digest's footer: how the bot finds the digest again after a crash."""
    return f"Weekly digest {digest_date.isoformat()}"


def digest_embed(overview: Overview, digest_date: dt.date, *, late: bool) -> discord.Embed:
    title = "Weekly digest: the group at a glance" + (" (late: the bot was offline)" if late else "")
    return overview_embed(overview, title=title, footer=digest_marker(digest_date))


def digest_set(plan: DigestPlan) -> str:
    if not plan.enabled:
        return "The weekly digest is off. Nothing more will be posted; turn it on again any time."
    assert plan.next_at is not None and plan.at is not None and plan.zone is not None
    from zoneinfo import ZoneInfo

    local = plan.next_at.astimezone(ZoneInfo(plan.zone))
    text = (
        f"The weekly digest is on: every **{WEEKDAYS[plan.weekday]}** at {plan.at:%H:%M} ({plan.zone}) in "
        f"<#{plan.channel_id}>, with the same counts as `/group overview` and no names but shared ones. "
        f"Next: **{day(local.date())} {local:%H:%M}**."
    )
    return fit(text, CONTENT)


def digest_paused() -> str:
    return (
        "The weekly digest is paused: the bot could not post in the quiz channel. Check the channel and "
        "its permissions, then turn the digest on again with `/group digest enabled:True`."
    )


@describe_refusal.register
def _(error: DigestRefusal) -> str:
    match error.problem:
        case DigestProblem.QUIZ_NOT_SET_UP:
            return (
                "The weekly digest is posted in the quiz channel at the quiz time, so set up the daily "
                "question first with `/quiz setup channel:... time:HH:MM timezone:...`. Nothing was changed."
            )
