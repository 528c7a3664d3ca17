"""Every word of the check-in's result. Never a number on the 100-1500 scale, never a percentage as a
score: the member reads where the bot's likely range for their level lies against its standard."""

from __future__ import annotations

import io

import discord

from bot.core.fit import fit_embed
from bot.core.text import plural
from bot.features.practice.checkin import Change, CheckinReport
from bot.features.practice.irt import Verdict
from bot.features.quiz.bank import DOMAIN_LABEL

VERDICT: dict[Verdict, str] = {
    Verdict.READY: "Likely ready",
    Verdict.NOT_YET: "Not yet",
    Verdict.TOO_CLOSE: "Too close to call",
}
MEANING: dict[Verdict, str] = {
    Verdict.READY: "The bot's likely range for your level lies wholly **above** its readiness standard.",
    Verdict.NOT_YET: "The bot's likely range for your level lies wholly **below** its readiness standard.",
    Verdict.TOO_CLOSE: (
        "The bot's likely range for your level reaches both sides of its readiness standard, so it "
        "cannot tell yet."
    ),
}
COLOR: dict[Verdict, discord.Colour] = {
    Verdict.READY: discord.Colour.green(),
    Verdict.NOT_YET: discord.Colour.red(),
    Verdict.TOO_CLOSE: discord.Colour.gold(),
}
DISCLAIMER = (
    "This is the bot's estimate on its own question bank, **not a National Registry prediction**: the "
    "exam's scaled score cannot be predicted from it. The readiness standard is the bot's own heuristic "
    "(`checkin.readiness_standard` in the policy file says what it means)."
)
CHECKIN_NAME = "Check-in"


def change_line(change: Change, previous_on: str | None) -> str:
    since = f" ({previous_on})" if previous_on else ""
    match change:
        case Change.FIRST:
            return "This is your first check-in: the next one will show the change."
        case Change.UP:
            return f"Higher than at your last check-in{since}."
        case Change.DOWN:
            return f"Lower than at your last check-in{since}."
        case Change.SAME:
            return f"About the same as at your last check-in{since}."


def domains_line(shortfalls: tuple[str, ...]) -> str:
    if not shortfalls:
        return "No exam domain stood out below your own level this time."
    labels = {domain.value: label for domain, label in DOMAIN_LABEL.items()}
    names = ", ".join(labels.get(d, d) for d in shortfalls)
    return f"Pulling it down: **{names}**. `/practice drill bucket:knowledge` aims at your weakest domains."


def result_embed(
    report: CheckinReport, change: Change, previous_on: str | None, feedback: str | None = None
) -> discord.Embed:
    side = "above" if report.estimate.ability > report.standard else "below"
    lines = [
        f"**{VERDICT[report.verdict]}.** {MEANING[report.verdict]}",
        f"Your estimate sits {side} the standard line after {plural(report.estimate.items, 'item')}.",
        change_line(change, previous_on),
        domains_line(report.shortfalls),
        "",
        DISCLAIMER,
    ]
    text = "\n".join(lines)
    if feedback:
        text = f"{feedback}\n\n{text}"
    embed = discord.Embed(
        title=f"{CHECKIN_NAME}: {VERDICT[report.verdict].lower()}",
        description=text,
        colour=COLOR[report.verdict],
    )
    embed.set_footer(text="The picture: the likely range for your level against the standard line.")
    return fit_embed(embed)


def stopped_embed(answered: int, min_items: int, feedback: str | None = None) -> discord.Embed:
    text = (
        f"Check-in stopped after {plural(answered, 'item')}: no result was recorded (a check-in needs at "
        f"least {min_items} answers to say anything). Your answers are kept, and every miss is in your error "
        "log. Start a new one with `/practice checkin`."
    )
    if feedback:
        text = f"{feedback}\n\n{text}"
    return fit_embed(discord.Embed(title=CHECKIN_NAME, description=text, colour=discord.Colour.light_grey()))


def interval_file(report: CheckinReport, previous: float | None) -> discord.File:
    from bot.features.practice.checkin_chart import interval_chart

    png = interval_chart(report.estimate.ability, report.interval, report.standard, previous)
    return discord.File(io.BytesIO(png), filename="checkin.png")
