"""The validated settings model: pydantic-settings, for when something is configured.

pydantic-settings gives typed, validated settings with one clear error for a bad
value. Its import costs more than a command's or the first frame's whole budget,
so ``app.config`` loads this module only when a setting other than the state
directory is given; a plain ``status`` never does. The state directory itself is
always ``app.paths.resolve_state_dir``'s answer, given to the model, so that every
command and the app agree on it.
"""

from __future__ import annotations

from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from app import paths
from app.config import ConfigError, Settings

_FILE_TABLE: ContextVar[dict[str, Any]] = ContextVar("_FILE_TABLE")
"""The config file's table, read once by ``app.paths`` (so the BOM and a missing
named file are handled as for every command), for the model's lowest source."""


class SettingsModel(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=paths.ENV_PREFIX, extra="ignore", env_ignore_empty=True
    )

    state_dir: Path = Field(default_factory=paths.default_state_dir)
    """Always given, from ``app.paths.resolve_state_dir``: one answer for every command."""
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    gpu_timeout_s: float = Field(default=5.0, gt=0, le=60)
    lock_timeout: float = Field(
        default=paths.DEFAULT_LOCK_TIMEOUT_S, ge=0, le=paths.MAX_LOCK_TIMEOUT_S
    )
    """Seconds a write waits for the state lock; the store reads it via paths.lock_timeout_s."""
    cardano_network: Literal["mainnet", "testnet"] = "mainnet"
    usage_interval_s: float = Field(default=1.0, ge=0.2, le=60)
    log_max_bytes: int = Field(default=1_000_000, ge=10_000)
    log_backups: int = Field(default=3, ge=0, le=20)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        """``debug`` is ``DEBUG``: the level's name in any case."""
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("cardano_network", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, InitSettingsSource(settings_cls, _FILE_TABLE.get({})))


def load_validated(state_dir: Path, table: dict[str, Any]) -> Settings:
    """The settings in ``state_dir`` with the environment over the file's ``table``;
    a bad value raises ``ConfigError``."""
    token = _FILE_TABLE.set({k: v for k, v in table.items() if k != "state_dir" and v != ""})
    try:
        model = SettingsModel(state_dir=state_dir)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(
            f"setting {where} ({paths.ENV_PREFIX}{where.upper()} or {where} in {paths.config_file()}): "
            f"{first['msg']}"
        ) from None
    finally:
        _FILE_TABLE.reset(token)
    return Settings(**model.model_dump())
