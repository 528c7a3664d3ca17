"""A throwaway PostgreSQL server for tests and benchmarks, started from the installed binaries.

``TEST_DATABASE_URL`` (set by ``.ci/run``) wins; otherwise, when Debian's PostgreSQL binaries are
installed, a server is started in a temporary folder (as the ``postgres`` user when running as root:
``initdb`` refuses root), listening only on a Unix socket in that folder, with ``fsync=off``.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Server:
    url: str
    folder: Path | None = None
    run_as: list[str] | None = None

    def stop(self) -> None:
        if self.folder is None:
            return
        subprocess.run(
            [
                *(self.run_as or []),
                _binary("pg_ctl"),
                "-D",
                str(self.folder / "data"),
                "-m",
                "immediate",
                "stop",
            ],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def _binary(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name) or name


def start() -> Server:
    """A running server's URL; raises RuntimeError saying why none could be had."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return Server(url)
    if not Path(_binary("initdb")).is_file():
        raise RuntimeError("no PostgreSQL: set TEST_DATABASE_URL or install Debian's postgresql package")
    folder = Path(tempfile.mkdtemp(prefix="studybot-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        run_as = ["runuser", "-u", "postgres", "--"]
        shutil.chown(folder, "postgres")
    os.chmod(folder, 0o755)
    data = folder / "data"
    steps = [
        [_binary("initdb"), "-D", str(data), "-U", "studybot", "--auth=trust", "-E", "UTF8", "--no-sync"],
        [
            _binary("pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w", "-o",
            f"-k {folder} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=50",
            "start",
        ],
    ]  # fmt: skip
    for step in steps:
        done = subprocess.run([*run_as, *step], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            shutil.rmtree(folder, ignore_errors=True)
            raise RuntimeError(
                f"could not start PostgreSQL ({Path(step[0]).name}): {done.stderr.strip()[-300:]}"
            )
    return Server(f"postgresql://studybot@/postgres?host={folder}", folder, run_as)
