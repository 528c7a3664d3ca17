"""A checker for Discord's message and embed limits, over what discord.py would send (``to_dict()``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import discord

TITLE, DESCRIPTION, FIELD_NAME, FIELD_VALUE, FIELDS = 256, 4096, 256, 1024, 25
FOOTER, AUTHOR, EMBED_TOTAL, CONTENT, EMBEDS = 2048, 256, 6000, 2000, 10


def units(text: str) -> int:
    """Length in UTF-16 code units: never less than what Discord counts."""
    return len(text.encode("utf-16-le")) // 2


def embed_problems(data: dict[str, Any]) -> tuple[list[str], int]:
    """Every limit one embed breaks, and its size toward the message's total."""
    problems: list[str] = []

    def check(where: str, text: str | None, limit: int) -> int:
        length = units(text or "")
        if length > limit:
            problems.append(f"{where}: {length} > {limit}")
        return length

    total = check("title", data.get("title"), TITLE) + check(
        "description", data.get("description"), DESCRIPTION
    )
    fields = data.get("fields", [])
    if len(fields) > FIELDS:
        problems.append(f"{len(fields)} fields > {FIELDS}")
    for index, field in enumerate(fields):
        if not field.get("name") or not field.get("value"):
            problems.append(f"field {index} is empty (Discord refuses it)")
        total += check(f"field {index} name", field.get("name"), FIELD_NAME)
        total += check(f"field {index} value", field.get("value"), FIELD_VALUE)
    total += check("footer", data.get("footer", {}).get("text"), FOOTER)
    total += check("author", data.get("author", {}).get("name"), AUTHOR)
    return problems, total


def limit_problems(content: str | None = None, embeds: Sequence[discord.Embed] = ()) -> list[str]:
    """Every Discord limit a message with this content and these embeds would break."""
    problems: list[str] = []
    if content is not None and units(content) > CONTENT:
        problems.append(f"content: {units(content)} > {CONTENT}")
    if len(embeds) > EMBEDS:
        problems.append(f"{len(embeds)} embeds > {EMBEDS}")
    total = 0
    for index, embed in enumerate(embeds):
        found, size = embed_problems(embed.to_dict())  # type: ignore[arg-type]
        problems += [f"embed {index} {p}" for p in found]
        total += size
    if total > EMBED_TOTAL:
        problems.append(f"embeds total {total} > {EMBED_TOTAL}")
    return problems


def assert_fits(content: str | None = None, embeds: Sequence[discord.Embed] = ()) -> None:
    problems = limit_problems(content, embeds)
    assert not problems, problems
