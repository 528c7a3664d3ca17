"""Every simcord call of the sandbox, in one module (simcord is young: a major version costs one file).

The sandbox runs the REAL bot (the same cogs, store, scheduler and policy data) against simcord's
in-memory Discord, on a virtual clock that starts at the real current time and that the viewer can move
forward with ``/sandbox advance``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
import simcord

from bot.app import EXTENSIONS, StudyBot
from bot.db import SQLiteDatabase
from bot.features.quiz.bank import DEFAULT_BANK_DIR, LETTERS, QuestionBank, load_bank
from bot.policy import Policy, load_policy
from bot.sandbox.text import WELCOME
from bot.settings import Settings

log = logging.getLogger("bot.sandbox")

ZONE = "America/New_York"
QUIZ_TIME = "07:00"


def preview_available() -> bool:
    """simcord's preview page needs its optional runtime (aiohttp, markdown, media libraries, fonts)."""
    try:
        from simcord.preview import _require_preview_runtime

        _require_preview_runtime()
    except Exception:
        return False
    return True


class VirtualClock:
    """The bot's clock in the sandbox: simcord's virtual time, which starts at the real now."""

    def __init__(self) -> None:
        self.env: simcord.Env | None = None

    def __call__(self) -> dt.datetime:
        return self.env.now() if self.env is not None else dt.datetime.now(dt.UTC)


class _SchedulerDatetime(dt.datetime):
    """APScheduler reads ``datetime.now``; in the sandbox it must read the virtual clock too."""

    clock: VirtualClock

    @classmethod
    def now(cls, tz: dt.tzinfo | None = None) -> dt.datetime:  # type: ignore[override]
        return cls.clock().astimezone(tz)


@dataclass
class Sandbox:
    env: simcord.Env
    bot: StudyBot
    store: SQLiteDatabase
    guild: Any
    channel: Any
    you: Any
    sam: Any
    riley: Any

    @property
    def members(self) -> tuple[Any, ...]:
        return (self.you, self.sam, self.riley)

    def now(self) -> dt.datetime:
        return self.env.now()


@asynccontextmanager
async def open_sandbox(database: Path | None = None, *, seed: bool = True) -> AsyncIterator[Sandbox]:
    """Start the real bot in a simulated study-group guild, with a store of its own."""
    import apscheduler.schedulers.base as aps_base

    policy: Policy = load_policy()
    bank: QuestionBank = load_bank(DEFAULT_BANK_DIR, policy, near_duplicates=False)
    with tempfile.TemporaryDirectory(prefix="emr-sandbox-") as folder:
        path = database or Path(folder) / "sandbox.sqlite3"
        clock = VirtualClock()
        store = await SQLiteDatabase.open(path, clock=clock)
        settings = Settings(
            discord_token="sandbox",  # type: ignore[arg-type]
            database_path=path,
            default_timezone=ZONE,
            _env_file=None,  # type: ignore[call-arg]
        )
        bot = StudyBot(
            settings=settings,
            db=store,
            policy=policy,
            bank=bank,
            clock=clock,
            extensions=(*EXTENSIONS, "bot.sandbox._cog"),
        )
        env = simcord.Env(bot, check_errors=False)
        # simcord's virtual clock starts on a fixed date; start it at the real "now" instead.
        env.backend.clock._epoch = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
        env.backend.bot_user.name = "EMR Study Bot"
        clock.env = env
        original_datetime = aps_base.datetime
        aps_base.datetime = type("SandboxDatetime", (_SchedulerDatetime,), {"clock": clock})
        try:
            await env.start()
            sandbox = _build_world(env, bot, store)
            bot.dm_mirror_channel_id = sandbox.channel.id
            if seed:
                await _seed(sandbox)
            yield sandbox
        finally:
            try:
                await env.shutdown()
            finally:
                aps_base.datetime = original_datetime
                await store.close()


def _build_world(env: simcord.Env, bot: StudyBot, store: SQLiteDatabase) -> Sandbox:
    guild = env.create_guild(name="EMR Study Group")
    channel = guild.create_text_channel("daily-quiz")
    organizers = guild.create_role("Organizers", permissions=discord.Permissions(manage_guild=True))
    you = guild.add_member(env.create_user("you", global_name="You (organizer)"), roles=[organizers])
    sam = guild.add_member(env.create_user("sam", global_name="Sam"))
    riley = guild.add_member(env.create_user("riley", global_name="Riley"))
    return Sandbox(env, bot, store, guild, channel, you, sam, riley)


