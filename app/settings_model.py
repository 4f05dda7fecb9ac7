"""The validated settings model: pydantic-settings, for when something is configured.

pydantic-settings gives typed, validated settings with one clear error for a bad
value. Its import costs more than a command's or the first frame's whole budget,
so ``app.config`` loads this module only when a setting other than the state
directory is given; a plain ``status`` never does. The state directory itself is
always ``app.paths.resolve_state_dir``'s answer, given to the model, so that every
command and the app agree on it.
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from typing import Any, Literal, get_args

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

    state_dir: str = Field(default_factory=paths.default_state_dir)
    """Always given, from ``app.paths.resolve_state_dir``: one answer for every command."""
    # Each default is the one declared in ``app.config.Settings``; here only what is allowed.
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default=Settings.log_level  # type: ignore[arg-type]  # Settings says str
    )
    gpu_timeout_s: float = Field(default=Settings.gpu_timeout_s, gt=0, le=60)
    lock_timeout: float = Field(default=Settings.lock_timeout, ge=0, le=paths.MAX_LOCK_TIMEOUT_S)
    """Seconds a write waits for the state lock; the store reads it via paths.lock_timeout_s."""
    cardano_network: Literal["mainnet", "testnet"] = Field(
        default=Settings.cardano_network  # type: ignore[arg-type]  # Settings says str
    )
    usage_interval_s: float = Field(default=Settings.usage_interval_s, ge=0.2, le=60)
    log_max_bytes: int = Field(default=Settings.log_max_bytes, ge=10_000)
    log_backups: int = Field(default=Settings.log_backups, ge=0, le=20)

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


def load_validated(
    state_dir: str, table: dict[str, Any], *, strict: bool = True
) -> tuple[Settings, list[str]]:
    """The settings in ``state_dir`` with the environment over the file's ``table``.

    A bad value raises ``ConfigError`` naming every bad setting as the user gave it
    (the variable, or the key in the file) and what is allowed; unless not
    ``strict``, where each bad one is a warning and its default is used.
    """
    given = {k: v for k, v in table.items() if k != "state_dir" and v != ""}
    token = _FILE_TABLE.set(given)
    try:
        overrides: dict[str, Any] = {"state_dir": state_dir}
        try:
            model = SettingsModel(**overrides)
            return Settings(**model.model_dump()), []
        except ValidationError as exc:
            bad = {str(e["loc"][0]): _problem(str(e["loc"][0]), given) for e in exc.errors()}
        if strict:
            raise ConfigError("; ".join(bad.values()))
        fields = SettingsModel.model_fields
        for name in bad:
            overrides[name] = fields[name].get_default(call_default_factory=True)
        model = SettingsModel(**overrides)
        warnings = [
            f"warning: {problem}; {_shown(overrides[name])} is used here, and the commands "
            "that write refuse to start until it is fixed"
            for name, problem in bad.items()
        ]
        return Settings(**model.model_dump()), warnings
    finally:
        _FILE_TABLE.reset(token)


def _problem(name: str, given: dict[str, Any]) -> str:
    """``NUNET_ONBOARD_X is 'v'; allowed: ...``, or the same for the key in the file."""
    where, shown = f"{name} in {paths.config_file()}", repr(given.get(name))[:40]  # as in TOML
    for variable, text in os.environ.items():
        if variable.upper() == paths.ENV_PREFIX + name.upper() and text:
            where, shown = variable, repr(text[:40])
    return f"{where} is {shown} (allowed: {_allowed(name)})"


def _shown(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _allowed(name: str) -> str:
    """What the field takes, from its declaration: the names, or the number and bounds."""
    field = SettingsModel.model_fields[name]
    choices = get_args(field.annotation)
    if choices:
        return "one of " + ", ".join(str(c) for c in choices)
    bounds = []
    for rule in field.metadata:
        for attribute, words in (
            ("gt", "more than"), ("ge", "at least"), ("lt", "less than"), ("le", "at most"),
        ):  # fmt: skip
            limit = getattr(rule, attribute, None)
            if limit is not None:
                bounds.append(f"{words} {limit:g}")
    kind = "a whole number" if field.annotation in (int, "int") else "a number"
    return " ".join([kind, " and ".join(bounds)]).strip()
