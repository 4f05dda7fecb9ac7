"""Writing a file so that a crash at any instant leaves the old one or the new one.

A temporary file in the same directory (mkstemp: 0600, O_EXCL), fsync, rename
over the target, then an fsync of the directory so the rename itself is durable.
The state file and DMS's metadataV2.json are written this way. Paths may be str
or Path; the module works in str, as everything on ``status``'s path does.
"""

from __future__ import annotations

import contextlib
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from app.onboarding.errors import StrPath


def write_atomically(target: StrPath, data: bytes) -> None:
    """Replace ``target`` with ``data`` atomically and durably; raises ``OSError``."""
    import tempfile  # writers only: status reads, and tempfile pulls in random

    directory, name = os.path.split(os.fspath(target))
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:  # mkstemp creates it 0600
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(directory)


def fsync_dir(directory: StrPath) -> None:
    """Make the directory's entries (a rename, an unlink) durable."""
    dir_fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def copy_aside(source: StrPath, name_for: Callable[[str], str]) -> str:
    """Copy the regular file ``source`` whole, a megabyte at a time (never all in
    memory), to ``name_for(digest)``, the first 12 hex digits of its SHA-256: one copy
    per distinct content. Returns that name; an existing one is left as it is.
    The source is never opened through a link, nor waited on; raises ``OSError``."""
    import hashlib
    import stat
    import tempfile

    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    src = os.open(source, flags)
    try:
        if not stat.S_ISREG(os.fstat(src).st_mode):
            raise OSError(f"{os.fspath(source)} is not a regular file")
        directory, name = os.path.split(os.fspath(source))
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.unreadable-", suffix=".tmp", dir=directory)
        try:
            digest = hashlib.sha256()
            with os.fdopen(fd, "wb") as out:
                while chunk := os.read(src, 1 << 20):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            target = name_for(digest.hexdigest()[:12])
            if not os.path.lexists(target):
                os.replace(tmp, target)
                fsync_dir(directory)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return target
    finally:
        os.close(src)


def keep_aside(path: str, raw: bytes | None = None) -> str | None:
    """Copy the unreadable file ``path`` beside it as ``<name>.unreadable-<digest>``, once
    per distinct content: ``raw`` (what was read of it), or with None the file itself,
    whole (``copy_aside``: ``offboard --force`` removes the original next, so a copy
    cut at the read cap would lose the rest). The copy's path; None where none could
    be made, or where something else holds its name."""
    import hashlib  # only for a broken file: status's fast path does not pay for it

    directory, name = os.path.split(path)

    def named(digest: str) -> str:
        return os.path.join(directory, f"{name}.unreadable-{digest}")

    try:
        if raw is None:
            target = copy_aside(path, named)
        else:
            target = named(hashlib.sha256(raw).hexdigest()[:12])
            if not os.path.lexists(target):
                write_atomically(target, raw)
    except OSError:
        return None
    return target if os.path.isfile(target) and not os.path.islink(target) else None
