"""Where state, logs and the config file live, resolved without pydantic.

``status`` must answer in well under 150 ms, and importing pydantic-settings alone
takes longer than that here, so the state directory is resolved by these few
lines; ``app.config.Settings`` uses the same functions for its defaults, so the
two can never disagree.

Precedence: ``--state-dir`` > ``NUNET_ONBOARD_STATE_DIR`` > ``state_dir`` in the
TOML config file > the platform's user data directory.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

APP_NAME = "nunet-onboard"
ENV_PREFIX = "NUNET_ONBOARD_"
CONFIG_ENV = ENV_PREFIX + "CONFIG"
STATE_DIR_ENV = ENV_PREFIX + "STATE_DIR"


def config_file() -> Path:
    """The TOML config file: ``$NUNET_ONBOARD_CONFIG`` or the user config directory."""
    explicit = os.environ.get(CONFIG_ENV)
    if explicit:
        return Path(explicit).expanduser()
    plain = _plain_xdg_dir("XDG_CONFIG_HOME", ".config")
    if plain is not None:
        return plain / "config.toml"
    from platformdirs import user_config_path

    return user_config_path(APP_NAME) / "config.toml"


def read_config_file(path: Path | None = None) -> dict[str, Any]:
    """The config file's table, or {} when there is none; a broken file is an error."""
    path = path or config_file()
    try:
        if not path.exists():  # the usual case; spares status the tomllib import
            return {}
    except OSError as exc:  # e.g. a parent directory we may not enter
        raise ValueError(f"the config file {path} cannot be read: {exc.strerror}") from exc
    import tomllib

    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"the config file {path} cannot be read: {exc}") from exc


def default_state_dir() -> Path:
    plain = _plain_xdg_dir("XDG_DATA_HOME", ".local/share")
    if plain is not None:
        return plain
    from platformdirs import user_data_path

    return user_data_path(APP_NAME)


def _plain_xdg_dir(variable: str, under_home: str) -> Path | None:
    """platformdirs' answer in the plain case, without importing it; None otherwise.

    Importing platformdirs costs ~27 M instructions (0.7x of a bare interpreter start:
    it pulls in tempfile, shutil and random), which ``status`` would pay on every call
    just to find ~/.config and ~/.local/share. On Linux with the XDG variable unset or
    empty and an absolute HOME, platformdirs gives ``$HOME/<under_home>/nunet-onboard``;
    anything else (another OS, the variable set, an odd HOME) is left to platformdirs.
    tests/test_config.py holds the two to the same answer.
    """
    home = os.environ.get("HOME", "")
    if sys.platform != "linux" or os.environ.get(variable) or not os.path.isabs(home):
        return None
    return Path(home, under_home, APP_NAME)


def resolve_state_dir(cli_value: str | os.PathLike[str] | None = None) -> Path:
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(STATE_DIR_ENV)
    if env:
        return Path(env).expanduser()
    configured = read_config_file().get("state_dir")
    if configured:
        return Path(str(configured)).expanduser()
    return default_state_dir()


LOCK_TIMEOUT_ENV = ENV_PREFIX + "LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT_S = 5.0
MAX_LOCK_TIMEOUT_S = 600.0


def lock_timeout_s() -> float:
    """How long a write waits for the state lock: env, then ``lock_timeout`` in the config file.

    Read here rather than from ``Settings`` because every writer needs it, the fast
    ``status`` path included, and pydantic-settings costs more than that path's
    budget. A value that is not a number from 0 to 600 raises ValueError naming it.
    """
    raw: object = os.environ.get(LOCK_TIMEOUT_ENV)
    where = LOCK_TIMEOUT_ENV
    if raw is None or raw == "":
        raw = read_config_file().get("lock_timeout")
        where = f"lock_timeout in {config_file()}"
    if raw is None:
        return DEFAULT_LOCK_TIMEOUT_S
    try:
        value = float(str(raw).strip()) if not isinstance(raw, bool) else float("nan")
    except ValueError:
        value = float("nan")
    if not 0 <= value <= MAX_LOCK_TIMEOUT_S:  # NaN fails this too
        shown = str(raw)[:40]
        raise ValueError(
            f"{where} is {shown!r}; give the seconds to wait for the state lock, "
            f"from 0 to {MAX_LOCK_TIMEOUT_S:g}"
        )
    return value
