"""The host's settings: read from the environment or a ``.env`` file once, validated, then passed in.

The ``.env`` file is looked for in the current directory (``python -m bot --env-file PATH`` names
another); environment variables win over the file. A relative ``DATABASE_PATH`` is relative to the
current directory too. Errors say where they looked, as absolute paths.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.core.refusals import UnknownTimezone
from bot.core.shards import Ownership
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
    #: Discord shards in all (unset: Discord's recommended count, in this one process).
    shard_count: int | None = None
    #: The shards this process runs (``0,1``); unset: all of them. Each below SHARD_COUNT.
    shard_ids: Annotated[tuple[int, ...] | None, NoDecode] = None
    #: A loopback port for the health endpoint (``python -m bot health`` asks it); unset: none.
    health_port: int | None = None

    @property
    def owned_shards(self) -> Ownership:
        return Ownership.of(self.shard_count, self.shard_ids)

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

    @field_validator("shard_count", mode="before")
    @classmethod
    def _shard_count(cls, value: object) -> object:
        return _whole_number(value, 1, 1 << 16, "a whole number of shards, 1 or more")

    @field_validator("health_port", mode="before")
    @classmethod
    def _health_port(cls, value: object) -> object:
        return _whole_number(value, 1, 65535, "a port number (1-65535)")

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _shard_id_list(cls, value: object) -> object:
        if isinstance(value, str):
            if not value.strip():
                return None
            parts = [part.strip() for part in value.split(",")]
            if not all(part.isascii() and part.isdigit() for part in parts):
                raise ValueError(f"must be shard numbers separated by commas, such as 0,1, not {value!r}")
            value = tuple(int(part) for part in parts)
        return value

    @field_validator("shard_ids")
    @classmethod
    def _shards_exist(cls, value: tuple[int, ...] | None, info: ValidationInfo) -> tuple[int, ...] | None:
        if value is None:
            return None
        count = info.data.get("shard_count")
        if count is None:
            raise ValueError("needs SHARD_COUNT too (the number of shards in all, such as 4)")
        if len(set(value)) != len(value):
            raise ValueError(f"names a shard twice: {','.join(map(str, value))}")
        if not value or any(not 0 <= each < count for each in value):
            raise ValueError(f"each shard must be 0 to {count - 1} (SHARD_COUNT is {count})")
        return value

    @field_validator("default_timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            parse_timezone(value)
        except UnknownTimezone:
            raise ValueError("must be an IANA time zone name such as America/Chicago") from None
        return value.strip()


class HealthSettings(BaseSettings):
    """Only what ``python -m bot health`` needs (no token): the same sources as :class:`Settings`."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    health_port: int | None = None

    @field_validator("health_port", mode="before")
    @classmethod
    def _health_port(cls, value: object) -> object:
        return _whole_number(value, 1, 65535, "a port number (1-65535)")


def load_health_port(env_file: str | Path | None = ".env") -> int | None:
    """HEALTH_PORT from the environment or ``env_file``; SettingsError when it is malformed."""
    path = Path(env_file) if env_file is not None else None
    try:
        return HealthSettings(_env_file=path).health_port  # type: ignore[call-arg]
    except ValidationError as error:
        raise SettingsError(describe_validation_error(error, path)) from None


def _whole_number(value: object, low: int, high: int, what: str) -> object:
    """A setting that is a whole number in [low, high], said plainly when it is not; blank is unset."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if not (text.isascii() and text.isdigit()):
            raise ValueError(f"must be {what}, not {value!r}")
        value = int(text)
    if isinstance(value, int) and not low <= value <= high:
        raise ValueError(f"must be {what}, not {value}")
    return value


def sqlite_with_several_processes(settings: Settings) -> str | None:
    """Why these settings cannot run, or None: a process that runs only some of the shards is one of
    several, and several processes cannot share one SQLite file safely (each would deliver the same
    reminders, and SQLite's locking does not reach across machines or containers)."""
    if settings.owned_shards.owns_all:
        return None
    if settings.database_url is not None:  # PostgreSQL (the only URL DATABASE_URL accepts)
        return None
    return (
        "SHARD_IDS runs only some of the shards, so other processes run the rest, and several processes "
        "cannot share one SQLite database safely: set DATABASE_URL to a PostgreSQL database, or unset "
        "SHARD_IDS to run every shard in this one process"
    )


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
    if name == "DEV_GUILD_ID" and first["type"] in ("int_parsing", "greater_than"):
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
            settings = Settings(_env_file=path, discord_token=token)  # type: ignore[call-arg]
        else:
            settings = Settings(_env_file=path)  # type: ignore[call-arg]
    except ValidationError as error:
        raise SettingsError(describe_validation_error(error, path)) from None
    refusal = sqlite_with_several_processes(settings)
    if refusal is not None:
        raise SettingsError(refusal)
    return settings
