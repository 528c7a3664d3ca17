"""Every word of practice: items, feedback, summaries, the scope list and refusals."""

from __future__ import annotations

import io

import discord

from bot.core.fit import FIELD_VALUE, fit_embed, fit_lines
from bot.core.text import plural
from bot.features.errorlog.model import Bucket
from bot.features.practice.content import KeyWords, ScopeCard
from bot.features.practice.ladders import Ladder, LadderScore
from bot.features.practice.model import Mode, Session, Summary
from bot.features.practice.pace import PaceSummary
from bot.features.quiz.bank import DOMAIN_LABEL, LETTERS, Question

DRILL_NAME: dict[Bucket, str] = {
    Bucket.KNOWLEDGE: "Knowledge drill",
    Bucket.SEQUENCE: "Sequence drill (priority ladders)",
    Bucket.SCOPE: "Scope drill (can / cannot)",
    Bucket.READING: "Reading drill (key words)",
    Bucket.PACING: "Timed block",
}
NEXT_STEP: dict[Bucket, str] = {
    Bucket.KNOWLEDGE: "`/practice drill bucket:knowledge` aims at your weakest exam domains.",
    Bucket.SEQUENCE: "`/practice drill bucket:sequence` drills priority ladders.",
    Bucket.SCOPE: "`/practice scope-list`, then `/practice drill bucket:scope`.",
    Bucket.READING: "`/practice drill bucket:reading`: read the stem before the options.",
    Bucket.PACING: "`/practice timed` at exam pace.",
}

NOT_YOURS = "These buttons belong to someone else's practice session, so they do nothing for you."
STALE = (
    "This practice item is no longer current (it was answered, the session ended, or it was replaced). "
    "`/practice resume` shows where you are; `/practice drill` starts a new session."
)
ALREADY = "You already answered this one: your first answer is the one that counts."
NO_SESSION = (
    "You have no practice session in progress. Start one with `/practice drill` or `/practice timed`."
)
NOTHING_TO_PRACTICE = "There's nothing to practice for that yet (no items of that kind). Try another bucket."
ABANDONED = "Session stopped. Your answers so far are kept, and every miss is in your error log."


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


def title(session: Session) -> str:
    if session.mode is Mode.CHECKIN:  # adaptive: its length is not known in advance
        return f"Check-in · item {session.position + 1}"
    if session.mode is Mode.REVIEW:
        name = "Spaced review"
    else:
        name = "Timed block" if session.mode is Mode.TIMED else DRILL_NAME[session.bucket or Bucket.KNOWLEDGE]
    return f"{name} · {session.position + 1} of {session.length}"


def timer_line(session: Session, elapsed: float) -> str | None:
    if session.mode is not Mode.TIMED or session.target is None:
        return None
    return (
        f"⏱️ {_clock(elapsed)} used so far · target {_clock(session.target * session.position)} "
        f"by now ({session.target:.0f} s per item)"
    )


def _embed(session: Session, description: str, footer: str, elapsed: float) -> discord.Embed:
    embed = discord.Embed(title=title(session), description=description, colour=discord.Colour.blurple())
    timer = timer_line(session, elapsed)
    embed.set_footer(text=" · ".join(part for part in (footer, timer) if part))
    return fit_embed(embed)


def question_item(
    session: Session, question: Question, elapsed: float, *, options: bool = True
) -> discord.Embed:
    text = question.stem
    if options:
        text += "\n\n" + "\n".join(
            f"**{letter}.** {o}" for letter, o in zip(question.letters, question.options, strict=True)
        )
    else:
        text += "\n\n*Read the question closely. Which words decide it? Then show the options.*"
    tags = DOMAIN_LABEL[question.domain] + (" · pediatric" if question.pediatric else "")
    return _embed(session, text, tags, elapsed)


def card_item(session: Session, card: ScopeCard, elapsed: float) -> discord.Embed:
    return _embed(session, card.question, "Scope of practice · yes or no", elapsed)


def ladder_item(session: Session, ladder: Ladder, picked: list[int], elapsed: float) -> discord.Embed:
    lines = [ladder.prompt, ""]
    if picked:
        lines.append("**Your order so far:**")
        lines += [f"{n}. {ladder.steps[i]}" for n, i in enumerate(picked, start=1)]
        lines.append("")
    lines.append(f"Pick step {len(picked) + 1} of {len(ladder.steps)} from the menu.")
    return _embed(session, "\n".join(lines), f"Build the list · {ladder.title}", elapsed)


def _took(seconds: float | None, pace: float) -> str:
    if seconds is None:
        return ""
    text = f"\nYou took {seconds:.0f} s."
    if seconds > pace:
        text += f" That's over the {pace:.0f} s pace, so it also counts toward **pacing**."
    return text


