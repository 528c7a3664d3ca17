"""Every word of the quiz feature: questions, feedback, the daily post, stats, setup and refusals."""

from __future__ import annotations

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import discord

from bot.core.fit import CONTENT, FIELD_VALUE, TITLE, fit, fit_embed, fit_lines
from bot.core.text import day, plural
from bot.core.wording import describe_refusal, echo
from bot.features.quiz.bank import DOMAIN_LABEL, LETTERS, Domain, Question
from bot.features.quiz.chart import domain_accuracy_chart
from bot.features.quiz.daily import Reveal, SetupProblem, SetupRefusal
from bot.features.quiz.repo import Report
from bot.features.quiz.stats import QuizStats

EMPTY_BANK = "The question bank is empty, so there's no question to ask. The host can check it with `python -m bot questions check`."
NO_QUESTIONS_IN_DOMAIN = (
    "There are no questions in that domain yet. Try another one, or leave `domain` empty."
)
REPORT_THANKS = "Thanks: your report is saved, and this server's organizers see it (and that it came from you) with `/quiz reports`."
ALREADY_ANSWERED = "You've already answered this one: your first answer ({letter}) is the one that counts."
POST_CLOSED = "This question has closed: the next one is posted. The answer was **{letter}**: {option}"
POST_GONE = "I can't find this question any more (it may have been removed from the bank)."

#: A reference of the project's own (its seed text), which a member cannot look up: never shown.
_INTERNAL_SOURCE = re.compile(r"\bseed\b", re.IGNORECASE)
#: Shown for a pathway item whose only basis is an internal reference.
PATHWAY_SOURCE = (
    "National Registry rules (nremt.org): confirm the current rule on your National Registry account"
)


def _options(question: Question) -> str:
    return "\n".join(
        f"**{letter}.** {text}" for letter, text in zip(question.letters, question.options, strict=True)
    )


def question_embed(question: Question, *, title: str) -> discord.Embed:
    embed = discord.Embed(
        title=title, description=f"{question.stem}\n\n{_options(question)}", colour=discord.Colour.blurple()
    )
    tags = [DOMAIN_LABEL[question.domain]]
    if question.pediatric:
        tags.append("pediatric")
    embed.set_footer(text=" · ".join(tags))  # no item id: the report button carries it
    return fit_embed(embed)


def question_title(question: Question) -> str:
    """The question as a title: its first line, fitted to a title at a word boundary."""
    return fit(question.stem.strip().splitlines()[0], TITLE)


def public_source(question: Question) -> str | None:
    """The sources of ``question.basis`` a member can look up; internal references are left out."""
    parts = [part.strip() for part in question.basis.split(";")]
    public = [part for part in parts if part and not _INTERNAL_SOURCE.search(part)]
    if public:
        return "; ".join(public)
    return PATHWAY_SOURCE if question.domain is Domain.PATHWAY else None


def after_answer(question: Question, right: bool, seconds: float | None, pacing_seconds: int) -> list[str]:
    """The lines every answer's feedback ends with: the time taken against the pace, and what was logged."""
    lines: list[str] = []
    if seconds is not None:
        took = f"You took {seconds:.0f} s."
        if seconds > pacing_seconds:
            took += f" That's over the {pacing_seconds} s pace, so it also counts toward **pacing** in your error log."
        lines += ["", took]
    if not right:
        lines += ["", f"Logged in your error log under **{question.bucket.value}**."]
    return lines


def feedback_embed(
    question: Question, choice: int, *, seconds: float | None, pacing_seconds: int
) -> discord.Embed:
    right = choice == question.answer
    answer = f"**{question.answer_letter}.** {question.options[question.answer]}"
    heading = "✅ Right" if right else f"❌ Not quite: you chose **{LETTERS[choice]}**"
    lines = [heading, f"Answer: {answer}", "", question.explanation]
    lines += after_answer(question, right, seconds, pacing_seconds)
    embed = discord.Embed(
        title=question_title(question),
        description="\n".join(lines),
        colour=discord.Colour.green() if right else discord.Colour.red(),
    )
    source = public_source(question)
    if source is not None:
        embed.set_footer(text=f"Source: {source}")
    return fit_embed(embed)


def reveal_text(reveal: Reveal, today: dt.date | None = None) -> str:
    """The previous question and its answer: the daily post's text, above today's question."""
    question = reveal.question
    answer = f"**{question.answer_letter}.** {question.options[question.answer]}"
    if reveal.answered:
        share = f"{reveal.correct} of {plural(reveal.answered, 'member')} who answered got it right."
    else:
        share = "Nobody answered it."
    posted, which = reveal.posted_on, "Yesterday's question"
    if posted is not None and today is not None and posted != today - dt.timedelta(days=1):
        which = f"The last question ({day(posted)})"  # after a pause or downtime
    return fit(
        f"📖 **{which}:** {question_title(question)}\nAnswer: {answer}\n{share}\nToday's question is below.",
        CONTENT,
    )


def daily_embed(question: Question, local_day: dt.date) -> discord.Embed:
    """Today's question alone: the previous one's answer is the message's text, above it."""
    embed = question_embed(question, title=f"Daily question · {day(local_day)}")
    embed.add_field(
        name="How to answer",
        value="Pick a letter: your first answer counts, and only you see the feedback.",
        inline=False,
    )
    return fit_embed(embed)


