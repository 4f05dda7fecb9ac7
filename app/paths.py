"""Where state, logs and the config file live, resolved without pydantic.

``status`` must answer in well under 150 ms, and importing pydantic-settings alone
takes longer than that here, so the state directory is resolved by these few
lines; ``app.config.Settings`` uses the same functions for its defaults, so the
two can never disagree. Paths are ``str`` here, not ``pathlib.Path``: importing
pathlib (it pulls in urllib.parse and ipaddress) is ~0.45x of a bare interpreter
start, more than all of ``status``'s own work.

Precedence: ``--state-dir`` > ``NUNET_ONBOARD_STATE_DIR`` > ``state_dir`` in the
TOML config file > the platform's user data directory. An empty value is not set.
``resolve_state_dir`` is the one place every command (and the app) gets it from.
"""

from __future__ import annotations

import errno
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

APP_NAME = "nunet-onboard"
ENV_PREFIX = "NUNET_ONBOARD_"
CONFIG_ENV = ENV_PREFIX + "CONFIG"
STATE_DIR_ENV = ENV_PREFIX + "STATE_DIR"
MAX_CONFIG_BYTES = 64 * 1024
"""A config file is a few lines; a bigger one is not read (nor a FIFO or a device)."""


def config_file() -> str:
    """The TOML config file: ``$NUNET_ONBOARD_CONFIG`` or the user config directory."""
    explicit = os.environ.get(CONFIG_ENV)
    if explicit:
        return os.path.normpath(os.path.expanduser(explicit))
    plain = _plain_xdg_dir("XDG_CONFIG_HOME", ".config")
    if plain is not None:
        return os.path.join(plain, "config.toml")
    from platformdirs import user_config_dir

    return os.path.join(os.path.normpath(user_config_dir(APP_NAME)), "config.toml")


def read_config_file(path: str | None = None) -> dict[str, Any]:
    """The config file's table, or {} when there is none; a broken file is an error.

    A file named by ``$NUNET_ONBOARD_CONFIG`` must exist (a typo there must not
    quietly mean "the defaults"); one in the default place may be absent. A
    UTF-8 byte-order mark, which some editors write, is skipped. The file is read
    without waiting on a FIFO and up to ``MAX_CONFIG_BYTES`` (``safe_read``), and
    parsed within bounds (``bounded_toml``): every way it can be wrong is a
    ValueError naming it, never a hang, a traceback or memory run out.
    """
    path = path or config_file()
    try:
        os.stat(path)
    except OSError as exc:  # absent is the usual case; it spares status the tomllib import
        if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.ELOOP):
            return _missing(path)
        # e.g. a parent directory we may not enter
        raise ValueError(f"the config file {path} cannot be read: {exc.strerror}") from exc
    from app.bounded_toml import TomlRefused, loads
    from app.safe_read import Refused, read_file

    try:
        raw = read_file(path, MAX_CONFIG_BYTES, what="the config file", follow=True)
        return loads(raw.decode("utf-8-sig"))
    except FileNotFoundError:
        return _missing(path)
    except Refused as exc:  # a FIFO, a device, a directory, a file over the cap
        raise ValueError(str(exc)) from None
    except (OSError, UnicodeDecodeError, TomlRefused) as exc:
        raise ValueError(f"the config file {path} cannot be read: {exc}") from exc


def _missing(path: str) -> dict[str, Any]:
    if os.environ.get(CONFIG_ENV):
        raise ValueError(
            f"{CONFIG_ENV} names the config file {path}, which does not exist; "
            f"correct the path, or unset {CONFIG_ENV} to use the default place"
        )
    return {}


def default_state_dir() -> str:
    plain = _plain_xdg_dir("XDG_DATA_HOME", ".local/share")
    if plain is not None:
        return plain
    from platformdirs import user_data_dir

    return os.path.normpath(user_data_dir(APP_NAME))


def _plain_xdg_dir(variable: str, under_home: str) -> str | None:
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
    return os.path.normpath(os.path.join(home, under_home, APP_NAME))


def resolve_state_dir(
    cli_value: str | os.PathLike[str] | None = None, table: dict[str, Any] | None = None
) -> str:
    """The state directory, absolute: every command and the app take it from here.

    The first set of ``--state-dir``, ``$NUNET_ONBOARD_STATE_DIR`` and ``state_dir``
    in the config file, where an empty value is not set; else the default. ``~`` is
    the home directory, and a relative path is taken from the current directory
    now, so that all agree; the answer is normalised (``os.path.normpath``). A value that cannot be used raises ValueError naming
    the flag, variable or key it came from. ``table`` is the config file's, when the
    caller has read it already (the settings do: the file is then read once).
    """
    if cli_value is not None and os.fspath(cli_value) != "":
        return _directory(os.fspath(cli_value), "--state-dir")
    env = os.environ.get(STATE_DIR_ENV)
    if env:
        return _directory(env, STATE_DIR_ENV)
    configured = (read_config_file() if table is None else table).get("state_dir")
    if configured is not None and configured != "":
        where = f"state_dir in {config_file()}"
        if not isinstance(configured, str):
            raise ValueError(
                f"{where} is {repr(configured)[:40]}; give a directory as quoted text, "
                'e.g. state_dir = "/var/lib/nunet-onboard"'
            )
        return _directory(configured, where)
    return default_state_dir()


def _directory(text: str, where: str) -> str:
    """``text`` as an absolute directory; ValueError naming ``where`` when it cannot be."""
    path = os.path.expanduser(text)
    if path.startswith("~"):  # "~user" with no such user, or "~" with no home to be found
        user = text[1:].replace(os.sep, "/").split("/", 1)[0]
        why = f"there is no user {user!r}" if user else "the home directory is not known"
        raise ValueError(
            f"{where} is {text[:40]!r}, and '~{user}' cannot be expanded: {why}; "
            "give the directory as an absolute path"
        ) from None
    if os.path.isabs(path):
        return os.path.normpath(path)
    try:
        return os.path.normpath(os.path.join(os.getcwd(), path))
    except OSError as exc:
        raise ValueError(
            f"{where} is the relative path {text[:40]!r}, and the current directory "
            f"cannot be found ({exc.strerror}); give an absolute path"
        ) from None


def make_private_dirs(directory: str | os.PathLike[str]) -> None:
    """Create ``directory`` and every missing parent 0700, whatever the umask.

    ``os.makedirs(mode=0o700)`` (and ``Path.mkdir(parents=True)``) give the parents
    the umask's mode: 0777 under ``umask 000``, a world-writable directory above a
    state directory or a wallet's key files. Each level is made here 0700 instead
    (``mkdir``'s mode is cut by the umask, never widened). Raises ``OSError``.
    """
    path = os.path.abspath(os.fspath(directory))
    missing = []
    while not os.path.exists(path):  # a file in the way: mkdir below says ENOTDIR
        missing.append(path)
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    for path in reversed(missing):
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            if not os.path.isdir(path):
                raise


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
