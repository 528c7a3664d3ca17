"""A loopback fake of Discord for end-to-end tests: just enough REST and gateway for discord.py to log in,
sync its commands and answer one interaction.

Everything binds to 127.0.0.1 on a free port. What the bot sends is recorded for the test to read:
command syncs and interaction callbacks arrive on queues, anything unexpected lands in ``unexpected``.

discord.py details this follows (2.7.1):
- JSON is only parsed when Content-Type is exactly ``application/json`` (no charset).
- Application info is read from ``GET /oauth2/applications/@me``.
- The gateway URL gets ``?v=10&encoding=json&compress=zlib-stream``; uncompressed text frames are still
  accepted (only binary frames go through the decompressor), so this fake never compresses.
- The interaction callback is posted with ``?with_response=1`` and the answer is parsed as
  ``{"interaction": {...}, "resource": {...}}``.
- Rate limits, as Discord sends them: every REST call except interaction callbacks (which Discord exempts)
  counts towards a GLOBAL limit (50 requests per second by default); past it the answer is a 429 with
  ``{"message", "retry_after", "global": true}`` and the ``Retry-After``, ``X-RateLimit-Global`` and
  ``X-RateLimit-Scope`` headers. Routes in :data:`ROUTE_LIMITS` also get per-route buckets keyed by their
  major parameter, announced with ``X-RateLimit-Limit/-Remaining/-Reset/-Reset-After/-Bucket``.
  Every 429 carries ``Via: 1.1 google``: discord.py treats a 429 without ``Via`` as a Cloudflare ban and
  raises instead of waiting and retrying.
- Sharding, as Discord does it: ``GET /gateway/bot`` recommends :attr:`FakeDiscord.shard_count` shards
  (a bot may use another count); each gateway connection IDENTIFYs with ``"shard": [id, count]`` (a
  missing one, an id outside the count, or a count other than its sibling connections' is closed with
  4010, Invalid Shard), READY echoes it and lists only the guilds on that shard
  (``(guild_id >> 22) % count``), and a guild's interactions arrive on its shard's connection.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

JSON = dict[str, Any]

API = "/api/v10"

# Gateway opcodes used here.
DISPATCH, HEARTBEAT, IDENTIFY, HELLO, HEARTBEAT_ACK = 0, 1, 2, 10, 11
INVALID_SHARD = 4010

EPHEMERAL = 1 << 6
ADMINISTRATOR = str(1 << 3)

#: Per-route limits, as Discord documents them: (method, route) -> (requests, per seconds). The bucket is
#: shared by requests with the same major parameter (channel, guild or webhook id).
ROUTE_LIMITS: dict[tuple[str, str], tuple[int, float]] = {
    ("POST", f"{API}/channels/{{channel_id}}/messages"): (5, 5.0),
}
MAJOR_PARAMETERS = ("channel_id", "guild_id", "webhook_id")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True, slots=True)
class CommandSync:
    """One bulk overwrite: ``guild_id`` is None for global commands."""

    guild_id: int | None
    payload: list[JSON]

    @property
    def names(self) -> set[str]:
        return {command["name"] for command in self.payload}


@dataclass(frozen=True, slots=True)
class Callback:
    """One ``POST /interactions/{id}/{token}/callback``."""

    interaction_id: int
    token: str
    query: dict[str, str]
    body: JSON
    #: The message the callback sent or updated, as Discord echoes it (what a later click is made on).
    message: JSON | None = None


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # body= (not text=) so aiohttp does not append "; charset=utf-8", which discord.py would not parse.
    return web.Response(
        body=json.dumps(data).encode(), status=status, content_type="application/json", headers=headers
    )


@dataclass(slots=True)
class _Window:
    """A fixed window: ``used`` requests since ``started`` (monotonic seconds)."""

    limit: int
    per: float
    started: float = -math.inf
    used: int = 0

    def roll(self, now: float) -> None:
        if now - self.started >= self.per:
            self.started, self.used = now, 0

    def retry_after(self, now: float) -> float:
        return max(0.0, self.started + self.per - now)


@dataclass(slots=True)
class RateLimitLog:
    """What the rate limiter did: 429s sent and when each allowed request went through."""

    global_429: int = 0
    route_429: int = 0
    allowed_at: list[float] = field(default_factory=list)  # monotonic seconds

    @property
    def total_429(self) -> int:
        return self.global_429 + self.route_429

    def busiest_second(self) -> int:
        """The most requests let through in any sliding one-second window."""
        times, best, start = sorted(self.allowed_at), 0, 0
        for end, instant in enumerate(times):
            while instant - times[start] >= 1.0:
                start += 1
            best = max(best, end - start + 1)
        return best


def user_payload(user_id: int, username: str, *, bot: bool = False) -> JSON:
    return {
        "id": str(user_id),
        "username": username,
        "global_name": None,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "flags": 0,
        "public_flags": 0,
    }


class FakeDiscord:
    """Start with :meth:`start`, point discord.py at :attr:`api_base` and :attr:`gateway_url`, stop with
    :meth:`stop`."""

    application_id = 1_200_000_000_000_000_001
    bot_id = 1_200_000_000_000_000_002
    guild_id = 1_200_000_000_000_000_003
    channel_id = 1_200_000_000_000_000_004
    owner_id = 1_200_000_000_000_000_005

    def __init__(
        self, token: str = "e2e-token", *, global_limit: int | None = 50, shard_count: int = 1
    ) -> None:
        self.token = token
        self.shard_count = shard_count  # what GET /gateway/bot recommends
        self.identified_count: int | None = None  # the count the bot's connections identified with
        self.global_limit = global_limit  # requests per second; None turns the global limit off
        self.rate_limits = RateLimitLog()
        self.messages: list[JSON] = []  # every message created through POST /channels/{id}/messages
        self.dm_channels: dict[int, int] = {}  # user id -> their DM channel's id
        #: Set by a test: the first message it matches is stored, then its answer never comes (the bot's
        #: process is killed while it waits); :attr:`held` is set with the message.
        self.hold: Callable[[JSON], bool] | None = None
        self.held: asyncio.Future[JSON] | None = None
        self._global_window = _Window(global_limit or 0, 1.0)
        self._route_windows: dict[tuple[str, str, str], _Window] = {}
        self.command_syncs: asyncio.Queue[CommandSync] = asyncio.Queue()
        self.callbacks: asyncio.Queue[Callback] = asyncio.Queue()
        self.identified = asyncio.Event()
        self.identify_payload: JSON | None = None  # the latest IDENTIFY
        self.identified_shards: list[int] = []
        self.gateway_queries: list[dict[str, str]] = []
        self.unexpected: list[str] = []
        self.command_ids: dict[str, int] = {}
        self._ids = itertools.count(1_300_000_000_000_000_000)
        self._sequence = itertools.count(1)
        self._sockets: set[web.WebSocketResponse] = set()
        self._gateways: dict[int, web.WebSocketResponse] = {}  # shard id -> its identified connection
        self._send_lock = asyncio.Lock()
        self._runner: web.AppRunner | None = None
        self.port = 0

        self.app = web.Application(middlewares=[self._rate_limit])
        routes = [
            web.get("/", self._gateway_socket),
            web.get(f"{API}/users/@me", self._me),
            web.get(f"{API}/gateway", self._get_gateway),
            web.get(f"{API}/gateway/bot", self._get_gateway_bot),
            web.get(f"{API}/oauth2/applications/@me", self._application),
            web.get(f"{API}/applications/@me", self._application),
            web.put(f"{API}/applications/{{app_id}}/commands", self._bulk_overwrite),
            web.put(f"{API}/applications/{{app_id}}/guilds/{{guild_id}}/commands", self._bulk_overwrite),
            web.post(f"{API}/interactions/{{interaction_id}}/{{token}}/callback", self._callback),
            web.post(f"{API}/channels/{{channel_id}}/messages", self._create_message),
            web.get(f"{API}/channels/{{channel_id}}/messages", self._history),
            web.post(f"{API}/users/@me/channels", self._create_dm),
            web.route("*", "/{tail:.*}", self._unknown),  # last: anything else is recorded and refused
        ]
        self.app.add_routes(routes)

    # lifecycle

    async def start(self) -> int:
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]
        return self.port

    async def stop(self) -> None:
        for socket in list(self._sockets):
            await socket.close(code=1001, message=b"fake discord stopping")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}{API}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    # payloads

    def bot_user(self) -> JSON:
        return {
            **user_payload(self.bot_id, "EMR Study Bot", bot=True),
            "verified": True,
            "mfa_enabled": False,
        }

    def channel(self) -> JSON:
        return {
            "id": str(self.channel_id),
            "type": 0,
            "guild_id": str(self.guild_id),
            "name": "study-hall",
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
        }

    def member(self, user: JSON, permissions: str = "0") -> JSON:
        return {
            "user": user,
            "roles": [],
            "joined_at": "2026-01-05T12:00:00+00:00",
            "flags": 0,
            "deaf": False,
            "mute": False,
            "pending": False,
            "permissions": permissions,
        }

    def guild(self) -> JSON:
        everyone = {
            "id": str(self.guild_id),
            "name": "@everyone",
            "permissions": "1071698660929",
            "position": 0,
        }
        return {
            "id": str(self.guild_id),
            "name": "EMR Study Group",
            "unavailable": False,
            "owner_id": str(self.owner_id),
            "member_count": 2,
            "large": False,
            "joined_at": "2026-01-05T12:00:00+00:00",
            "features": [],
            "roles": [everyone],
            "channels": [self.channel()],
            "members": [self.member(self.bot_user(), ADMINISTRATOR)],
            "emojis": [],
            "stickers": [],
            "threads": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }

    def message(self, channel_id: int, body: JSON) -> JSON:
        """A message as Discord returns it from ``POST /channels/{id}/messages``."""
        return {
            "id": str(next(self._ids)),
            "channel_id": str(channel_id),
            "type": 0,
            "content": body.get("content") or "",
            "author": self.bot_user(),
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "attachments": [],
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "flags": int(body.get("flags") or 0),
            "timestamp": "2026-01-05T12:00:00+00:00",
            "edited_timestamp": None,
            "tts": False,
            "pinned": False,
            "nonce": body.get("nonce"),
        }

    # rate limits

    @staticmethod
    def _bucket_hash(method: str, route: str) -> str:
        return hashlib.md5(f"{method} {route}".encode()).hexdigest()

    def _too_many(self, retry_after: float, *, scope: str, headers: dict[str, str]) -> web.Response:
        rounded = round(retry_after, 3)
        body = {"message": "You are being rate limited.", "retry_after": rounded, "global": scope == "global"}
        headers = {**headers, "Retry-After": str(max(1, math.ceil(rounded))), "Via": "1.1 google"}
        headers["X-RateLimit-Scope"] = scope
        if scope == "global":
            headers["X-RateLimit-Global"] = "true"
        return _json({**body, "code": 0}, status=429, headers=headers)

    @web.middleware
    async def _rate_limit(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        path = request.path
        if not path.startswith(f"{API}/") or path.startswith(f"{API}/interactions/"):
            return await handler(request)  # the gateway socket and interaction callbacks are exempt
        now = time.monotonic()
        if self.global_limit is not None:
            self._global_window.roll(now)
            if self._global_window.used >= self.global_limit:
                self.rate_limits.global_429 += 1
                return self._too_many(self._global_window.retry_after(now), scope="global", headers={})

        route = request.match_info.route.resource
        template = route.canonical if route is not None else path
        limits = ROUTE_LIMITS.get((request.method, template))
        headers: dict[str, str] = {}
        if limits is not None:
            major = next((request.match_info[p] for p in MAJOR_PARAMETERS if p in request.match_info), "")
            key = (request.method, template, major)
            window = self._route_windows.setdefault(key, _Window(*limits))
            window.roll(now)
            bucket = self._bucket_hash(request.method, template)
            reset_after = window.retry_after(now)
            remaining = window.limit - window.used - 1
            headers = {
                "X-RateLimit-Bucket": bucket,
                "X-RateLimit-Limit": str(window.limit),
                "X-RateLimit-Remaining": str(max(0, remaining)),
                "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
                "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            }
            if remaining < 0:
                self.rate_limits.route_429 += 1
                return self._too_many(reset_after, scope="user", headers=headers)
            window.used += 1
        if self.global_limit is not None:
            self._global_window.used += 1
        self.rate_limits.allowed_at.append(now)
        response = await handler(request)
        response.headers.update(headers)
        return response

    # REST

    def _authorised(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bot {self.token}"

    async def _me(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        return _json(self.bot_user())

    async def _get_gateway(self, request: web.Request) -> web.Response:
        return _json({"url": self.gateway_url})

    async def _get_gateway_bot(self, request: web.Request) -> web.Response:
        limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
        return _json({"url": self.gateway_url, "shards": self.shard_count, "session_start_limit": limit})

    async def _application(self, request: web.Request) -> web.Response:
        return _json(
            {
                "id": str(self.application_id),
                "name": "EMR Study Bot",
                "description": "",
                "icon": None,
                "bot_public": False,
                "bot_require_code_grant": False,
                "owner": user_payload(self.owner_id, "owner"),
                "team": None,
                "verify_key": "0" * 64,
                "flags": 0,
                "bot": self.bot_user(),
            }
        )

    async def _bulk_overwrite(self, request: web.Request) -> web.Response:
        payload: list[JSON] = await request.json()
        raw_guild = request.match_info.get("guild_id")
        guild_id = int(raw_guild) if raw_guild is not None else None
        echoed: list[JSON] = []
        for command in payload:
            command_id = self.command_ids.setdefault(command["name"], next(self._ids))
            echoed.append(
                {
                    **command,
                    "id": str(command_id),
                    "application_id": str(self.application_id),
                    "guild_id": raw_guild,
                    "version": str(next(self._ids)),
                    "type": command.get("type", 1),
                }
            )
        self.command_syncs.put_nowait(CommandSync(guild_id=guild_id, payload=payload))
        return _json(echoed)

    async def _callback(self, request: web.Request) -> web.Response:
        body: JSON = await request.json()
        interaction_id = int(request.match_info["interaction_id"])
        data: JSON = body.get("data") or {}
        flags = int(data.get("flags", 0))
        message_id = next(self._ids)
        interaction: JSON = {
            "id": str(interaction_id),
            "type": 2,
            "response_message_id": str(message_id),
            "response_message_loading": body["type"] == 5,
            "response_message_ephemeral": bool(flags & EPHEMERAL),
        }
        resource: JSON = {"type": body["type"]}
        if body["type"] in (4, 7):  # a message was sent or updated: echo it back as Discord would
            resource["message"] = {
                "id": str(message_id),
                "channel_id": str(self.channel_id),
                "type": 20,
                "content": data.get("content") or "",
                "author": self.bot_user(),
                "embeds": data.get("embeds", []),
                "components": data.get("components", []),
                "attachments": [],
                "mentions": [],
                "mention_roles": [],
                "flags": flags,
                "timestamp": "2026-01-05T12:00:00+00:00",
                "edited_timestamp": None,
                "tts": False,
                "pinned": False,
                "mention_everyone": False,
                "application_id": str(self.application_id),
            }
        self.callbacks.put_nowait(
            Callback(
                interaction_id=interaction_id,
                token=request.match_info["token"],
                query=dict(request.query),
                body=body,
                message=resource.get("message"),
            )
        )
        return _json({"interaction": interaction, "resource": resource})

    async def _create_message(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        body: JSON = await request.json()
        message = self.message(int(request.match_info["channel_id"]), body)
        self.messages.append(message)
        if self.hold is not None and self.held is not None and not self.held.done() and self.hold(message):
            self.held.set_result(message)
            await asyncio.Event().wait()  # stored, never answered
        return _json(message)

    def hold_next(self, matching: Callable[[JSON], bool]) -> asyncio.Future[JSON]:
        """Store the next message ``matching`` accepts but never answer it; the future gets the message."""
        self.hold = matching
        self.held = asyncio.get_running_loop().create_future()
        return self.held

    def in_channel(self, channel_id: int) -> list[JSON]:
        return [m for m in self.messages if m["channel_id"] == str(channel_id)]

    async def _history(self, request: web.Request) -> web.Response:
        """``GET /channels/{id}/messages?limit=&before=``: newest first, as Discord answers."""
        if not self._authorised(request):
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        found = list(reversed(self.in_channel(int(request.match_info["channel_id"]))))
        if "before" in request.query:
            found = [m for m in found if int(m["id"]) < int(request.query["before"])]
        return _json(found[: int(request.query.get("limit", "50"))])

    async def _create_dm(self, request: web.Request) -> web.Response:
        """``POST /users/@me/channels``: the user's DM channel, the same one every time."""
        if not self._authorised(request):
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        user_id = int((await request.json())["recipient_id"])
        channel_id = self.dm_channels.setdefault(user_id, next(self._ids))
        return _json(
            {"id": str(channel_id), "type": 1, "last_message_id": None,
             "recipients": [user_payload(user_id, f"member-{user_id}")]}
        )  # fmt: skip

    async def _unknown(self, request: web.Request) -> web.Response:
        self.unexpected.append(f"{request.method} {request.path_qs}")
        return _json({"message": "404: Not Found", "code": 0}, status=404)

    # gateway

    async def _send(
        self, socket: web.WebSocketResponse, op: int, data: Any, event: str | None = None
    ) -> None:
        frame: JSON = {"op": op, "d": data, "s": None, "t": event}
        if op == DISPATCH:
            frame["s"] = next(self._sequence)
        async with self._send_lock:
            await socket.send_str(json.dumps(frame))

    async def _gateway_socket(self, request: web.Request) -> web.StreamResponse:
        if not web.WebSocketResponse().can_prepare(request).ok:
            return await self._unknown(request)
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.add(socket)
        self.gateway_queries.append(dict(request.query))
        try:
            await self._send(socket, HELLO, {"heartbeat_interval": 41_250})
            async for message in socket:
                if message.type is not WSMsgType.TEXT:
                    continue
                frame: JSON = json.loads(message.data)
                if frame["op"] == HEARTBEAT:
                    await self._send(socket, HEARTBEAT_ACK, None)
                elif frame["op"] == IDENTIFY:
                    await self._identify(socket, frame["d"])
                else:
                    self.unexpected.append(f"gateway op {frame['op']}")
        finally:
            self._sockets.discard(socket)
            for shard_id, identified in list(self._gateways.items()):
                if identified is socket:
                    del self._gateways[shard_id]
        return socket

    def shard_of(self, guild_id: int) -> int:
        return (guild_id >> 22) % (self.identified_count or self.shard_count)

    async def _identify(self, socket: web.WebSocketResponse, payload: JSON) -> None:
        self.identify_payload = payload
        shard = payload.get("shard", [0, 1])  # Discord reads no shard field as shard 0 of 1
        if not (
            isinstance(shard, list)
            and len(shard) == 2
            and isinstance(shard[1], int)
            and 0 <= shard[0] < shard[1]
            and shard[1] == (self.identified_count or shard[1])
        ):
            self.unexpected.append(
                f"IDENTIFY with shard {shard!r} (identified count {self.identified_count})"
            )
            await socket.close(code=INVALID_SHARD, message=b"Invalid shard")
            return
        shard_id, self.identified_count = shard
        mine = self.shard_of(self.guild_id) == shard_id
        ready = {
            "v": 10,
            "user": self.bot_user(),
            "guilds": [{"id": str(self.guild_id), "unavailable": True}] if mine else [],
            "shard": [shard_id, self.identified_count],
            "session_id": f"e2e-session-{shard_id}",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [],
        }
        await self._send(socket, DISPATCH, ready, "READY")
        if mine:
            await self._send(socket, DISPATCH, self.guild(), "GUILD_CREATE")
        self._gateways[shard_id] = socket
        self.identified_shards.append(shard_id)
        self.identified.set()

    async def send_slash_command(
        self, name: str, *, user_id: int, username: str = "student", options: list[JSON] | None = None
    ) -> int:
        """Push an INTERACTION_CREATE for ``/name`` from a guild member; returns its id.

        ``name`` may be ``"group sub"``: the subcommand and its ``options`` go in the nested form Discord uses.
        """
        root, _, sub = name.partition(" ")
        command: JSON = {"id": str(self.command_ids.get(root, 0)), "name": root, "type": 1, "options": []}
        if sub:
            command["options"] = [{"name": sub, "type": 1, "options": options or []}]
        else:
            command["options"] = options or []
        command["guild_id"] = str(self.guild_id)
        return await self._interaction(2, command, user_id, username)

    async def send_component(
        self,
        message: JSON,
        custom_id: str,
        *,
        user_id: int,
        values: list[str] | None = None,
        username: str = "student",
    ) -> int:
        """Push a button click (or a select choice, with ``values``) on ``message``; returns its id."""
        data: JSON = {"custom_id": custom_id, "component_type": 3 if values is not None else 2}
        if values is not None:
            data["values"] = values
        return await self._interaction(3, data, user_id, username, message=message)

    async def _interaction(
        self, kind: int, data: JSON, user_id: int, username: str, *, message: JSON | None = None
    ) -> int:
        gateway = self._gateways.get(self.shard_of(self.guild_id))
        if gateway is None:
            raise RuntimeError("no identified gateway connection to send the interaction on")
        interaction_id = next(self._ids)
        command = data
        interaction = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": kind,
            "token": f"interaction-token-{interaction_id}",
            "version": 1,
            "guild_id": str(self.guild_id),
            "guild": {"id": str(self.guild_id), "locale": "en-US", "features": []},
            "channel_id": str(self.channel_id),
            "channel": self.channel(),
            "member": self.member(user_payload(user_id, username), permissions="1071698660929"),
            "data": command,
            "app_permissions": ADMINISTRATOR,
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(self.guild_id)},
            "context": 0,
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if message is not None:
            interaction["message"] = message
        await self._send(gateway, DISPATCH, interaction, "INTERACTION_CREATE")
        return interaction_id
