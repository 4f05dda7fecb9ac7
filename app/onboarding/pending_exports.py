"""Key files of a wallet that was never recorded are removed, even after a ``kill -9``.

An export writes the wallet's key files, shows its words, and only then records it.
A process killed in between leaves key files (for Cardano an unencrypted
``payment.skey``) of a wallet whose words no one may have seen and that
``wallet list`` does not name. So before the first key file is written, a note
goes into the state directory (``.wallet-pending-*.json``): the address, the
directories the export creates, and each file's path with the SHA-256 of the
content about to be written. The note is removed once the wallet is recorded (or
the export rolled back). The next wallet command finds a note whose writer is gone
(the writer holds an ``flock`` on it while it works; the kernel drops it with the
process) and, if that address is not recorded, removes the files that still hold
exactly what was written, then the directories if empty. A file changed since, or
any other file, is never touched.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.onboarding.errors import OnboardError
from app.safe_read import read_file

if TYPE_CHECKING:
    from collections.abc import Callable

    from app.onboarding.reader import StateReader

log = logging.getLogger("nunet_onboard.controller")

PREFIX = ".wallet-pending-"
SUFFIX = ".json"
MAX_NOTE_BYTES = 64 * 1024
FRESH_NOTE_S = 60.0
"""An empty note younger than this may be one an export has just made and not yet
locked (``mkstemp``, then ``flock``): it is left for a later command to remove."""


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class PendingExport:
    """The note of one export under way; ``with`` it around writing and recording."""

    def __init__(self, state_dir: str, address: str, dirs: list[Path]) -> None:
        self._note: dict[str, Any] = {
            "address": address,
            "dirs": [str(d) for d in dirs],  # innermost first
            "files": {},
        }
        fd, self.path = tempfile.mkstemp(prefix=PREFIX, suffix=SUFFIX, dir=state_dir)
        self._fd = fd
        fcntl.flock(fd, fcntl.LOCK_EX)  # mkstemp's file is new: no one else holds it
        self._write()

    def note_files(self, files: dict[Path, str]) -> None:
        """Add the files about to be written (``export.BeforeWrite``)."""
        self._note["files"] = {str(p): _digest(c.encode()) for p, c in files.items()}
        self._write()

    def _write(self) -> None:
        data = json.dumps(self._note).encode()
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, data, 0)
        os.fsync(self._fd)

    def __enter__(self) -> PendingExport:
        return self

    def __exit__(self, *exc: object) -> None:
        """Done either way: recorded, or rolled back by the caller."""
        with contextlib.suppress(OSError):
            os.unlink(self.path)
        os.close(self._fd)


def clean(state_dir: str, recorded: Callable[[str], bool]) -> list[str]:
    """Remove what dead exports of unrecorded wallets left; the files removed."""
    try:
        names = [n for n in os.listdir(state_dir) if n.startswith(PREFIX) and n.endswith(SUFFIX)]
    except OSError:
        return []
    removed: list[str] = []
    for name in sorted(names):
        with contextlib.suppress(OSError):
            removed += _clean_one(os.path.join(state_dir, name), recorded)
    return removed


def _clean_one(path: str, recorded: Callable[[str], bool]) -> list[str]:
    fd = os.open(path, os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return []  # its export is still under way
        raw = read_file(path, MAX_NOTE_BYTES, what="the export note", own=True)
        if not raw and time.time() - os.fstat(fd).st_mtime < FRESH_NOTE_S:
            return []  # made by mkstemp, not yet locked by its export: not ours to remove
        try:
            note = json.loads(raw)
        except ValueError:
            note = {}  # torn by a kill before any key file was written
        removed: list[str] = []
        if isinstance(note, dict) and not recorded(str(note.get("address", ""))):
            removed = _remove_unchanged(note.get("files") or {})
            for directory in note.get("dirs") or []:
                with contextlib.suppress(OSError):
                    os.rmdir(directory)  # only if empty
        os.unlink(path)
        return removed
    finally:
        os.close(fd)


def _remove_unchanged(files: dict[str, str]) -> list[str]:
    """Each file that still holds what the export wrote (a regular file, no link)."""
    removed = []
    for file, digest in files.items():
        try:
            content = read_file(str(file), MAX_NOTE_BYTES, what="a key file")
            if _digest(content) == digest:
                os.unlink(file)
                removed.append(str(file))
        except OSError:
            continue
    return removed


def clean_unrecorded(ctl: StateReader) -> None:
    """Remove the key files an interrupted export left of a wallet never recorded; run
    by each wallet operation before it makes its own."""

    def recorded(address: str) -> bool:
        try:
            return any(w.get("address") == address for w in ctl.wallets())
        except OnboardError:  # the state cannot be read: assume it is, remove nothing
            return True

    for path in clean(ctl.directory, recorded):
        log.warning(
            "removed %s: a key file of a wallet an interrupted export left unrecorded", path
        )
