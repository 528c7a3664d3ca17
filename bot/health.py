"""Health: what a container health check or a host wants to know, as JSON on 127.0.0.1:HEALTH_PORT.

``GET /health`` answers 200 when the process is healthy and 503 when it is not, with the same JSON:
the gateway (ready, each shard connected and its latency), the database (a trivial query), the
scheduler's next wake-up per outbox job, and the count of overdue reminders. Unhealthy means: not
(yet) connected to Discord or a shard is down, the database does not answer, a wake-up or a reminder
is more than :data:`OVERDUE_AFTER` late (the engine is stuck). ``python -m bot health`` asks it
(:func:`check`). The endpoint listens on the loopback interface only and shows no member data.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.core.outbox import Outbox
from bot.features.reminders.repo import ReminderRepository

if TYPE_CHECKING:
    from bot.app import StudyBot

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
PATH = "/health"
#: A wake-up or a reminder this late means the delivery engine is stuck, not merely busy.
OVERDUE_AFTER = dt.timedelta(minutes=15)
#: How long ``python -m bot health`` waits for an answer.
TIMEOUT_SECONDS = 5.0


def _milliseconds(seconds: float) -> float | None:
    return round(seconds * 1000, 1) if math.isfinite(seconds) else None


@dataclass(frozen=True, slots=True)
class ShardState:
    id: int
    connected: bool
    #: Between a heartbeat and its acknowledgement; None before the first one.
    latency_ms: float | None


@dataclass(frozen=True, slots=True)
class GatewayState:
    ready: bool
    shard_count: int | None
    shards: tuple[ShardState, ...]


@dataclass(frozen=True, slots=True)
class DatabaseState:
    ok: bool
    error: str | None = None


@dataclass(frozen=True, slots=True)
class SchedulerState:
    running: bool
    #: Each outbox's next wake-up (ISO 8601, UTC), or None when nothing is scheduled.
    next_wake_up: dict[str, str | None]


@dataclass(frozen=True, slots=True)
class HealthReport:
    healthy: bool
    problems: tuple[str, ...]
    checked_at: str
    gateway: GatewayState
    database: DatabaseState
    scheduler: SchedulerState
    #: None when the database could not be asked.
    overdue_reminders: int | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def outbox_jobs(bot: StudyBot) -> list[tuple[str, str]]:
    """(client name, scheduler job id) of every loaded feature's outbox."""
    jobs = []
    for cog in bot.cogs.values():
        outbox = getattr(cog, "outbox", None)
        if isinstance(outbox, Outbox):
            jobs.append((outbox.client.name, outbox.wakeup.job_id))
    return sorted(jobs)


async def report(bot: StudyBot) -> HealthReport:
    """The health report; ``healthy`` is False with the ``problems`` named when anything is wrong."""
    now = bot.clock()
    late = now - OVERDUE_AFTER
    problems: list[str] = []

    shards = tuple(
        ShardState(shard_id, not info.is_closed(), _milliseconds(info.latency))
        for shard_id, info in sorted(bot.shards.items())
    )
    if not bot.is_ready():
        problems.append("not connected to Discord (yet)")
    problems += [f"shard {shard.id} is disconnected" for shard in shards if not shard.connected]

    database = DatabaseState(ok=True)
    overdue: int | None = None
    try:
        await bot.db.query("SELECT 1")
        overdue = await ReminderRepository(bot.db).overdue(late)
    except Exception as error:
        database = DatabaseState(ok=False, error=f"{type(error).__name__}: {error}")
        problems.append("the database does not answer")
    if overdue:
        problems.append(f"{overdue} reminder(s) more than {OVERDUE_AFTER} late")

    wake_ups: dict[str, str | None] = {}
    for name, job_id in outbox_jobs(bot):
        job = bot.scheduler.get_job(job_id)
        at: dt.datetime | None = job.next_run_time if job is not None else None
        wake_ups[name] = at.isoformat() if at else None
        if at is not None and at < late:
            problems.append(f"the {name} wake-up is more than {OVERDUE_AFTER} late")
    if not bot.scheduler.running:
        problems.append("the scheduler is not running")

    return HealthReport(
        healthy=not problems,
        problems=tuple(problems),
        checked_at=now.isoformat(timespec="seconds"),
        gateway=GatewayState(bot.is_ready(), bot.shard_count, shards),
        database=database,
        scheduler=SchedulerState(bot.scheduler.running, wake_ups),
        overdue_reminders=overdue,
    )


class HealthServer:
    """The endpoint, served by aiohttp (which discord.py already uses) inside the bot's event loop."""

    def __init__(self, runner: web.AppRunner, port: int) -> None:
        self.runner = runner
        self.port = port

    @classmethod
    async def start(cls, bot: StudyBot, port: int) -> HealthServer | None:
        """Listen on 127.0.0.1:``port`` (0: a free one); None, logged, when the port cannot be used."""

        async def answer(request: web.Request) -> web.Response:
            try:
                body = (await report(bot)).to_json()
            except Exception as error:  # the report itself failed: that is unhealthy too, said why
                log.exception("the health report failed")
                body = {"healthy": False, "problems": [f"the health report failed: {error!r}"]}
            return web.json_response(body, status=200 if body["healthy"] else 503)

        app = web.Application()
        app.router.add_get(PATH, answer)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, HOST, port).start()
        except OSError as error:
            await runner.cleanup()
            log.error("HEALTH_PORT %s cannot be used (%s): the health endpoint is off", port, error)
            return None
        bound = runner.addresses[0][1]
        log.info("health endpoint: http://%s:%s%s", HOST, bound, PATH)
        return cls(runner, bound)

    async def stop(self) -> None:
        await self.runner.cleanup()


def check(port: int, *, timeout: float = TIMEOUT_SECONDS) -> tuple[int, str]:
    """Ask the endpoint: (exit status, what to print). 0 healthy, 1 unhealthy, 2 nothing answers."""
    url = f"http://{HOST}:{port}{PATH}"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return 0, _summary(response.read())
    except urllib.error.HTTPError as error:
        if error.code == 503:
            return 1, _summary(error.read())
        return 2, f"{url} answered {error.code}: is HEALTH_PORT this bot's port?"
    except (OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return 2, f"nothing answers at {url} ({reason}): is the bot running with HEALTH_PORT={port}?"


def _summary(body: bytes) -> str:
    try:
        return json.dumps(json.loads(body), indent=2)
    except ValueError:
        return body.decode("utf-8", "replace")
