"""Every word of the error log: what each bucket means, its fix, /errorlog add and show."""

from __future__ import annotations

from collections import Counter

import discord

from bot.core.fit import FIELD_VALUE, fit_embed, fit_lines
from bot.core.text import day, plural
from bot.features.errorlog.model import BUCKETS, Bucket, Miss

BUCKET_MEANING: dict[Bucket, str] = {
    Bucket.KNOWLEDGE: "did not know the fact",
    Bucket.SEQUENCE: "knew the facts, chose the wrong order",
    Bucket.SCOPE: "picked an action above EMR level",
    Bucket.READING: "missed a key word (unresponsive, unsafe, ...)",
    Bucket.PACING: "rushed or froze",
}

BUCKET_FIX: dict[Bucket, str] = {
    Bucket.KNOWLEDGE: "focused content review",
    Bucket.SEQUENCE: "priority-ladder drills",
    Bucket.SCOPE: "memorize the can / cannot list",
    Bucket.READING: "slower, deliberate stem reading",
    Bucket.PACING: "timed practice",
}


def classify_first_text() -> str:
    rows = "\n".join(f"• **{b.value}**: {BUCKET_MEANING[b]} → {BUCKET_FIX[b]}" for b in BUCKETS)
    return (
        "No misses are logged since your last attempt, so there's nothing to aim at yet. Don't re-study "
        "everything: first sort the misses you remember into the five buckets, one `/errorlog add` each:\n"
        f"{rows}\n"
        "For example: `/errorlog add bucket:scope note:chose a supraglottic airway`. "
        "Then `/retake` shows a plan aimed at the one or two buckets that cost the most."
    )


def miss_logged(bucket: Bucket, since: Counter[Bucket], focus: tuple[Bucket, ...]) -> str:
    total = sum(since.values())
    attack = " and ".join(f"**{b.value}**" for b in focus)
    return (
        f"Logged a **{bucket.value}** miss ({BUCKET_MEANING[bucket]}). Fix: {BUCKET_FIX[bucket]}.\n"
        f"{plural(total, 'miss', 'misses')} since your last attempt; attack first: {attack}."
    )


def _bucket_lines(counts: Counter[Bucket]) -> str:
    top = max(counts.values(), default=0)
    lines = []
    for bucket in BUCKETS:
        count = counts[bucket]
        bar = "▰" * round(8 * count / top) if top else ""
        lines.append(f"`{bucket.value:<9}` {bar} {count}")
    return "\n".join(lines)


def errorlog_embed(
    since: Counter[Bucket],
    overall: Counter[Bucket],
    focus: tuple[Bucket, ...],
    last_attempt: str | None,
    recent: list[Miss],
) -> discord.Embed:
    embed = discord.Embed(title="Your error log", colour=discord.Colour.orange())
    if not overall:
        embed.description = classify_first_text()
        return fit_embed(embed)
    since_label = (
        f"Since your last attempt ({last_attempt})" if last_attempt else "All misses (no attempt yet)"
    )
    embed.add_field(name=since_label, value=_bucket_lines(since), inline=True)
    if last_attempt:
        embed.add_field(name="Overall", value=_bucket_lines(overall), inline=True)
    if focus:
        attack = "\n".join(f"**{b.value}**: {BUCKET_FIX[b]}" for b in focus)
    else:
        attack = "Nothing logged since your last attempt: classify the misses you remember first."
    embed.add_field(name="Attack first", value=attack, inline=False)
    if recent:
        notes = [
            f"{day(m.logged_on)} · {m.bucket.value}{' (quiz)' if m.source == 'quiz' else ''}"
            + (f": {discord.utils.escape_markdown(m.note)}" if m.note else "")
            for m in recent
        ]
        embed.add_field(name="Latest", value=fit_lines(notes, FIELD_VALUE), inline=False)
    return fit_embed(embed)
