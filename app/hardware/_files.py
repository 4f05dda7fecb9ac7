"""Small readers for kernel pseudo-files, and the path helpers the probes share.

/proc and /sys files vanish, deny access or hold garbage inside containers; every
reader here turns that into ``None`` so the probes can say *which* fact is missing
instead of raising.

Paths are ``str``, not ``pathlib.Path``: ``status`` probes the machine on every call and
must not import pathlib (with urllib.parse, ipaddress and fnmatch it is ~0.4x of a bare
interpreter start). The helpers below keep pathlib's results: the same spelling of a
path, the same parents, and the same errors from ``exists()``/``is_dir()``.
"""

from __future__ import annotations

import errno
import os
import stat

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import TypeAlias

    StrPath: TypeAlias = "str | os.PathLike[str]"
    """A path as the probes take it: tests pass ``pathlib.Path`` trees, status ``str``."""

# What pathlib's exists() and is_dir() take for "not there" (Python 3.11 and 3.12):
# any other error (a directory we may not search, a name too long) is raised.
_NOT_THERE = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP})


def clean(path: StrPath) -> str:
    """`path` as ``str(Path(path))`` spells it: no empty or "." parts, no trailing slash.

    ".." is kept, as pathlib keeps it: after a symbolic link it is not the parent.
    """
    text = os.fspath(path)
    if text.startswith("//") and not text.startswith("///"):
        root = "//"  # POSIX leaves two leading slashes to the system; pathlib keeps them
    else:
        root = "/" if text.startswith("/") else ""
    parts = [part for part in text.split("/") if part and part != "."]
    return root + "/".join(parts) if root or parts else "."


def parents(path: str) -> Iterator[str]:
    """The lexical ancestors of a clean `path`, nearest first (``Path(path).parents``)."""
    while True:
        parent = os.path.dirname(path) or "."
        if parent == path:
            return
        yield parent
        path = parent


def _stat(path: str) -> os.stat_result | None:
    """``os.stat``, or None where the path is not there (see ``_NOT_THERE``)."""
    try:
        return os.stat(path)
    except OSError as exc:
        if exc.errno not in _NOT_THERE:
            raise
        return None
    except ValueError:  # a NUL in the name
        return None


def exists(path: str) -> bool:
    """``Path(path).exists()``: False when missing; an unreadable path raises OSError."""
    return _stat(path) is not None


def is_dir(path: str) -> bool:
    """``Path(path).is_dir()``: False when missing; an unreadable path raises OSError."""
    found = _stat(path)
    return found is not None and stat.S_ISDIR(found.st_mode)


def is_file(path: str) -> bool:
    """``Path(path).is_file()``: False when missing; an unreadable path raises OSError."""
    found = _stat(path)
    return found is not None and stat.S_ISREG(found.st_mode)


def read_text(path: StrPath) -> str | None:
    """The file's text, or None when it cannot be read for any OS reason."""
    try:
        with open(path, encoding="utf-8", errors="replace") as file:
            return file.read()
    except (OSError, ValueError):
        return None


def read_first_line(path: StrPath) -> str | None:
    """The stripped first line (most /sys and cgroup files hold one value)."""
    text = read_text(path)
    if text is None:
        return None
    lines = text.strip().splitlines()
    return lines[0].strip() if lines else ""


def read_int(path: StrPath) -> int | None:
    """An integer file such as cpuinfo_max_freq; None when absent or not a number."""
    line = read_first_line(path)
    if line is None:
        return None
    try:
        return int(line)
    except ValueError:
        return None
