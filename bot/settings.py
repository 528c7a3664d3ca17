"""The host's settings: read from the environment or a ``.env`` file once, validated, then passed in.

The ``.env`` file is looked for in the current directory (``python -m bot --env-file PATH`` names
another); environment variables win over the file. A relative ``DATABASE_PATH`` is relative to the
current directory too. Errors say where they looked, as absolute paths.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.core.refusals import UnknownTimezone
from bot.dates import parse_timezone

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    discord_token: SecretStr = Field(min_length=1)
    #: PostgreSQL (``postgresql://user:password@host:5432/db``); unset: the SQLite file at database_path.
    database_url: SecretStr | None = None
    database_path: Path = Path("studybot.sqlite3")
    dev_guild_id: int | None = Field(default=None, gt=0)
    log_level: LogLevel = "INFO"
    #: Third-party loggers (discord.py, aiosqlite, ...); unset: INFO, or LOG_LEVEL if that is quieter.
    log_level_libraries: LogLevel | None = None
    default_timezone: str = "America/New_York"

    @field_validator("log_level", "log_level_libraries", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        if isinstance(value, str):
            return value.strip().upper() or None
        return value

    @field_validator("database_path")
    @classmethod
    def _usable_path(cls, value: Path) -> Path:
        path = value.expanduser()
        where = path.resolve()
        if where.is_dir():
            raise ValueError(f"{where} is a folder: name a file in it, such as {where / 'studybot.sqlite3'}")
        if not where.parent.is_dir():
            raise ValueError(
                f"the folder {where.parent} does not exist (a relative path is relative to the current "
                "directory): create the folder, or point DATABASE_PATH at a file in an existing one"
            )
        return path

    @field_validator("database_url", mode="before")
    @classmethod
    def _postgres_url(cls, value: object) -> object:
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        if not isinstance(value, str) or not value.strip():
            return None
        from bot.db.postgres import postgres_url

        postgres_url(value)  # ValueError (its message never repeats the URL: it may hold a password)
        return value.strip()

    @field_validator("dev_guild_id", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("default_timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            parse_timezone(value)
        except UnknownTimezone:
            raise ValueError("must be an IANA time zone name such as America/Chicago") from None
        return value.strip()


class SettingsError(Exception):
    """One line for the host: which setting is wrong and what would be right."""


def describe_validation_error(error: ValidationError, env_file: Path | None = None) -> str:
    """One line naming the setting, what is wrong, and where settings were read from (absolute)."""
    first = error.errors()[0]
    name = str(first["loc"][0]).upper() if first["loc"] else "settings"
    where = env_file.resolve() if env_file is not None else None
    exists = where is not None and where.is_file()
    if first["type"] in ("missing", "string_too_short", "too_short"):
        if where is None:
            return f"{name} is required: set it in the environment (see .env.example)"
        missing = "" if exists else "which does not exist; "
        return f"{name} is required: set it in the environment or in {where} ({missing}see .env.example)"
    source = f"the environment or {where}" if exists else "the environment"
    if first["type"] in ("int_parsing", "greater_than"):
        return (
            f"{name} is invalid: it must be a Discord id (a positive whole number), not {first['input']!r} "
            f"(read from {source})"
        )
    message = first["msg"].removeprefix("Value error, ")
    return f"{name} is invalid: {message} (read from {source}; see .env.example)"


def load_settings(
    env_file: str | Path | None = ".env", *, required: bool = False, token: SecretStr | None = None
) -> Settings:
    """Read and check the settings. ``required``: the file must exist (it was named on the command line);
    ``token``: use this instead of DISCORD_TOKEN (commands that do not connect to Discord)."""
    path = Path(env_file) if env_file is not None else None
    if required and path is not None and not path.is_file():
        raise SettingsError(f"--env-file {path.resolve()}: no such file")
    try:
        if token is not None:
            return Settings(_env_file=path, discord_token=token)  # type: ignore[call-arg]
        return Settings(_env_file=path)  # type: ignore[call-arg]
    except ValidationError as error:
        raise SettingsError(describe_validation_error(error, path)) from None
