"""``python -m bot db upgrade`` and ``python -m bot db copy --to postgresql://...``."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from pydantic import SecretStr

from bot.db.base import DatabaseUnavailable
from bot.db.connect import open_database
from bot.db.copy import CopyRefused, copy_database
from bot.db.migrate import current_revision
from bot.db.postgres import PostgresDatabase, postgres_url, safe
from bot.db.sqlite import SQLiteDatabase


def _fail(message: str) -> int:
    print(f"Cannot continue: {message}", file=sys.stderr, flush=True)
    return 2


def _settings(args: argparse.Namespace) -> tuple[str | None, Path]:
    """DATABASE_URL and DATABASE_PATH from the settings (no token needed for these commands)."""
    from bot.settings import load_settings

    env_file = args.env_file if args.env_file is not None else Path(".env")
    settings = load_settings(env_file, required=args.env_file is not None, token=SecretStr("unused"))
    url = settings.database_url.get_secret_value() if settings.database_url else None
    return url, settings.database_path


def db_main(args: argparse.Namespace) -> int:
    from bot.settings import SettingsError

    try:
        url, path = _settings(args)
    except SettingsError as error:
        return _fail(str(error))
    if args.db_command == "upgrade":
        where = safe(postgres_url(url)) if url else str(path.resolve())
        return asyncio.run(_upgrade(url, path, where))
    source = (args.source or path).resolve()
    if not source.is_file():
        return _fail(f"{source}: no such SQLite file")
    return asyncio.run(_copy(source, args.to))


async def _upgrade(url: str | None, path: Path, where: str) -> int:
    try:
        db = await open_database(url, path)
    except DatabaseUnavailable as error:
        name = "DATABASE_URL" if url else "DATABASE_PATH"
        return _fail(f"{name} {error if url else f'{where} cannot be used ({error})'}")
    revision = await db.read(current_revision)
    await db.close()
    print(f"{where}: up to date (revision {revision})")
    return 0


async def _copy(source_path: Path, target_url: str) -> int:
    try:
        target_safe = safe(postgres_url(target_url))
    except ValueError as error:
        return _fail(f"--to is invalid: {error}")
    try:
        source = await SQLiteDatabase.open(source_path)
    except DatabaseUnavailable as error:
        return _fail(f"{source_path} cannot be used ({error})")
    try:
        try:
            target = await PostgresDatabase.open(target_url)
        except DatabaseUnavailable as error:
            return _fail(f"--to {error}")
        try:
            copied = await copy_database(source, target, progress=lambda line: print(f"  {line}"))
        except CopyRefused as error:
            return _fail(f"{target_safe}: {error}")
        finally:
            await target.close()
    finally:
        await source.close()
    total = sum(c.rows for c in copied)
    print(f"copied {total} rows in {len(copied)} tables to {target_safe}; every table's count matches")
    return 0
