"""A small client for the preview page's own HTTP protocol (what the browser sends), for tests."""

from __future__ import annotations

import uuid
from typing import Any

import aiohttp


class PageClient:
    """One page (one viewer) of a running preview, driven like the browser drives it."""

    def __init__(self, http: aiohttp.ClientSession, url: str) -> None:
        base, capability = url.split("/#", 1)
        self.http = http
        self.base = base.rstrip("/")
        self.headers = {"X-Simcord-Capability": capability, "Origin": self.base}
        self.page: dict[str, Any] = {}
        self.sequence = 0

    async def open(self, viewer_id: int) -> None:
        async with self.http.post(
            f"{self.base}/api/pages", json={"viewer_id": str(viewer_id)}, headers=self.headers
        ) as response:
            self.page = await response.json()
        self.headers["X-Simcord-Context"] = self.page["context"]["id"]

    async def run_command(self, invocation: str, **options: str) -> dict[str, Any]:
        """Run a slash command from the page's composer; returns the action's receipt."""
        async with self.http.get(f"{self.base}/api/commands", headers=self.headers) as response:
            catalog = await response.json()
        entry = next(e for e in catalog["entries"] if e["invocation"] == invocation)
        return await self.act(
            "run_command",
            command_id=entry["commandId"],
            path=entry["path"],
            schema_fingerprint=entry["schemaFingerprint"],
            options=options,
        )

    async def click(self, message_id: str, label: str) -> dict[str, Any]:
        """Click the button labelled ``label`` on a message the page shows; returns the receipt."""
        state = await self.state()
        rows = state["messages"][message_id]["components"]
        button = next(b for row in rows for b in row["components"] if b.get("label") == label)
        return await self.act("click", target_id=message_id, control_key=button["control_key"])

    def shown(self) -> list[dict[str, Any]]:
        """The messages of the last state read, oldest first."""
        return [self.page["messages"][message_id] for message_id in self.page["timeline"]]

    async def state(self) -> dict[str, Any]:
        """What this page shows now (the page's own snapshot)."""
        async with self.http.get(f"{self.base}/api/state", headers=self.headers) as response:
            self.page = await response.json()
        return self.page

    async def act(self, kind: str, **fields: Any) -> dict[str, Any]:
        """Any page action, as the browser sends it; returns its receipt."""
        await self.state()
        self.sequence += 1
        body = {
            "protocol_version": 3,
            "sequence": self.sequence,
            "request_id": uuid.uuid4().hex,
            "generation": self.page["context"]["generation"],
            "bot_generation": self.page["botGeneration"],
            "published_revision": self.page["publishedRevision"],
            "kind": kind,
            **fields,
        }
        async with self.http.post(f"{self.base}/api/action", json=body, headers=self.headers) as response:
            receipt: dict[str, Any] = await response.json()
        return receipt
