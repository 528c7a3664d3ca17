"""``python -m bot preview`` and ``python -m bot screenshots DIR``."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

from bot.process import setup_logging, stop_on_signals

log = logging.getLogger("bot.sandbox")

MISSING_EXTRA = (
    "The preview needs the optional extra: pip install -e '.[preview]' "
    "(about 320 MB on disk: simcord's preview page, its media libraries and Playwright)"
)


def _have_preview() -> bool:
    """Whether the [preview] extra is installed (asked of the adapter: it owns every simcord call)."""
    try:
        from bot.sandbox.simcord_adapter import preview_available
    except ImportError:
        return False
    return preview_available()


def preview_main(*, port: int | None = None, database: Path | None = None) -> int:
    """Serve the preview until "End preview session", Ctrl-C or SIGTERM; its throwaway folder goes too."""
    if not _have_preview():
        print(MISSING_EXTRA, file=sys.stderr)
        return 2
    setup_logging("INFO")
    from bot.sandbox.simcord_adapter import open_sandbox, serve_preview

    def ready(url: str) -> None:
        print(
            f"\nEMR Study Bot preview is running (offline, on this machine only):\n\n    {url}\n", flush=True
        )
        print("Switch between 'You', 'Sam' and 'Riley' with 'Viewing as'. /sandbox advance moves the clock.")
        print("Stop with the page's 'End preview session' or Ctrl-C.\n", flush=True)

    async def run() -> str | None:
        stop = asyncio.Event()
        received: list[str] = []

        def request_stop(name: str) -> None:
            received.append(name)
            log.info("%s received: stopping the preview", name)
            stop.set()

        with stop_on_signals(request_stop):
            async with open_sandbox(database) as sandbox:
                await serve_preview(sandbox, port=port, on_ready=ready, stop=stop)
        return received[0] if received else None

    try:
        stopped_by = asyncio.run(run())
    except KeyboardInterrupt:  # where signals cannot be handled on the loop (Windows)
        stopped_by = "Ctrl-C"
    log.info("preview stopped%s", f" ({stopped_by})" if stopped_by else "")
    return 0


def screenshots_main(folder: Path) -> int:
    if not _have_preview():
        print(MISSING_EXTRA, file=sys.stderr)
        return 2
    from bot.sandbox.browser import BrowserUnavailable, link_system_chromium

    try:
        link_system_chromium()
    except BrowserUnavailable as error:
        print(f"Cannot take screenshots: {error}", file=sys.stderr)
        return 2
    setup_logging("INFO")
    from bot.sandbox.simcord_adapter import open_sandbox, take_screenshots

    async def run() -> list[Path]:
        async with open_sandbox() as sandbox:
            return await take_screenshots(sandbox, folder)

    written = asyncio.run(run())
    print(f"wrote {len(written)} screenshots to {folder}")
    return 0
