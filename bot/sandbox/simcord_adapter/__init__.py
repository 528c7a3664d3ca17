"""Every simcord call of the sandbox, in this one package (simcord is young: a major version costs one
folder). Nothing else in the bot imports simcord.

The sandbox runs the REAL bot (the same cogs, store, scheduler and policy data) against simcord's
in-memory Discord, on a virtual clock that starts at the real current time, ticks with real time while
the page is open, and that the viewer can move forward with ``/sandbox advance``.

- :mod:`.world`: the sandbox (guild, members, seeded data, the virtual clock, :func:`advance`)
- :mod:`.page`: the preview page on 127.0.0.1 (``python -m bot preview``)
- :mod:`.screenshots`: the README's images (``python -m bot screenshots``)
"""

from bot.sandbox.simcord_adapter.page import PreviewSession, open_preview, serve_preview
from bot.sandbox.simcord_adapter.screenshots import SHOTS, take_screenshots
from bot.sandbox.simcord_adapter.world import (
    QUIZ_TIME,
    ZONE,
    Sandbox,
    VirtualClock,
    advance,
    open_sandbox,
    preview_available,
)

__all__ = [
    "QUIZ_TIME",
    "SHOTS",
    "ZONE",
    "PreviewSession",
    "Sandbox",
    "VirtualClock",
    "advance",
    "open_preview",
    "open_sandbox",
    "preview_available",
    "serve_preview",
    "take_screenshots",
]
