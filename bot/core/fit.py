"""Fitting text to Discord's limits: cut at a word boundary with an ellipsis, never mid-word.

Every renderer fits what it builds here instead of slicing (``text[:1024]``). Lengths are counted in
UTF-16 code units, which is never less than the characters Discord counts, so a fitted text is always
accepted. :func:`fit` and :func:`fit_lines` are pure; :func:`fit_embeds` fits whole embeds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import discord

#: Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
TITLE = 256
DESCRIPTION = 4096
FIELD_NAME = 256
FIELD_VALUE = 1024
FIELDS = 25
FOOTER = 2048
AUTHOR = 256
EMBED_TOTAL = (
    6000  # title, description, field names and values, footer and author of every embed in a message
)
CONTENT = 2000  # a message's own text

ELLIPSIS = "…"
#: A cut looks back at most this share of the room for a word boundary before it cuts inside a word.
_BOUNDARY_LOOKBACK = 0.5
_TRAILING = " \t\n,;:·-–—"
#: The smallest room a too-long embed part is shrunk to before fields are dropped instead.
_MIN_PART = 64


def size(text: str) -> int:
    """``text``'s length as Discord may count it: in UTF-16 code units (an emoji can be two)."""
    return len(text.encode("utf-16-le")) // 2


def _prefix(text: str, room: int) -> str:
    """The longest prefix of ``text`` whose size is at most ``room``."""
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > room:
            return text[:index]
    return text


def _balance(text: str) -> str:
    """Drop a dangling ``**`` or `` ` `` a cut left open, so the markdown still renders."""
    if text.count("`") % 2:
        text = text[: text.rfind("`")]
    if text.count("**") % 2:
        text = text[: text.rfind("**")]
    return text


def fit(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit``; else cut at the last word boundary and ended with "…"."""
    if size(text) <= limit:
        return text
    if limit < 1:
        return ""
    room = limit - size(ELLIPSIS)
    cut = _prefix(text, room)
    if not text[len(cut)].isspace():  # the cut fell inside a word: go back to the word's start
        boundary = max(cut.rfind(" "), cut.rfind("\n"))
        if boundary >= room * _BOUNDARY_LOOKBACK:
            cut = cut[:boundary]
    cut = _balance(cut).rstrip(_TRAILING)
    return cut + ELLIPSIS


def fit_lines(
    lines: Sequence[str],
    limit: int,
    *,
    more: Callable[[int], str] = lambda left: f"… and {left} more",
    separator: str = "\n",
) -> str:
    """Whole lines while they fit, then a note of how many were left out (the last line fitted if alone)."""
    joined = separator.join(lines)
    if size(joined) <= limit:
        return joined
    kept: list[str] = []
    for count, line in enumerate(lines):
        note = separator + more(len(lines) - count)
        candidate = separator.join([*kept, line])
        if size(candidate) + size(note) > limit:
            if not kept:  # not even one whole line: fit the first one in the room left
                return fit(line, limit - size(note)) + note if limit > size(note) else fit(line, limit)
            return separator.join(kept) + note
        kept.append(line)
    return separator.join(kept)


# --------------------------------------------------------------------------------------------- embeds


def embed_size(embed: discord.Embed) -> int:
    total = size(embed.title or "") + size(embed.description or "")
    total += sum(size(f.name or "") + size(f.value or "") for f in embed.fields)
    total += size(embed.footer.text or "") + size(embed.author.name or "")
    return total


def _fit_parts(embed: discord.Embed) -> None:
    if embed.title:
        embed.title = fit(embed.title, TITLE)
    if embed.description:
        embed.description = fit(embed.description, DESCRIPTION)
    fields = embed.fields[:FIELDS]
    embed.clear_fields()
    for field in fields:
        embed.add_field(
            name=fit(field.name or "", FIELD_NAME) or "\u200b",
            value=fit(field.value or "", FIELD_VALUE) or "\u200b",
            inline=bool(field.inline),
        )
    if embed.footer.text:
        embed.set_footer(text=fit(embed.footer.text, FOOTER), icon_url=embed.footer.icon_url)
    if embed.author.name:
        embed.set_author(
            name=fit(embed.author.name, AUTHOR), url=embed.author.url, icon_url=embed.author.icon_url
        )


def _shrink_largest(embeds: Sequence[discord.Embed], over: int) -> bool:
    """Shorten the longest description or field value by ``over``; False when nothing can shrink."""
    best: tuple[int, discord.Embed, int] | None = None  # (size, embed, -1 for description or field index)
    for embed in embeds:
        if embed.description and (best is None or size(embed.description) > best[0]):
            best = (size(embed.description), embed, -1)
        for index, field in enumerate(embed.fields):
            if best is None or size(field.value or "") > best[0]:
                best = (size(field.value or ""), embed, index)
    if best is None or best[0] <= _MIN_PART:
        return False
    length, embed, index = best
    target = max(_MIN_PART, length - over)
    if index < 0:
        embed.description = fit(embed.description or "", target)
    else:
        field = embed.fields[index]
        embed.set_field_at(
            index, name=field.name or "", value=fit(field.value or "", target), inline=bool(field.inline)
        )
    return True


def fit_embeds(*embeds: discord.Embed) -> list[discord.Embed]:
    """Fit every part of these embeds (sent in one message) to its limit, and all of them to the total."""
    for embed in embeds:
        _fit_parts(embed)
    while (over := sum(embed_size(e) for e in embeds) - EMBED_TOTAL) > 0:
        if not _shrink_largest(embeds, over):
            last = next((e for e in reversed(embeds) if e.fields), None)
            if last is None:
                break
            last.remove_field(len(last.fields) - 1)
    return list(embeds)


def fit_embed(embed: discord.Embed) -> discord.Embed:
    """Fit one embed (the only one in its message) to Discord's limits."""
    return fit_embeds(embed)[0]
