"""Every word of the retake feature (/retake, /errorlog): reading, plan, error log, refusals.

A scaled score is never written next to a percent sign, and never converted to a percentage.
"""

from __future__ import annotations

import io

import discord

from bot.core.fit import FIELD_VALUE, fit_embed, fit_embeds, fit_lines
from bot.core.text import day, plural
from bot.core.wording import describe_refusal
from bot.features.errorlog.model import Bucket
from bot.features.errorlog.text import BUCKET_FIX, BUCKET_MEANING, classify_first_text
from bot.features.retake.chart import attempts_chart
from bot.features.retake.model import (
    Attempt,
    AttemptProblem,
    AttemptRefusal,
    Band,
    RepairPlan,
    RetakeState,
    ScoreProblem,
    ScoreReading,
    ScoreRefusal,
)
from bot.policy import Policy

#: A few concrete drills per bucket; plan days cycle through them so consecutive days differ.
DRILLS: dict[Bucket, tuple[str, ...]] = {
    Bucket.KNOWLEDGE: (
        "Pick one weak topic from your error log; write five key facts from memory, then check them.",
        "Answer 15 practice questions on that topic (`/quiz now`); re-read the explanation of every miss.",
        "Explain the topic out loud in five minutes to your group or a friend; fill the gaps you hit.",
    ),
    Bucket.SEQUENCE: (
        "Write the priority ladder from memory: scene safety, primary assessment and life threats, then the secondary assessment.",
        "Take five scenarios; list the first three actions of each in order and say why each comes first.",
        "Answer 15 'first / next' questions; for each miss, name the step you skipped.",
    ),
    Bucket.SCOPE: (
        "Write the EMR can / cannot list (National EMS Scope of Practice Model) from memory, then check it.",
        "For 20 interventions, say 'can' or 'cannot' at EMR level in under five seconds each.",
        "For each scope miss in your log, write the EMR-level action that should have been chosen.",
    ),
    Bucket.READING: (
        "Read 15 stems slowly and mark the key words (unresponsive, unsafe, not breathing, infant) before the options.",
        "Restate each stem's real question in your own words before answering; do 15.",
        "Re-read every reading miss in your log and name the word you skipped.",
    ),
    Bucket.PACING: (
        "A timed block of 20 questions at about a minute each; note where you slowed down.",
        "A timed block of 30: if one runs long, choose your best answer and move on.",
        "A longer timed session; review only the misses afterwards.",
    ),
}

REST_DAY = "Light review: skim your error log and the fixes, rest, and check your test-day plans."

BAND_WORDS: dict[Band, tuple[str, str]] = {
    Band.NEAR_MISS: (
        "a near miss",
        "A near miss usually means a focused repair of one or two patterns, not a restart of the whole course.",
    ),
    Band.SOME_WAY_OFF: (
        "some way off",
        "Keep the repair focused: most of your days on the bucket that cost the most.",
    ),
    Band.FAR_OFF: (
        "far off",
        "Repair by bucket, and add steady content review of the exam domains you find hardest; your "
        "instructor can help you choose them.",
    ),
}

SCALE_NOTE = (
    "This is a **scaled score** on the {low}-{high} scale, not a percentage: it can't be turned into a "
    "share of questions right, so don't plan around that. Since September 2023 the report doesn't list "
    "weak areas, so your error log is the map."
)

BAND_CAVEAT = "(Bands are this bot's rough guide, not a National Registry statement.)"


def reading_text(reading: ScoreReading, policy: Policy) -> str:
    label, advice = BAND_WORDS[reading.band]
    return (
        f"**{reading.score}** is **{plural(reading.points_below, 'scaled point')} below** the passing point "
        f"of {reading.passing}: {label}. {advice} {BAND_CAVEAT}\n"
        + SCALE_NOTE.format(low=policy.scale_min, high=policy.scale_max)
    )


def refresher_required_text(state: RetakeState) -> str:
    return (
        f"You have used all {state.attempts_allowed} attempts: a complete EMR refresher course is required "
        "before your next attempt. Some sources say a full EMR education program instead, so **confirm the "
        "current rule on your National Registry account**. When it's done: `/retake refresher:YYYY-MM-DD` "
        "starts a new count."
    )


def retest_text(state: RetakeState, policy: Policy) -> str:
    if state.refresher_required:
        return refresher_required_text(state)
    used = (
        f"Attempts used: **{state.used} of {state.attempts_allowed}** before a refresher course is required."
    )
    if state.refresher_on is not None:
        used += f" (New count since your refresher on {day(state.refresher_on)}.)"
    if state.eligible_on is None:
        return used
    if state.waiting:
        when = (
            f"You may retest from **{day(state.eligible_on)}** (your attempt date + {policy.wait_days} days; "
            f"{plural(state.days_to_wait, 'day')} from today)."
        )
    else:
        when = (
            f"Your {policy.wait_days}-day wait is over: you may retest now (since {day(state.eligible_on)})."
        )
    return f"{when}\n{used}"


