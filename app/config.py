"""Settings: environment (``NUNET_ONBOARD_*``), the optional TOML file, then defaults.

Most machines configure nothing but, at most, the state directory. Importing
pydantic-settings costs more (150-350 ms on a 2-core node) than the whole first
frame of a bare Textual app, so ``load_settings`` answers that common case here,
from ``app.paths``, and loads the validated model (``app.settings_model``,
pydantic-settings) only when some other setting is given. Both paths give the
same ``Settings``; a test checks that they agree.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NamedTuple

from app import paths


class ConfigError(ValueError):
    """A setting has a value we cannot use; the message says which and what is allowed."""


class Settings(NamedTuple):
    """The settings in use; the defaults are the documented ones."""

    state_dir: Path
    log_level: str = "INFO"
    gpu_timeout_s: float = 5.0
    lock_timeout: float = paths.DEFAULT_LOCK_TIMEOUT_S
    """Seconds a write waits for the state lock; the store reads it via paths.lock_timeout_s."""
    cardano_network: str = "mainnet"
    usage_interval_s: float = 1.0
    log_max_bytes: int = 1_000_000
    log_backups: int = 3


_PLAIN_ENV = (paths.CONFIG_ENV, paths.STATE_DIR_ENV)
"""Variables the quick path reads as they are (the config file's path is no setting)."""


def load_settings(state_dir: str | Path | None = None) -> Settings:
    """Settings with ``--state-dir`` on top; a bad value raises ``ConfigError``."""
    quick = _defaults_only(Path(state_dir).expanduser() if state_dir else None)
    if quick is not None:
        return quick
    from app.settings_model import load_validated

    return load_validated(state_dir)


def _defaults_only(cli_dir: Path | None) -> Settings | None:
    """The settings when nothing but the state directory is configured, else None.

    The state directory follows pydantic-settings' rules exactly (``--state-dir``,
    then the environment taken as it is, then ``state_dir`` in the file); anything
    else set (another variable, another key, a value that is not text) is left to
    the validated model, which also words its errors.
    """
    env_dir: str | None = None
    for name, value in os.environ.items():
        upper = name.upper()
        if not upper.startswith(paths.ENV_PREFIX):
            continue
        if name not in _PLAIN_ENV or (name == paths.STATE_DIR_ENV and not value):
            return None
        if name == paths.STATE_DIR_ENV:
            env_dir = value
    try:
        table: dict[str, Any] = paths.read_config_file()
    except ValueError:
        return None  # the validated model says what is wrong with the file
    if set(table) - {"state_dir"} or not isinstance(table.get("state_dir", ""), str):
        return None
    if cli_dir is not None:
        return Settings(state_dir=cli_dir)
    if env_dir is not None:
        return Settings(state_dir=Path(env_dir).expanduser())
    if table.get("state_dir"):
        return Settings(state_dir=Path(table["state_dir"]).expanduser())
    return None if "state_dir" in table else Settings(state_dir=paths.default_state_dir())
