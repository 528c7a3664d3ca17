"""``python -m bot screenshots``: scripted interactions in the sandbox, one PNG each (the README's images)."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from bot.features.quiz.bank import LETTERS
from bot.sandbox.simcord_adapter.world import ZONE, Sandbox, advance

log = logging.getLogger("bot.sandbox")

SHOTS = (
    "status-new-member.png",
    "status-mid-pathway.png",
    "retake.png",
    "errorlog.png",
    "daily-quiz.png",
    "quiz-feedback.png",
    "quiz-stats.png",
)


async def take_screenshots(sandbox: Sandbox, folder: Path, *, width: int = 900) -> list[Path]:
    """Drive the scripted interactions and save one PNG each; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 (once, before any work)
    written: list[Path] = []
    today = sandbox.now().date()
    async with sandbox.env.preview(
        sandbox.channel,
        viewers=list(sandbox.members),
        layout="message",
        display="fixed",
        width=width,
        height=1500,
        timezone=ZONE,
    ) as preview:

        async def shot(name: str, target: Any, viewer: Any) -> None:
            path = folder / name
            await preview.screenshot(path, viewer=viewer, target=target, allow_incomplete=True)
            written.append(path)
            log.info("wrote %s", path)

        await shot(SHOTS[0], await sandbox.riley.slash(sandbox.channel, "status"), sandbox.riley)
        attempt = (today - dt.timedelta(days=3)).isoformat()
        retake = await sandbox.sam.slash(sandbox.channel, "retake", score=905, date=attempt)
        await shot(SHOTS[1], await sandbox.sam.slash(sandbox.channel, "status"), sandbox.sam)
        await shot(SHOTS[2], retake, sandbox.sam)
        await shot(SHOTS[3], await sandbox.sam.slash(sandbox.channel, "errorlog show"), sandbox.sam)

        await advance(sandbox, 24 * 3600)  # the next 07:00 post
        post = sandbox.channel.last_message
        await shot(SHOTS[4], post, sandbox.you)
        question = next(q for q in sandbox.bot.bank.questions if q.stem in post.embeds[0].description)
        feedback = await sandbox.you.click(post, label=question.answer_letter)
        await sandbox.sam.click(post, label=LETTERS[(question.answer + 1) % 4])
        await shot(SHOTS[5], feedback, sandbox.you)

        for domain in ("primary_assessment", "scene_safety", "treatment_transport", "operations"):
            shown = await sandbox.you.slash(sandbox.channel, "quiz now", domain=domain)
            text = shown.response.embeds[0].description
            asked = next(q for q in sandbox.bot.bank.questions if q.stem in text)  # no id is shown
            miss = [LETTERS[(min(asked.correct) + 1) % 4]]  # for operations (a one-letter set is wrong)
            letters = miss if domain == "operations" else list(asked.correct_letters)
            you, msg = sandbox.you, shown.response.message  # select all that apply: in its menu
            await (you.select(msg, letters) if asked.multiple else you.click(msg, label=letters[0]))
        await shot(SHOTS[6], await sandbox.you.slash(sandbox.channel, "quiz stats"), sandbox.you)
    return written
