"""Buttons and forms, whoever sent them: bounded numbers in custom ids, a form's declared limits
enforced on the server, and one answer for a click or a form that nothing claims.

Every feature builds its persistent ``DynamicItem`` templates with :data:`NUMBER` and checks a
submitted form with :func:`check_form_limits`. The bot notes, as each interaction is dispatched,
whether a handler claims it (:func:`note_claims`), and answers the unclaimed ones
(:func:`answer_unclaimed`), so every button the bot ever sent gets an answer within Discord's three
seconds: a persistent handler's, or this one's.
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.core.refusals import FormLimit
from bot.core.wording import UNCLAIMED_BUTTON, UNCLAIMED_FORM

log = logging.getLogger(__name__)

#: A number in a custom id: 1-19 digits and below 9 * 10**18, so any match fits a 64-bit integer
#: (SQLite's, and a Discord snowflake's). A longer number matches no template, so it cannot overflow.
NUMBER = r"(?:[0-9]{1,18}|[1-8][0-9]{18})"


def check_form_limits(modal: discord.ui.Modal) -> None:
    """Refuse a submitted form whose text breaks the limits the form declared (a modified client)."""
    labels = {
        id(child.component): child.text
        for child in modal.walk_children()
        if isinstance(child, discord.ui.Label)
    }
    for item in modal.walk_children():
        if not isinstance(item, discord.ui.TextInput):
            continue
        length = len(item.value)
        too_long = item.max_length is not None and length > item.max_length
        too_short = item.min_length is not None and length < item.min_length and (length or item.required)
        if too_long or too_short:
            raise FormLimit(labels.get(id(item)), length, item.min_length, item.max_length)


def _custom_id(interaction: discord.Interaction[Any]) -> str:
    data: dict[str, Any] = dict(interaction.data or {})
    return str(data.get("custom_id", ""))


def _claimed(interaction: discord.Interaction[Any]) -> bool:
    """Whether a button, select or form has a handler in this process: a DynamicItem template, a
    view's item or a modal. (discord.py keeps these in its view store and offers no public query.)"""
    data: dict[str, Any] = dict(interaction.data or {})
    custom_id = str(data.get("custom_id", ""))
    store = interaction.client._connection._view_store
    if interaction.type is discord.InteractionType.modal_submit:
        return custom_id in store._modals
    if any(pattern.fullmatch(custom_id) for pattern in store._dynamic_items):
        return True
    key = (data.get("component_type"), custom_id)
    message_id = interaction.message.id if interaction.message else None
    return key in store._views.get(message_id, {}) or key in store._views.get(None, {})


_CLAIMED = "bot.core.components:claimed"


def note_claims(interaction: discord.Interaction[Any]) -> None:
    """Record whether a handler claims this interaction. Call it synchronously as the interaction is
    dispatched (``StudyBot.dispatch``): a handler that runs first may stop its view, and a view that
    stopped after claiming a click must not look unclaimed."""
    interaction.extras[_CLAIMED] = _claimed(interaction)


async def answer_unclaimed(interaction: discord.Interaction[Any]) -> None:
    """Answer a click or a form nothing in this process handles (a button from before a restart, an
    expired view, a crafted custom id), instead of leaving the member with "This interaction failed"."""
    kinds = (discord.InteractionType.component, discord.InteractionType.modal_submit)
    if interaction.type not in kinds or interaction.response.is_done():
        return
    claimed = interaction.extras.get(_CLAIMED)
    if claimed if claimed is not None else _claimed(interaction):
        return
    log.info("answering an unclaimed %s (custom id %.60r)", interaction.type.name, _custom_id(interaction))
    text = UNCLAIMED_FORM if interaction.type is discord.InteractionType.modal_submit else UNCLAIMED_BUTTON
    try:
        await interaction.response.send_message(text, ephemeral=True)
    except (discord.HTTPException, discord.InteractionResponded):
        log.warning("could not answer an unclaimed interaction %s", interaction.id, exc_info=True)