def plan_embed(plan: RepairPlan) -> discord.Embed:
    embed = discord.Embed(title="Repair plan", colour=discord.Colour.orange())
    if plan.needs_classification:
        embed.description = classify_first_text()
        return fit_embed(embed)
    lines = []
    for bucket in plan.focus:
        lines.append(
            f"**{bucket.value}**: {plural(plan.misses[bucket], 'miss', 'misses')} since your last attempt "
            f"({BUCKET_MEANING[bucket]}). Fix: **{BUCKET_FIX[bucket]}**."
        )
    header = "Aim the wait at " + ("these two buckets" if len(plan.focus) == 2 else "this bucket") + ":\n"
    body = [header + "\n".join(lines)]
    if plan.band is not None:
        body.append(BAND_WORDS[plan.band][1])
    if plan.days:
        schedule = []
        for entry in plan.days:
            if entry.bucket is None:
                schedule.append(f"`{entry.day:%a %m-%d}` {REST_DAY}")
            else:
                drills = DRILLS[entry.bucket]
                schedule.append(
                    f"`{entry.day:%a %m-%d}` **{entry.bucket.value}**: {drills[entry.drill % len(drills)]}"
                )
        body.append("\n".join(schedule))
        if plan.retest_on:
            body.append(f"`{plan.retest_on:%a %m-%d}` You may retest.")
    elif plan.retest_on is not None:
        body.append("Your wait is over: keep a short daily drill on these buckets until you test.")
    embed.description = "\n\n".join(body)
    return fit_embed(embed)


def attempt_embeds(
    reading: ScoreReading | None, state: RetakeState, plan: RepairPlan, policy: Policy
) -> list[discord.Embed]:
    title = "Attempt logged" if reading else "Your retake status"
    main = discord.Embed(title=title, colour=discord.Colour.blurple())
    if reading is not None:
        main.description = reading_text(reading, policy)
    if state.attempts:
        history = fit_lines(
            [f"{day(a.taken_on)}: {a.score}" for a in state.attempts],
            FIELD_VALUE,
            separator=", ",
            more=lambda left: f"and {left} more",
        )
        main.add_field(name="Attempts (scaled scores)", value=history, inline=False)
    main.add_field(name="Retest", value=retest_text(state, policy), inline=False)
    if reading is not None:
        main.set_image(url="attachment://attempts.png")
    return fit_embeds(main, plan_embed(plan))


def chart_file(state: RetakeState, policy: Policy) -> discord.File:
    png = attempts_chart(state.attempts, policy.passing_score, policy.scale_min, policy.scale_max)
    return discord.File(
        io.BytesIO(png), filename="attempts.png", description="Scaled scores against the passing point"
    )


NO_ATTEMPTS = (
    "No failed attempts are recorded. If an attempt didn't pass, log it with "
    "`/retake score:<scaled score> date:YYYY-MM-DD`; a pass goes in `/gate gate:exam mark:done date:YYYY-MM-DD`."
)


def refresher_recorded(state: RetakeState) -> str:
    assert state.refresher_on is not None
    return (
        f"Refresher course recorded on {day(state.refresher_on)}: your count starts again at "
        f"**0 of {state.attempts_allowed}**. Remember it does not extend your course completion date."
    )


def undone(attempt: Attempt) -> str:
    return f"Removed your attempt of {day(attempt.taken_on)} ({attempt.score}). Your retest date and reminders are updated."


# ------------------------------------------------------------------------------------------- refusals


@describe_refusal.register
def _(error: ScoreRefusal) -> str:
    if error.problem is ScoreProblem.PASSING:
        return (
            f"{error.score} would be a pass ({error.passing} or more), and a passing result has no scaled "
            "score: the National Registry reports only the pass. Record a pass with "
            "`/gate gate:exam mark:done date:YYYY-MM-DD`. Nothing was changed."
        )
    return (
        f"{error.score} isn't on the score report's scale: failing reports use scaled scores from "
        f"{error.scale_min} to {error.scale_max} (passing point {error.passing}). Check the number on your "
        "report and try again. Nothing was changed."
    )


@describe_refusal.register
def _(error: AttemptRefusal) -> str:
    previous = day(error.previous) if error.previous else "your last attempt"
    match error.problem:
        case AttemptProblem.TOO_SOON:
            assert error.previous is not None and error.earliest is not None
            wait = (error.earliest - error.previous).days
            return (
                f"Attempts are at least {wait} days apart: after your attempt on {previous}, the earliest "
                f"next attempt is **{day(error.earliest)}**. Check the date. Nothing was changed."
            )
        case AttemptProblem.OUT_OF_ORDER:
            return (
                f"Your latest recorded attempt is {previous}; log attempts in order. To correct a wrong entry, "
                "use `/retake undo:True` first. Nothing was changed."
            )
        case AttemptProblem.REFRESHER_REQUIRED:
            return (
                f"You've recorded {error.attempts_allowed} failed attempts, so a refresher course is required "
                "before another attempt (confirm the current rule on your National Registry account). Record it "
                "with `/retake refresher:YYYY-MM-DD`, then log the new attempt. Nothing was changed."
            )
        case AttemptProblem.REFRESHER_BEFORE_ATTEMPT:
            return (
                f"The dates don't fit: the refresher course has to come after your attempt on {previous} and "
                "before the next one. Check the dates. Nothing was changed."
            )
        case AttemptProblem.NOTHING_TO_UNDO:
            return "There is no recorded attempt to remove. Nothing was changed."
        case AttemptProblem.ALREADY_PASSED:
            return (
                "Your exam gate is marked passed, so there's no retake to log. If that's a mistake, correct it "
                "with `/gate gate:exam mark:pending`. Nothing was changed."
            )
    raise AssertionError(error.problem)
