"""The validated settings model: pydantic-settings, for when something is configured.

pydantic-settings gives typed, validated settings with one clear error for a bad
value. Its import costs more than a command's or the first frame's whole budget,
so ``app.config.load_settings`` loads this module only when a setting other than
the state directory is given; ``status`` never does (it resolves the state
directory with ``app.paths``, whose functions are the defaults here, so all agree).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from app import paths
from app.config import ConfigError, Settings


class SettingsModel(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=paths.ENV_PREFIX, extra="ignore")

    state_dir: Path = Field(default_factory=paths.default_state_dir)
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

    @field_validator("state_dir")
    @classmethod
    def _home(cls, value: Path) -> Path:
        """``~`` means the home directory wherever the path comes from, as ``app.paths``
        reads it for ``status``: else ``onboard`` would write under a directory named
        "~" in the current one while ``status`` looked in the home directory."""
        return value.expanduser()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=paths.config_file()),
        )


def load_validated(state_dir: str | Path | None = None) -> Settings:
    """Settings with ``--state-dir`` on top; a bad value raises ``ConfigError``."""
    overrides = {"state_dir": Path(state_dir).expanduser()} if state_dir else {}
    try:
        model = SettingsModel(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(
            f"setting {where} ({paths.ENV_PREFIX}{where.upper()} or {where} in {paths.config_file()}): "
            f"{first['msg']}"
        ) from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"the config file {paths.config_file()} cannot be read: {exc}") from None
    return Settings(**model.model_dump())
