"""The host's settings: read from the environment or ``.env`` once, validated, then passed in."""

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
    database_path: Path = Path("studybot.sqlite3")
    dev_guild_id: int | None = Field(default=None, gt=0)
    log_level: LogLevel = "INFO"
    default_timezone: str = "America/New_York"

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

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


def describe_validation_error(error: ValidationError) -> str:
    first = error.errors()[0]
    name = str(first["loc"][0]).upper() if first["loc"] else "settings"
    if first["type"] in ("missing", "string_too_short", "too_short"):
        return f"{name} is required: set it in the environment or in .env (see .env.example)"
    if first["type"] in ("int_parsing", "greater_than"):
        return f"{name} is invalid: it must be a Discord id (a positive whole number), not {first['input']!r}"
    message = first["msg"].removeprefix("Value error, ")
    return f"{name} is invalid: {message} (see .env.example)"


def load_settings(env_file: str | Path | None = ".env") -> Settings:
    try:
        return Settings(_env_file=env_file)  # type: ignore[call-arg]
    except ValidationError as error:
        raise SettingsError(describe_validation_error(error)) from None