def _percent(value: float) -> str:
    return f"{round(value * 100)}%"


WEIGHTING = (
    "Weighted like the exam: each exam domain counts by its share of the exam (Primary Assessment most). "
    "It's your share right on this bot's questions, not a National Registry score, and can't be turned "
    "into a scaled score."
)


def weighting_line(stats: QuizStats) -> str | None:
    """One line on the weighted figure: what it means, or what it waits for."""
    if stats.weighted_accuracy is not None:
        return WEIGHTING
    if not stats.to_go:
        return None
    to_go = ", ".join(f"{DOMAIN_LABEL[Domain(domain)]} {left} more" for domain, left in stats.to_go)
    return (
        f"Weighted like the exam: shown once you have {stats.min_per_domain} answers in each exam domain, "
        f"so it isn't down to chance (to go: {to_go})."
    )


def stats_embed(stats: QuizStats) -> discord.Embed:
    embed = discord.Embed(title="Your quiz stats", colour=discord.Colour.blurple())
    if not stats.answered:
        embed.description = "No answers yet: try `/quiz now`, or answer the daily question."
        return fit_embed(embed)
    overall = f"{stats.correct} of {stats.answered} right"
    if stats.weighted_accuracy is not None:
        overall += f"; weighted like the exam's domains: **{_percent(stats.weighted_accuracy)}**"
    explained = weighting_line(stats)
    embed.description = overall if explained is None else f"{overall}\n{explained}"
    lines = [
        f"{DOMAIN_LABEL[Domain(d.domain)]}: {d.correct}/{d.answered} ({_percent(d.accuracy)})"
        for d in stats.domains
    ]
    embed.add_field(name="By domain", value=fit_lines(lines, FIELD_VALUE), inline=False)
    embed.add_field(
        name="Streak",
        value=f"Current: **{plural(stats.current_streak, 'day')}** · best: {plural(stats.best_streak, 'day')}",
        inline=False,
    )
    if stats.miss_buckets:
        misses = ", ".join(f"{bucket} {count}" for bucket, count in stats.miss_buckets.most_common())
        embed.add_field(name="Your quiz misses by bucket", value=misses, inline=False)
    embed.set_image(url="attachment://quiz-stats.png")
    return fit_embed(embed)


def stats_chart(stats: QuizStats) -> discord.File:
    png = domain_accuracy_chart(
        [(DOMAIN_LABEL[Domain(d.domain)], d.accuracy, d.answered) for d in stats.domains]
    )
    return discord.File(io.BytesIO(png), filename="quiz-stats.png", description="Accuracy by exam domain")


def setup_done(
    channel_mention: str, at: dt.time, zone: str, upcoming: dt.datetime, *, today_done: bool = False
) -> str:
    local = upcoming.astimezone(ZoneInfo(zone))
    why = " (today's question is already posted: one a day)" if today_done else ""
    return (
        f"The daily question goes to {channel_mention} at **{at:%H:%M}** ({zone}). "
        f"Next one: {local:%a %Y-%m-%d %H:%M}{why}. Pause with `/quiz setup paused:True`."
    )


def paused_text(paused: bool, upcoming: dt.datetime | None, zone: str | None) -> str:
    if paused:
        return "The daily question is **paused**. `/quiz setup paused:False` resumes it."
    if upcoming is not None and zone:
        return f"The daily question is **resumed**: next one {upcoming.astimezone(ZoneInfo(zone)):%a %Y-%m-%d %H:%M}."
    return "The daily question is **resumed**."


def paused_by_bot(reason: str) -> str:
    """To organizers, after their /quiz command, while the bot holds the daily post paused."""
    return (
        "⚠️ The daily question is **paused**: my last post failed because the channel is gone or I lost a "
        "permission there (View Channel, Send Messages, Embed Links, Attach Files, Read Message History). "
        "Fix it, then run `/quiz setup` (pick the channel again) to resume."
    )


def reports_text(reports: list[Report]) -> str:
    if not reports:
        return "No question reports yet."
    lines = [
        f"• `{r.question_id}` · {r.reported_at:%Y-%m-%d} · <@{r.user_id}>: {discord.utils.escape_markdown(r.reason)}"
        for r in reports
    ]
    header = "**Question reports** (newest first; fix them in `data/questions/` and run `python -m bot questions check`):\n"
    return header + fit_lines(lines, CONTENT - len(header))


@describe_refusal.register
def _(error: SetupRefusal) -> str:
    match error.problem:
        case SetupProblem.BAD_TIME:
            return (
                f"{echo(error.value)} isn't a time I can read. Use `HH:MM` on a 24-hour clock, for example `07:30` "
                "or `18:00`. Nothing was changed."
            )
        case SetupProblem.INCOMPLETE:
            return (
                "To set up the daily question I need all three: `channel`, `time` (HH:MM) and `timezone` "
                "(for example America/Chicago). Nothing was changed."
            )
        case SetupProblem.NOT_SET_UP:
            return "There's no daily question set up here yet: run `/quiz setup` with a channel, time and time zone first."
        case SetupProblem.CANNOT_POST:
            return (
                f"I can't post in {error.value}: give me **View Channel**, **Send Messages**, **Embed Links** and "
                "**Attach Files** and **Read Message History** there, or pick another channel. Nothing was changed."
            )
    raise AssertionError(error.problem)
