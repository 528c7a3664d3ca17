"""Every word of a multiple-response ("select all that apply") practice question: the question, its menu,
and the feedback that says which choices were right."""

from __future__ import annotations

import discord

from bot.core.fit import fit, fit_embed
from bot.features.quiz.bank import DOMAIN_LABEL, Question
from bot.features.quiz.text import after_answer, public_source

TITLE = "Practice question · select all that apply"
FEEDBACK_TITLE = "Select all that apply: your answer"
HOW_TO = (
    "**Select all that apply:** pick every correct option in the menu below, then close it. "
    "Scored all or nothing: full credit only for exactly the right set."
)
PLACEHOLDER = "Choose every correct option (A-E)"
CANNOT_READ = "I couldn't read that answer: choose options A to E in the menu. Nothing was saved."
WRONG_CONTROL = "This answer doesn't fit this question (it may have changed in the bank). Nothing was saved."
OPTION_DESCRIPTION_LIMIT = 100  # Discord's limit for a select option's description


def _letters(letters: list[str]) -> str:
    """'A', 'A and C', 'A, C and E'."""
    bold = [f"**{letter}**" for letter in letters]
    return bold[0] if len(bold) == 1 else ", ".join(bold[:-1]) + " and " + bold[-1]


def question_embed(question: Question) -> discord.Embed:
    options = "\n".join(
        f"**{letter}.** {text}" for letter, text in zip(question.letters, question.options, strict=True)
    )
    embed = discord.Embed(
        title=TITLE,
        description=f"{question.stem}\n\n{options}\n\n{HOW_TO}",
        colour=discord.Colour.blurple(),
    )
    tags = [DOMAIN_LABEL[question.domain]]
    if question.pediatric:
        tags.append("pediatric")
    embed.set_footer(text=" · ".join(tags))
    return fit_embed(embed)


def _mark(keyed: bool, chosen: bool) -> str:
    if keyed:
        return "✅ correct, and you chose it" if chosen else "⚠️ correct, but you left it out"
    return "❌ not correct, but you chose it" if chosen else "▫️ not correct, and you left it out"


def feedback_embed(
    question: Question, choices: frozenset[int], *, seconds: float | None, pacing_seconds: int
) -> discord.Embed:
    right = question.is_right(choices)
    chosen = [question.letters[i] for i in sorted(choices)]
    heading = "✅ Right: exactly the correct set" if right else f"❌ Not quite: you chose {_letters(chosen)}"
    rule = f"Scored all or nothing: full credit only for choosing exactly {_letters(list(question.correct_letters))}."
    lines = [f"> {fit(question.stem, 300)}", "", heading, rule, ""]
    lines += [
        f"**{letter}.** {text}: {_mark(i in question.correct, i in choices)}"
        for i, (letter, text) in enumerate(zip(question.letters, question.options, strict=True))
    ]
    lines += ["", question.explanation]
    lines += after_answer(question, right, seconds, pacing_seconds)
    embed = discord.Embed(
        title=FEEDBACK_TITLE,
        description="\n".join(lines),
        colour=discord.Colour.green() if right else discord.Colour.red(),
    )
    source = public_source(question)
    if source is not None:
        embed.set_footer(text=f"Source: {source}")
    return fit_embed(embed)
