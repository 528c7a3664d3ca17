"""Let Playwright use the system's Chromium (Debian's ``chromium`` package) instead of downloading one.

Playwright looks for its own browser builds under ``PLAYWRIGHT_BROWSERS_PATH``; we lay out that folder
with links to ``/usr/bin/chromium`` for the revision the installed Playwright expects.
"""

from __future__ import annotations

import json
import os
import shutil
from importlib import util
from pathlib import Path

#: Where Playwright expects each build's executable, relative to the build folder (Linux x64).
_LAYOUT = {
    "chromium": ("chromium-{revision}", "chrome-linux64", "chrome"),
    "chromium-headless-shell": (
        "chromium_headless_shell-{revision}",
        "chrome-headless-shell-linux64",
        "chrome-headless-shell",
    ),
}
DEFAULT_ROOT = Path.home() / ".cache" / "emr-study-bot" / "playwright-browsers"


class BrowserUnavailable(RuntimeError):
    """No usable Chromium: says what to install."""


def system_chromium() -> Path | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def link_system_chromium(root: Path = DEFAULT_ROOT) -> Path:
    """Create the links and point ``PLAYWRIGHT_BROWSERS_PATH`` at them; returns the folder."""
    chromium = system_chromium()
    if chromium is None:
        raise BrowserUnavailable(
            "no Chromium found: install Debian's package with `sudo apt-get install chromium` "
            "(Playwright cannot download its own browser here)"
        )
    spec = util.find_spec("playwright")
    if spec is None or spec.origin is None:
        raise BrowserUnavailable("Playwright is not installed: `pip install -e '.[preview]'`")
    browsers = json.loads(
        (Path(spec.origin).parent / "driver" / "package" / "browsers.json").read_text(encoding="utf-8")
    )
    for browser in browsers["browsers"]:
        layout = _LAYOUT.get(browser["name"])
        if layout is None:
            continue
        folder, subfolder, executable = layout
        target = root / folder.format(revision=browser["revision"]) / subfolder / executable
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink() or target.exists():
            target.unlink()
        target.symlink_to(chromium)
    os.environ["PLAYWRIGHT_BROWSERS_PATH"] = str(root)
    return root
