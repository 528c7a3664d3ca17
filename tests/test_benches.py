"""The benchmarks still run (on tiny inputs) and print their figures. Timings are never asserted."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("module", "args", "expected"),
    [
        (
            "bench.status_bench",
            ["--members", "50", "--calls", "20"],
            "/status handling (domain + store + render)",
        ),
        ("bench.reminders_bench", ["--pending", "50", "--burst", "20"], "lateness p50="),
        ("bench.bank_bench", ["--scales", "1", "2", "--repeat", "1"], "near-duplicates over"),
        (
            "bench.quiz_bench",
            ["--guilds", "5", "--members", "50", "--baseline", "0.2", "--no-compare"],
            "posts/s",
        ),
        ("bench.practice_bench", ["--members", "5", "--length", "2"], "per answer p50="),
        (
            "bench.backends_bench",
            ["--members", "30", "--burst", "5", "--rounds", "1", "--database-url", "none"],
            "ratio bot/floor",
        ),
        (
            "bench.checkin_bench",
            ["--members", "5", "--calib-members", "50", "--items", "20", "--per-member", "5"],
            "verdict right",
        ),
        (
            "bench.group_bench",
            ["--members", "30", "--answers", "200", "--calls", "2"],
            "/group overview handling (facts + embed + chart)",
        ),
    ],
)
def test_benchmark_runs_and_prints_figures(module: str, args: list[str], expected: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert expected in done.stdout


def test_the_several_processes_benchmark_runs_and_prints_figures() -> None:
    """Bot processes on the test PostgreSQL server (skipped without one), a tiny burst and fan-out."""
    from tests.db.postgres import server_url

    args = ["--reminders", "40", "--window", "1", "--processes", "2", "--guilds", "20", "--shards", "2"]
    args += ["--known-dm"]
    done = subprocess.run(
        [sys.executable, "-m", "bench.processes_bench", "--database-url", server_url(), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "2 process(es), first DM channels: 40/40 delivered" in done.stdout
    assert "2 process(es), known DM channels: 40/40 delivered" in done.stdout
    assert re.findall(r"duplicates (\d+)", done.stdout) == ["0", "0", "0"]
    assert "20 guilds on 2 shards/processes: 20 posted" in done.stdout
    assert "by the wrong shard's process 0" in done.stdout
