"""The offline preview: the real bot in simcord's page on loopback, and the README screenshots.

Skipped with a reason when the optional [preview] extra (or, for screenshots, chromium) is missing;
CI installs both.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import struct
import sys
from pathlib import Path

import pytest

from bot.sandbox.cli import _have_preview

ROOT = str(Path(__file__).resolve().parents[2])

pytestmark = pytest.mark.skipif(
    not _have_preview(), reason="needs the optional extra: pip install -e '.[preview]'"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_preview_serves_the_page_and_renders_a_command_reply() -> None:
    import aiohttp

    from bot.sandbox.simcord_adapter import open_preview, open_sandbox

    port = free_port()
    async with open_sandbox() as sandbox, open_preview(sandbox, port=port) as session:
        assert session.url.startswith(f"http://127.0.0.1:{port}/")
        async with aiohttp.ClientSession() as http, http.get(session.url) as page:
            assert page.status == 200
            assert "text/html" in page.headers["Content-Type"]

        await sandbox.you.slash(sandbox.channel, "status")  # the page shows "You" by default
        await sandbox.you.slash(sandbox.channel, "sandbox advance", days=1)
        await session.clock_moved()

        rendered = json.dumps(await session.rendered())
        assert "Your EMR certification pathway" in rendered  # the ephemeral /status reply, as You see it
        assert "Daily question" in rendered  # the clock moved: the 07:00 post appeared
        assert "0 of 5 gates closed" in rendered
        assert "Welcome to the EMR Study Bot preview" in rendered


async def test_a_command_that_raises_does_not_end_the_preview(caplog: pytest.LogCaptureFixture) -> None:
    from bot.sandbox.simcord_adapter import open_preview, open_sandbox

    async with open_sandbox(seed=False) as sandbox, open_preview(sandbox, port=free_port()) as session:

        async def boom(*args: object, **kwargs: object) -> None:
            raise RuntimeError("a bug in a command")

        sandbox.bot.member_state = boom  # type: ignore[method-assign]
        failed = await sandbox.you.slash(sandbox.channel, "status")
        assert "Something went wrong on my side" in failed.response.content
        assert "/status failed (incident" in caplog.text
        sandbox.bot.member_state = type(sandbox.bot).member_state.__get__(sandbox.bot)  # type: ignore[method-assign]
        ok = await sandbox.you.slash(sandbox.channel, "status")
        assert ok.response.embeds[0].title == "Your EMR certification pathway"
        assert "Your EMR certification pathway" in json.dumps(await session.rendered())


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    return int(width), int(height)


def test_screenshots_command_writes_the_readme_images(tmp_path: Path) -> None:
    from bot.sandbox.browser import system_chromium

    if system_chromium() is None:
        pytest.skip("needs Debian's chromium package: apt-get install chromium")
    from bot.__main__ import main
    from bot.sandbox.simcord_adapter import SHOTS

    assert main(["screenshots", str(tmp_path)]) == 0

    for name in SHOTS:
        width, height = _png_size(tmp_path / name)
        assert width >= 600 and height >= 150, name
        assert (tmp_path / name).stat().st_size > 10_000, name


@pytest.mark.parametrize(
    ("viewer", "invocation", "options"),
    [
        ("you", "retake", {"score": "950"}),
        ("you", "gate", {"gate": "course", "mark": "done", "date": "2026-02-30"}),
        ("sam", "quiz setup", {"time": "08:00"}),  # not an organizer
    ],
)
async def test_a_refusal_from_the_page_settles_as_an_answer(
    viewer: str, invocation: str, options: dict[str, str]
) -> None:
    import aiohttp

    from bot.sandbox.simcord_adapter import open_preview, open_sandbox
    from tests.sandbox.page_client import PageClient

    async with open_sandbox(seed=False) as sandbox, open_preview(sandbox, port=free_port()) as session:
        async with aiohttp.ClientSession() as http:
            page = PageClient(http, session.url)
            await page.open(getattr(sandbox, viewer).id)
            receipt = await page.run_command(invocation, **options)
            shown = json.dumps(await page.state())

        assert receipt["rejected"] is False and receipt["dispatch"] == "dispatched"
        assert receipt["settlement"] == "settled"  # not "failed": no "The bot action failed" badge
        assert receipt["uncertain"] is False  # no "Action outcome uncertain"
        assert receipt["diagnostics"] == []
        assert "Nothing was changed" in shown  # the refusal, as that member sees it


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
async def test_sigterm_stops_the_preview_and_removes_its_folder(tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "PYTHONPATH": ROOT}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "preview",
        "--port",
        str(free_port()),
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        while b"preview is running" not in (line := await asyncio.wait_for(process.stdout.readline(), 60)):
            assert line, "the preview exited before it was running"
        assert next(temp.iterdir()).name.startswith("emr-sandbox-")  # its throwaway database

        process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), 60)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()

    log = err.decode()
    assert process.returncode == 0, log
    assert "SIGTERM received: stopping the preview" in log
    assert "preview stopped (SIGTERM)" in log
    assert "Traceback" not in log
    assert list(temp.iterdir()) == []  # the throwaway folder is gone


async def test_the_clock_follows_real_time_between_page_actions() -> None:
    """Pacing can show: the time between showing a question and answering it is real time."""
    import aiohttp

    from bot.sandbox.simcord_adapter import open_preview, open_sandbox
    from tests.sandbox.page_client import PageClient

    async with (
        open_sandbox(seed=False) as sandbox,
        open_preview(sandbox, port=free_port()) as session,
        aiohttp.ClientSession() as http,
    ):
        page = PageClient(http, session.url)
        await page.open(sandbox.you.id)
        for _ in range(20):  # /quiz now picks at random; a multiple-response item has a menu, not buttons
            shown = await page.run_command("quiz now")
            (question,) = [o["messageId"] for o in shown["outcomes"] if o["kind"] == "response"]
            rows = (await page.state())["messages"][question]["components"]
            if any(b.get("label") == "A" for row in rows for b in row["components"]):
                break
        await asyncio.sleep(2.1)  # the member reads the question (a lower bound, not a timed assertion)
        answered = await page.click(question, "A")
        await page.state()
        feedback = json.dumps(page.shown()[-1])

    assert answered["settlement"] == "settled"
    took = re.search(r"You took (\d+) s", feedback)
    assert took is not None, feedback
    assert int(took[1]) >= 2  # not "You took 0 s": the sandbox clock moved with real time


async def test_sandbox_advance_speaks_local_time_and_says_what_it_posted() -> None:
    from zoneinfo import ZoneInfo

    from bot.sandbox.simcord_adapter import ZONE, open_preview, open_sandbox

    async with open_sandbox() as sandbox, open_preview(sandbox, port=free_port()) as session:
        before = sandbox.now().astimezone(ZoneInfo(ZONE))
        asked = await sandbox.you.slash(sandbox.channel, "sandbox advance", days=2)
        await session.clock_moved()
        after = sandbox.now().astimezone(ZoneInfo(ZONE))
        recap = sandbox.channel.history()[-1].content

    assert "UTC" not in asked.response.content
    assert f"by 2 days, from {before:%a %Y-%m-%d %H:%M} (America/New_York)" in asked.response.content
    assert recap.startswith(f"⏹️ The sandbox clock is now **{after:%a %Y-%m-%d %H:%M}** (America/New_York)")
    assert "2 new messages above" in recap  # the two daily questions
    assert "Load earlier messages" not in recap  # everything still fits on the page


async def test_after_a_long_advance_earlier_posts_stay_reachable() -> None:
    import aiohttp

    from bot.sandbox.simcord_adapter import open_preview, open_sandbox
    from tests.sandbox.page_client import PageClient

    async with open_sandbox() as sandbox, open_preview(sandbox, port=free_port()) as session:
        channel = sandbox.bot.get_partial_messageable(sandbox.channel.id)
        for n in range(30):
            await channel.send(f"earlier conversation {n}")
        await sandbox.you.slash(sandbox.channel, "sandbox advance", days=20)
        await session.clock_moved()
        recap = sandbox.channel.history()[-1].content

        async with aiohttp.ClientSession() as http:
            page = PageClient(http, session.url)
            await page.open(sandbox.you.id)
            await page.state()
            latest = json.dumps(page.shown())
            older = await page.act("history", direction="older")
            await page.state()
            earlier = json.dumps(page.shown())

    assert "20 new messages above" in recap
    assert "**Load earlier messages** at the top of the channel" in recap
    assert "Welcome to the EMR Study Bot preview" not in latest  # off the page's 50-message window
    assert older["settlement"] == "settled"
    assert "Welcome to the EMR Study Bot preview" in earlier  # and reachable