async def _seed(sandbox: Sandbox) -> None:
    """Sam is mid-pathway with some misses logged; the quiz channel is set up; Riley is new."""
    today = sandbox.now().date()
    await sandbox.bot.get_partial_messageable(sandbox.channel.id).send(WELCOME)
    course = (today - dt.timedelta(days=200)).isoformat()
    await sandbox.you.slash(
        sandbox.channel, "quiz setup", channel=sandbox.channel, time=QUIZ_TIME, timezone=ZONE
    )
    await sandbox.sam.slash(sandbox.channel, "gate", gate="course", mark="done", date=course)
    await sandbox.sam.slash(sandbox.channel, "gate", gate="verification", mark="done")
    for bucket, note in (
        ("scope", "chose CPAP for a patient in respiratory distress"),
        ("scope", "picked IV access"),
        ("scope", "thought a supraglottic airway was EMR-level"),
        ("reading", "missed 'unresponsive' in the stem"),
        ("reading", "missed 'infant'"),
        ("knowledge", "compression depth for a child"),
    ):
        await sandbox.sam.slash(sandbox.channel, "errorlog add", bucket=bucket, note=note)


async def advance(sandbox: Sandbox, seconds: float) -> None:
    """Move the virtual clock: scheduled posts and reminders fall due and run."""
    for _ in range(100):
        try:
            await sandbox.env.advance_time(seconds)
            return
        except simcord.SetupError as error:  # another simcord operation (a page action) is settling
            if "overlaps" not in str(error):
                raise
            await asyncio.sleep(0.05)
    raise RuntimeError("the sandbox stayed busy; the clock was not moved")


class PreviewSession:
    """The running page: its address, what it renders, and how it ends."""

    def __init__(self, preview: Any, clock_requests: asyncio.Queue[float]) -> None:
        self._preview = preview
        self._clock_requests = clock_requests

    async def clock_moved(self) -> None:
        """Wait until every /sandbox advance asked for so far has been carried out."""
        await self._clock_requests.join()

    @property
    def url(self) -> str:
        return str(self._preview.url)

    async def rendered(self) -> dict[str, Any]:
        """The conversation as the page renders it (simcord's structured projection)."""
        return dict(await self._preview.snapshot())

    async def wait_closed(self) -> None:
        await self._preview.wait_closed()

    async def close(self) -> None:
        await self._preview.close()


@asynccontextmanager
async def open_preview(sandbox: Sandbox, *, port: int | None = None) -> AsyncIterator[PreviewSession]:
    """Serve the sandbox channel's page on 127.0.0.1, moving the clock on /sandbox advance."""
    requests: asyncio.Queue[float] = asyncio.Queue()
    sandbox.bot.sandbox_advance = requests.put_nowait
    async with sandbox.env.preview(
        sandbox.channel, viewers=list(sandbox.members), layout="channel", port=port, timezone=ZONE
    ) as preview:

        async def move_clock() -> None:
            while True:
                seconds = await requests.get()
                log.info("sandbox clock: advancing %.0f hours", seconds / 3600)
                try:
                    await advance(sandbox, seconds)
                    await preview.refresh()
                except Exception:
                    log.exception("could not move the sandbox clock")
                finally:
                    requests.task_done()

        mover = asyncio.create_task(move_clock())
        try:
            yield PreviewSession(preview, requests)
        finally:
            mover.cancel()
            sandbox.bot.sandbox_advance = None
    log.info("preview session ended")


async def serve_preview(sandbox: Sandbox, *, port: int | None, on_ready: Callable[[str], None]) -> None:
    """Serve the page until "End preview session" (or Ctrl-C)."""
    async with open_preview(sandbox, port=port) as session:
        on_ready(session.url)
        await session.wait_closed()


# ------------------------------------------------------------------------------------------ screenshots

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
            asked = next(
                q for q in sandbox.bot.bank.questions if q.stem in shown.response.embeds[0].description
            )
            miss = [LETTERS[(min(asked.correct) + 1) % 4]]  # for operations (a one-letter set is wrong)
            letters = miss if domain == "operations" else list(asked.correct_letters)
            you, msg = sandbox.you, shown.response.message  # select all that apply: in its menu
            await (you.select(msg, letters) if asked.multiple else you.click(msg, label=letters[0]))
        await shot(SHOTS[6], await sandbox.you.slash(sandbox.channel, "quiz stats"), sandbox.you)
    return written
