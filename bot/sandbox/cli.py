"""``python -m bot preview`` and ``python -m bot screenshots DIR``."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

import discord

log = logging.getLogger("bot.sandbox")

MISSING_EXTRA = (
    "The preview needs the optional extra: pip install -e '.[preview]' "
    "(about 150 MB: simcord's preview page and its media libraries)"
)


def _have_preview() -> bool:
    """Whether the [preview] extra is installed (asked of the adapter: it owns every simcord call)."""
    try:
        from bot.sandbox.simcord_adapter import preview_available
    except ImportError:
        return False
    return preview_available()


def preview_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot preview", description="Try the bot offline in a browser."
    )
    parser.add_argument(
        "--port", type=int, default=None, help="loopback port for the page (default: a free one)"
    )
    parser.add_argument(
        "--database",
        type=Path,
        default=None,
        help="use this SQLite file instead of a throwaway one (never the default)",
    )
    args = parser.parse_args(argv)
    if not _have_preview():
        print(MISSING_EXTRA, file=sys.stderr)
        return 2
    discord.utils.setup_logging(level=logging.INFO)
    from bot.sandbox.simcord_adapter import open_sandbox, serve_preview

    def ready(url: str) -> None:
        print(
            f"\nEMR Study Bot preview is running (offline, on this machine only):\n\n    {url}\n", flush=True
        )
        print("Switch between 'You', 'Sam' and 'Riley' with 'Viewing as'. /sandbox advance moves the clock.")
        print("Stop with the page's 'End preview session' or Ctrl-C.\n", flush=True)

    async def run() -> None:
        async with open_sandbox(args.database) as sandbox:
            await serve_preview(sandbox, port=args.port, on_ready=ready)

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        log.info("preview stopped (Ctrl-C)")
    return 0


def screenshots_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot screenshots", description="Save PNGs of scripted interactions (for the README)."
    )
    parser.add_argument("folder", type=Path, nargs="?", default=Path("docs/img"))
    args = parser.parse_args(argv)
    if not _have_preview():
        print(MISSING_EXTRA, file=sys.stderr)
        return 2
    from bot.sandbox.browser import BrowserUnavailable, link_system_chromium

    try:
        link_system_chromium()
    except BrowserUnavailable as error:
        print(f"Cannot take screenshots: {error}", file=sys.stderr)
        return 2
    discord.utils.setup_logging(level=logging.INFO)
    from bot.sandbox.simcord_adapter import open_sandbox, take_screenshots

    async def run() -> list[Path]:
        async with open_sandbox() as sandbox:
            return await take_screenshots(sandbox, args.folder)

    written = asyncio.run(run())
    print(f"wrote {len(written)} screenshots to {args.folder}")
    return 0
