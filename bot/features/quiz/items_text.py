"""The words of /quiz items: flagged items first in the reply, every item in a CSV file. Counts only."""

from __future__ import annotations

import csv
import io

import discord

from bot.core.fit import DESCRIPTION, fit_embed, fit_lines
from bot.core.text import plural
from bot.features.quiz.item_stats import ItemReport, ItemStat

CSV_NAME = "items.csv"
CSV_COLUMNS = (
    "item_id",
    "domain",
    "answers",
    "right",
    "share_right",
    "discrimination",
    "difficulty",
    "reports",
    "check_this_item",
    "why",
)
NO_ANSWERS = "No answers or reports yet: item statistics start with the first answers."


def _number(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:+.{digits}f}"


def reasons(stat: ItemStat) -> str:
    parts = []
    if stat.negative:
        parts.append("negative discrimination")
    if stat.many_reports:
        parts.append(f"{plural(stat.reports, 'report')}")
    return " and ".join(parts)


def item_line(stat: ItemStat) -> str:
    head = (
        f"⚠️ `{stat.item_id}` **check this item** ({reasons(stat)}) · "
        if stat.flagged
        else f"`{stat.item_id}` · "
    )
    return (
        f"{head}{stat.right} of {stat.answers} right · discrimination {_number(stat.discrimination)} · "
        f"difficulty {_number(stat.difficulty, 1)} · {plural(stat.reports, 'report')}"
    )


def items_embed(report: ItemReport) -> discord.Embed:
    answered = [s for s in report.items if s.answers or s.reports]
    flagged = report.flagged
    header = (
        f"{plural(len(answered), 'item')} answered or reported, by {plural(report.members, 'member')} across "
        f"every server using this bot (counts only: no member is named). "
        f"**{plural(len(flagged), 'item')} to check** (negative discrimination: members who do well elsewhere "
        "miss it more often, which a wrong key causes; or many reports). Flagged items first, then the most "
        f"answered; every item is in `{CSV_NAME}`. Fix items in `data/questions/` and run "
        "`python -m bot questions check`.\n\n"
    )
    lines = [item_line(s) for s in answered]
    body = fit_lines(
        lines, DESCRIPTION - len(header) - 50, more=lambda left: f"… and {left} more in {CSV_NAME}"
    )
    embed = discord.Embed(
        title="Item statistics", description=header + (body or NO_ANSWERS), colour=discord.Colour.orange()
    )
    embed.set_footer(
        text="Discrimination: point-biserial, from -1 to 1. Difficulty: Rasch logits, once calibrated."
    )
    return fit_embed(embed)


def items_csv(report: ItemReport) -> discord.File:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for s in report.items:
        writer.writerow(
            (
                s.item_id,
                s.domain,
                s.answers,
                s.right,
                "" if s.share_right is None else f"{s.share_right:.3f}",
                "" if s.discrimination is None else f"{s.discrimination:.3f}",
                "" if s.difficulty is None else f"{s.difficulty:.3f}",
                s.reports,
                "yes" if s.flagged else "no",
                reasons(s),
            )
        )
    return discord.File(io.BytesIO(buffer.getvalue().encode("utf-8")), filename=CSV_NAME)
