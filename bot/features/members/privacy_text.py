"""Every word of the privacy feature (/privacy), and the export file."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import discord

from bot.features.members.export import export_document

SHARED = (
    "Your pathway card is now **shared**: members of a server you share with the bot can see your gates, "
    'next step and result situation (for example "did not pass") with `/status member:@you`. Your scores, '
    "retake details, error log and quiz answers stay private. `/privacy unshare` stops it."
)
UNSHARED = "Your pathway card is **private** again: only you can see it."
DELETE_CONFIRM = (
    "This deletes **everything** the bot holds about you: your gates, attempts, error log, quiz answers, "
    "reminders and settings. It cannot be undone. Export first with `/privacy export` if you want a copy."
)
DELETE_CANCELLED = "Canceled: nothing was deleted."
DELETE_EXPIRED = (
    "This request expired: nothing was deleted. Run `/privacy delete` again if you still want to."
)
DELETE_CLICK_EXPIRED = (
    "This request expired, so this click deleted nothing. Run `/privacy delete` again if you still want to."
)
DELETE_NOT_YOURS = "These buttons belong to someone else's request: nothing was deleted."
EXPORT_TEXT = "Here is everything the bot holds about you, as JSON. Only you can see this message."


def deleted(rows: int) -> str:
    return f"Done: all your data is deleted ({rows} record{'s' if rows != 1 else ''}). You start fresh next time."


def export_file(
    user_id: int, exported_at: dt.datetime, tables: dict[str, list[dict[str, Any]]]
) -> discord.File:
    """The export as a JSON file, in the documented format (bot/features/members/export.py)."""
    payload = export_document(user_id, exported_at, tables)
    data = json.dumps(payload, indent=2, ensure_ascii=False).encode("utf-8")
    return discord.File(io.BytesIO(data), filename=f"emr-study-bot-export-{user_id}.json")
