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

from app import paths
from app.light_record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class ConfigError(ValueError):
    """A setting has a value we cannot use; the message says which and what is allowed."""


class Settings(Record):
    """The settings in use; the defaults are the documented ones. A ``Record``, not a
    ``NamedTuple``: the plain ``status`` builds one, and a named tuple class costs more
    to define than reading the settings (see app/light_record.py)."""

    state_dir: str
    """Absolute, as ``paths.resolve_state_dir`` gives it (text: status imports no pathlib)."""
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


def load_settings(state_dir: str | os.PathLike[str] | None = None) -> Settings:
    """Settings with ``--state-dir`` on top; a bad value raises ``ConfigError``.

    For the commands that write and the app: any setting they cannot use stops them.
    """
    return _load(state_dir, strict=True)[0]


def load_settings_leniently(
    state_dir: str | os.PathLike[str] | None = None,
) -> tuple[Settings, list[str]]:
    """For the read-only commands: the settings, with a default for each bad value, and
    a warning for each. A bad state directory setting, or a config file that is named
    but missing or cannot be read, still raises ``ConfigError``: it is no one value
    that a default could stand in for."""
    return _load(state_dir, strict=False)


def _load(state_dir: str | os.PathLike[str] | None, *, strict: bool) -> tuple[Settings, list[str]]:
    try:
        table: dict[str, Any] = paths.read_config_file()
        directory = paths.resolve_state_dir(state_dir, table)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    if not _others_configured(table):
        return Settings(state_dir=directory), []
    from app.settings_model import load_validated

    return load_validated(directory, table, strict=strict)


def _others_configured(table: dict[str, Any]) -> bool:
    """Whether any setting but the state directory is given (empty values are not).

    The validated model (pydantic-settings) is loaded only then: its import costs
    more than a command's whole budget, and the state directory is already known.
    """
    for name, value in os.environ.items():
        if name.upper().startswith(paths.ENV_PREFIX) and name not in _PLAIN_ENV and value:
            return True
    return any(key != "state_dir" and value != "" for key, value in table.items())
