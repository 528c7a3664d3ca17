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
"""

from __future__ import annotations

import asyncio
import itertools
import json
from dataclasses import dataclass
from typing import Any

from aiohttp import WSMsgType, web

JSON = dict[str, Any]

API = "/api/v10"

# Gateway opcodes used here.
DISPATCH, HEARTBEAT, IDENTIFY, HELLO, HEARTBEAT_ACK = 0, 1, 2, 10, 11

EPHEMERAL = 1 << 6
ADMINISTRATOR = str(1 << 3)


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


def _json(data: Any, status: int = 200) -> web.Response:
    # body= (not text=) so aiohttp does not append "; charset=utf-8", which discord.py would not parse.
    return web.Response(body=json.dumps(data).encode(), status=status, content_type="application/json")


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

    def __init__(self, token: str = "e2e-token") -> None:
        self.token = token
        self.command_syncs: asyncio.Queue[CommandSync] = asyncio.Queue()
        self.callbacks: asyncio.Queue[Callback] = asyncio.Queue()
        self.identified = asyncio.Event()
        self.identify_payload: JSON | None = None
        self.gateway_queries: list[dict[str, str]] = []
        self.unexpected: list[str] = []
        self.command_ids: dict[str, int] = {}
        self._ids = itertools.count(1_300_000_000_000_000_000)
        self._sequence = itertools.count(1)
        self._sockets: set[web.WebSocketResponse] = set()
        self._gateway: web.WebSocketResponse | None = None
        self._send_lock = asyncio.Lock()
        self._runner: web.AppRunner | None = None
        self.port = 0

        self.app = web.Application()
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
        return _json({"url": self.gateway_url, "shards": 1, "session_start_limit": limit})

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
        self.callbacks.put_nowait(
            Callback(
                interaction_id=interaction_id,
                token=request.match_info["token"],
                query=dict(request.query),
                body=body,
            )
        )
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
        return _json({"interaction": interaction, "resource": resource})

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
            if self._gateway is socket:
                self._gateway = None
        return socket

    async def _identify(self, socket: web.WebSocketResponse, payload: JSON) -> None:
        self.identify_payload = payload
        ready = {
            "v": 10,
            "user": self.bot_user(),
            "guilds": [{"id": str(self.guild_id), "unavailable": True}],
            "session_id": "e2e-session",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [],
        }
        await self._send(socket, DISPATCH, ready, "READY")
        await self._send(socket, DISPATCH, self.guild(), "GUILD_CREATE")
        self._gateway = socket
        self.identified.set()

    async def send_slash_command(self, name: str, *, user_id: int, username: str = "student") -> int:
        """Push an INTERACTION_CREATE for ``/name`` (no options) from a guild member; returns its id."""
        if self._gateway is None:
            raise RuntimeError("no identified gateway connection to send the interaction on")
        interaction_id = next(self._ids)
        command: JSON = {"id": str(self.command_ids.get(name, 0)), "name": name, "type": 1, "options": []}
        command["guild_id"] = str(self.guild_id)
        interaction = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": 2,
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
        await self._send(self._gateway, DISPATCH, interaction, "INTERACTION_CREATE")
        return interaction_id
