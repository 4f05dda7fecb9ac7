"""The JSON state file: atomic, locked across processes, and never silently lost.

Every write goes to a temporary file in the same directory, is fsynced, renamed
over ``state.json`` and the directory is fsynced, so a process killed at any
instant leaves either the old or the new file. Read-modify-write cycles hold an
``flock`` on a lock file, so the TUI and a CLI command can run at once without
losing an update. ``fcntl.flock`` is used directly rather than the filelock
package: the lock is one call here, and filelock's import (it pulls asyncio)
costs ~60 ms of ``status``'s 150 ms budget.

A file that does not parse, or has a schema version we do not know, is never
overwritten: reading it raises ``StateCorrupt`` after a copy has been kept aside.
"""

from __future__ import annotations

import contextlib
import copy
import errno
import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from app.onboarding.errors import StateChanged, StateCorrupt, StateError

SCHEMA_VERSION = 1
STATE_FILE = "state.json"
LOCK_FILE = ".state.lock"
HISTORY_LIMIT = 50

State = dict[str, Any]


def empty_state() -> State:
    return {
        "schema_version": SCHEMA_VERSION,
        "revision": 0,
        "offer": None,
        "metadata": None,
        "available_resources": None,
        "wallets": [],
        "history": [],
    }


def _describe_os_error(exc: OSError, path: Path) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"permission denied on {path}"
    if exc.errno == errno.EROFS:
        return f"{path} is on a read-only file system"
    if exc.errno == errno.ENOSPC:
        return f"no space left on the device that holds {path}"
    if exc.errno == errno.ENOTDIR:
        return f"{path} is not a directory"
    return f"{exc.strerror or exc} ({path})"


def _changes_since(state: State, base_revision: int) -> list[str]:
    """The history entries written after ``base_revision``, in a person's words."""
    changes = []
    for entry in state.get("history", []):
        if int(entry.get("revision") or 0) > base_revision:
            detail = f" ({entry['detail']})" if entry.get("detail") else ""
            changes.append(f"{entry.get('action')}{detail} at {entry.get('time')}")
    return changes


class StateStore:
    """One state directory: ``state.json``, its lock, and files kept aside."""

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = Path(state_dir)
        self.path = self.state_dir / STATE_FILE
        self.lock_path = self.state_dir / LOCK_FILE
        self.after_write: Callable[[State], None] | None = None
        """Called with the new state after each ``update``, still under the lock
        (the controller keeps metadataV2.json in step with it). Must not raise."""

    # -- directory ---------------------------------------------------------
    def ensure_dir(self) -> None:
        """Create the directory 0700 (and tighten an existing one we own)."""
        try:
            self.state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not self.state_dir.is_dir():
                raise StateError(f"the state directory {self.state_dir} is not a directory")
            st = self.state_dir.stat()
            if st.st_uid == os.getuid() and st.st_mode & 0o077:
                self.state_dir.chmod(0o700)
        except FileExistsError as exc:
            raise StateError(f"the state directory {self.state_dir} is not a directory") from exc
        except OSError as exc:
            raise StateError(
                f"cannot use the state directory: {_describe_os_error(exc, self.state_dir)}; "
                "choose another with --state-dir or NUNET_ONBOARD_STATE_DIR"
            ) from exc

    # -- reading -----------------------------------------------------------
    def exists(self) -> bool:
        return self.path.exists()

    def read(self) -> State:
        """The state, or an empty one when there is no file. Raises ``StateCorrupt``."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return empty_state()
        except IsADirectoryError as exc:
            raise StateError(f"the state file {self.path} is a directory") from exc
        except OSError as exc:
            raise StateError(
                f"cannot read the state file: {_describe_os_error(exc, self.path)}"
            ) from exc
        return self._parse(raw)

    def _parse(self, raw: bytes) -> State:
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            reason = (
                f"not valid JSON: {exc}" if isinstance(exc, json.JSONDecodeError) else "not text"
            )
            raise StateCorrupt(self.path, reason, self._keep_aside(raw)) from None
        if not isinstance(data, dict):
            raise StateCorrupt(self.path, "not a JSON object", self._keep_aside(raw))
        version = data.get("schema_version")
        if version != SCHEMA_VERSION:
            raise StateCorrupt(
                self.path,
                f"schema_version {version!r} is not one this version knows ({SCHEMA_VERSION}); "
                "it may come from a newer nunet-onboard",
                self._keep_aside(raw),
            )
        state = empty_state()
        state.update(data)
        return state

    def _keep_aside(self, raw: bytes) -> Path | None:
        """Copy an unreadable file beside it, once per distinct content."""
        digest = hashlib.sha256(raw).hexdigest()[:12]
        target = self.state_dir / f"{STATE_FILE}.unreadable-{digest}"
        if target.exists():
            return target
        try:
            self._write_bytes_atomically(target, raw)
        except OSError:
            return None
        return target

    # -- writing -----------------------------------------------------------
    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the cross-process write lock."""
        self.ensure_dir()
        try:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except OSError as exc:
            raise StateError(
                f"cannot write in the state directory: {_describe_os_error(exc, self.state_dir)}"
            ) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def update(self, change: Callable[[State], None], *, base_revision: int | None = None) -> State:
        """Read, apply ``change`` to a copy, write atomically; all under the lock.

        Every write increments ``revision``. With ``base_revision`` (the revision
        the caller's read saw) a state changed since then raises ``StateChanged``
        naming what changed, and nothing is written. If ``change`` raises, nothing
        is written either.
        """
        with self.locked():
            state = copy.deepcopy(self.read())
            revision = int(state.get("revision") or 0)
            if base_revision is not None and revision != base_revision:
                raise StateChanged(base_revision, revision, _changes_since(state, base_revision))
            seen = len(state.get("history", []))
            change(state)
            state["schema_version"] = SCHEMA_VERSION
            state["revision"] = revision + 1
            for entry in state.get("history", [])[seen:]:
                entry.setdefault("revision", revision + 1)
            state["history"] = state.get("history", [])[-HISTORY_LIMIT:]
            self.write(state)
            if self.after_write is not None:
                self.after_write(state)
            return state

    def write(self, state: State) -> None:
        data = json.dumps(state, indent=2, sort_keys=False).encode() + b"\n"
        try:
            self._write_bytes_atomically(self.path, data)
        except OSError as exc:
            raise StateError(
                f"cannot write the state file: {_describe_os_error(exc, self.path)}; "
                "nothing was changed"
            ) from exc

    def _write_bytes_atomically(self, target: Path, data: bytes) -> None:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=self.state_dir)
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
        self._fsync_dir()

    def _fsync_dir(self) -> None:
        dir_fd = os.open(self.state_dir, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def remove_state_file(self) -> None:
        """Remove ``state.json`` (offboard --force after a corrupt file was kept aside)."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        self._fsync_dir()

    def leftover_temp_files(self) -> list[Path]:
        return sorted(self.state_dir.glob(f".{STATE_FILE}.*.tmp"))