def question_feedback(
    question: Question, choice: int, seconds: float | None, pace: float, key_words: KeyWords | None
) -> str:
    right = choice == question.answer
    head = "✅ Right" if right else f"❌ Not quite: you chose **{LETTERS[choice]}**"
    lines = [
        head,
        f"Answer: **{question.answer_letter}.** {question.options[question.answer]}",
        "",
        question.explanation,
    ]
    if key_words is not None:
        words = ", ".join(f"**{w}**" for w in key_words.words)
        lines += ["", f"Key words: {words}. {key_words.why}"]
    if not right:
        lines += ["", f"Logged in your error log under **{question.bucket.value}**."]
    return "\n".join(lines) + _took(seconds, pace)


def card_feedback(card: ScopeCard, said_yes: bool, seconds: float | None, pace: float) -> str:
    right = said_yes == card.answer
    verdict = "may" if card.answer else "may not"
    head = "✅ Right" if right else "❌ Not quite"
    lines = [f"{head}: under the national model an EMR **{verdict}**: {card.skill}.", "", card.reason]
    lines += ["", f"Source: {card.source}", "States set their own scope: check your state's rules."]
    if not right:
        lines += ["", "Logged in your error log under **scope**."]
    return "\n".join(lines) + _took(seconds, pace)


def ladder_feedback(
    ladder: Ladder, picked: list[int], score: LadderScore, seconds: float | None, pace: float
) -> str:
    head = "✅ All in order" if score.exact else f"❌ {score.partial} steps in their right place"
    lines = [head, "", "**The order:**"]
    for n, step in enumerate(ladder.steps):
        mark = "✅" if n < len(picked) and picked[n] == n else "▫️"
        lines.append(f"{n + 1}. {step} {mark}")
    lines += ["", ladder.why]
    if not score.exact:
        lines += ["", "Logged in your error log under **sequence**."]
    return "\n".join(lines) + _took(seconds, pace)


def summary_text(session: Session, summary: Summary, pace: PaceSummary | None) -> str:
    lines = [f"**Session done: {summary.correct} of {summary.answered} right**"]
    if summary.answered < summary.total:
        lines[0] += f" ({summary.answered} of {summary.total} items answered)"
    if summary.misses:
        parts = ", ".join(f"{b.value} {n}" for b, n in sorted(summary.misses.items(), key=lambda kv: -kv[1]))
        lines.append(f"Misses logged by bucket: {parts}.")
    if pace is not None and pace.answered:
        verdict = "on pace" if pace.on_pace else "slower than the exam pace"
        lines.append(
            f"Time: {_clock(pace.total_seconds)} in all, {pace.mean_seconds:.0f} s per item against a target of "
            f"{pace.target_seconds:.0f} s ({verdict}); {plural(pace.over_target, 'item')} over the target."
        )
        if pace.slowest:
            lines.append("Slowest: " + ", ".join(f"item {i + 1}" for i in pace.slowest) + ".")
    top = summary.top_bucket
    lines.append(
        f"Next: {NEXT_STEP[top]}" if top else "Next: keep the streak going with `/quiz now` or another drill."
    )
    lines.append("(A practice score is a study signal, not a National Registry score.)")
    return "\n".join(lines)


def in_progress(session: Session) -> str:
    return f"You have a practice session in progress: **{title(session)}**. Resume it, or stop it and start the new one."


def scope_list(cards: list[ScopeCard]) -> discord.Embed:
    embed = discord.Embed(
        title="Can / cannot: the EMR under the national model", colour=discord.Colour.teal()
    )
    yes = [f"• {c.skill}" for c in cards if c.answer]
    no = [f"• {c.skill}" for c in cards if not c.answer]
    embed.add_field(name="An EMR may", value=fit_lines(yes, FIELD_VALUE) or "-", inline=True)
    embed.add_field(name="Not an EMR skill", value=fit_lines(no, FIELD_VALUE) or "-", inline=True)
    embed.set_footer(
        text="National EMS Scope of Practice Model (2019, updated 2021). The model sets national minimums; "
        "each state sets its own scope."
    )
    return embed


def feedback_embed(session: Session, feedback: str) -> discord.Embed:
    embed = discord.Embed(title=title(session), description=feedback, colour=discord.Colour.blurple())
    return fit_embed(embed)


def summary_embed(session: Session, text: str) -> discord.Embed:
    name = title(session).split(" · ")[0]
    return fit_embed(discord.Embed(title=name, description=text, colour=discord.Colour.green()))


def seconds_chart(seconds: tuple[float, ...], target: float) -> discord.File:
    from bot.features.practice.chart import seconds_per_item_chart

    return discord.File(io.BytesIO(seconds_per_item_chart(seconds, target)), filename="pace.png")
