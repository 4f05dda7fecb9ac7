"""Writing a file so that a crash at any instant leaves the old one or the new one.

A temporary file in the same directory (mkstemp: 0600, O_EXCL), fsync, rename
over the target, then an fsync of the directory so the rename itself is durable.
The state file and DMS's metadataV2.json are written this way. Paths may be str
or Path; the module works in str, as everything on ``status``'s path does.
"""

from __future__ import annotations

import contextlib
import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing; mypy reads it as True
if TYPE_CHECKING:
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
