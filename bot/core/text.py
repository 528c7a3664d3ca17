"""Small formatting helpers shared by every feature's renderer."""

from __future__ import annotations

import datetime as dt


def day(value: dt.date) -> str:
    """``Mon 2026-11-30``: the ISO date members type, with its weekday."""
    return f"{value:%a} {value.isoformat()}"


def plural(count: int, word: str, plural_word: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural_word or word + 's')}"


def progress_bar(done: int, total: int) -> str:
    return "▰" * done + "▱" * (total - done)
