"""The JSON state file: atomic, locked across processes, checked, and never silently lost.

Every write goes to a temporary file in the same directory, is fsynced, renamed
over ``state.json`` and the directory is fsynced, so a process killed at any
instant leaves either the old or the new file; temporary files a killed writer
left are removed by the next writer, under the lock. ``state.json`` is the one
commit point: the files derived from it are written before it (``before_commit``)
and removed after it (``after_commit``). Read-modify-write cycles
hold an ``flock`` on a lock file (``lock.py``: a bounded, cancellable wait that
names the holder), so the TUI and a CLI command can run at once without losing
an update. ``fcntl.flock`` is used directly rather than the filelock package:
filelock's import (it pulls asyncio) costs ~60 ms of ``status``'s 150 ms budget.

Every read checks the whole file's shape (``state_schema``), so a command can
trust what it reads. A file that does not parse, has the wrong shape or a schema
version we do not know is never overwritten: reading it raises ``StateCorrupt``
naming the bad field, after a copy has been kept aside. No file in the state
directory is opened through a symbolic link.

Paths are text (``str``), not ``pathlib.Path``, the lock's thread bookkeeping
uses ``_thread``, not ``threading``, and ``contextlib`` is imported by the writers:
``status`` reads through this store on every call, and those imports alone (pathlib
pulls in urllib.parse) cost it ~0.6x of a bare interpreter start. The controller
hands out ``Path``s to the app and tests.
"""

from __future__ import annotations

import _thread
import json
import os
import stat
import time

from app.onboarding.errors import StateCorrupt, StateError
from app.onboarding.metadata_v2 import FILE_NAME as METADATA_FILE
from app.onboarding.state_dir import describe_os_error, ensure_private_dir
from app.onboarding.state_schema import (
    SCHEMA_VERSION,
    ShapeError,
    _depth_over,
    _too_deep,
    check_state,
)
from app.safe_read import Refused, TooLarge, read_file

TYPE_CHECKING = False
if TYPE_CHECKING:
    import threading
    from collections.abc import Callable, Iterator
    from contextlib import AbstractContextManager
    from typing import Any, TypeAlias

    from app.onboarding.errors import StrPath

__all__ = ["SCHEMA_VERSION", "LockUnavailable", "State", "StateStore", "empty_state"]

STATE_FILE = "state.json"
LOCK_FILE = ".state.lock"
HISTORY_LIMIT = 50
MAX_STATE_BYTES = 8 * 1024 * 1024
"""Ours is a few KB; a bigger file is not ours, and is not read into memory whole."""
MAX_EXTRA_DEPTH = 32
STALE_TEMP_S = 60.0
"""A keep-aside temp file older than this is a leftover (state writes hold the lock)."""
OWN_FILES = (STATE_FILE, LOCK_FILE, "node.key")
TEMP_PREFIXES = (f".{STATE_FILE}.", f".{METADATA_FILE}.")
"""The temporary files of the files written under the lock (``write_atomically``'s names)."""

if TYPE_CHECKING:
    State: TypeAlias = dict[str, Any]
else:
    State = dict  # for importers at run time; mypy reads the alias above


class LockUnavailable(StateError):
    """The lock file cannot be opened (a read-only or foreign directory): no one can write."""


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


def _changes_since(state: State, base_revision: int) -> list[str]:
    """The history entries written after ``base_revision``, in a person's words."""
    changes = []
    for entry in state.get("history", []):
        if int(entry.get("revision") or 0) > base_revision:
            detail = f" ({entry['detail']})" if entry.get("detail") else ""
            changes.append(f"{entry.get('action')}{detail} at {entry.get('time')}")
    return changes


def _check_shape(data: Any) -> None:
    check_state(data)
    for key, value in data.items():
        if isinstance(value, dict | list) and _depth_over(value, MAX_EXTRA_DEPTH):
            raise ShapeError(f"{key}: nested more than {MAX_EXTRA_DEPTH} levels deep")


FORCE_HINT = " (or run 'nunet-onboard offboard --force', which leaves it and removes the rest)"
"""Said where a state file in the way is met, except by that forced offboard itself."""


class StateStore:
    """One state directory: ``state.json``, its lock, and files kept aside."""

    def __init__(self, state_dir: StrPath, *, lock_timeout_s: float | None = None) -> None:
        self.state_dir = os.fspath(state_dir)
        self.path = os.path.join(self.state_dir, STATE_FILE)
        self.lock_path = os.path.join(self.state_dir, LOCK_FILE)
        self.before_commit: Callable[[State, State], None] | None = None
        """Called with the old and the new state before ``update`` writes the new one,
        under the lock: the files derived from the state are written first, since
        ``state.json`` is the commit point. Raising a ``StateError`` writes nothing."""
        self.after_commit: Callable[[State], None] | None = None
        """Called with the new state once it is written, still under the lock: what
        the state no longer names is removed after it. Must not raise."""
        self.lock_timeout_s = lock_timeout_s
        self._cancel: threading.Event | None = None
        """Set to end the waits now under way; made by the first wait (a read never needs one)."""
        self._guard = _thread.allocate_lock()
        self._closed = False
        self._owner: int | None = None
        """The thread that holds the write lock: its nested holds just go on holding it."""

    # -- directory ---------------------------------------------------------
    def ensure_dir(self) -> None:
        """Create the directory 0700, or check an existing one (``state_dir.py``)."""
        ensure_private_dir(self.state_dir, OWN_FILES)

    # -- reading -----------------------------------------------------------
    def read(self) -> State:
        """The state, or an empty one when there is no file. Raises ``StateCorrupt``."""
        raw = self._read_raw()
        return empty_state() if raw is None else self._parse(raw)

    def _read_raw(self) -> bytes | None:
        """The file's bytes (``safe_read``: no FIFO wait, no link, ours, at most the cap)."""
        try:
            return read_file(self.path, MAX_STATE_BYTES, what="the state file", own=True)
        except FileNotFoundError:
            return None
        except TooLarge:
            reason = f"over {MAX_STATE_BYTES // (1024 * 1024)} MB, far more than any state"
            raise StateCorrupt(self.path, reason, self._keep_aside()) from None
        except Refused as exc:
            if exc.mode is not None and stat.S_ISDIR(exc.mode):
                raise StateError(
                    f"the state file {self.path} is a directory; move it away{FORCE_HINT}",
                    fix=f"move the directory {self.path} away",
                ) from None
            raise StateError(f"{exc}; move it away", fix=f"move {self.path} away") from None
        except OSError as exc:
            raise StateError(
                f"cannot read the state file: {describe_os_error(exc, self.path)}"
            ) from exc

    def _parse(self, raw: bytes) -> State:
        if _too_deep(raw, MAX_EXTRA_DEPTH + 8):
            raise StateCorrupt(self.path, "nested too deeply", self._keep_aside(raw))
        try:
            data = json.loads(raw)
        except UnicodeDecodeError:
            raise StateCorrupt(self.path, "not text", self._keep_aside(raw)) from None
        except json.JSONDecodeError as exc:
            raise StateCorrupt(self.path, f"not valid JSON: {exc}", self._keep_aside(raw)) from None
        except RecursionError:
            raise StateCorrupt(self.path, "nested too deeply", self._keep_aside(raw)) from None
        except ValueError as exc:  # e.g. an integer of more than 4300 digits
            reason = f"a value we cannot read: {str(exc)[:120]}"
            raise StateCorrupt(self.path, reason, self._keep_aside(raw)) from None
        try:
            _check_shape(data)
        except ShapeError as exc:
            raise StateCorrupt(self.path, str(exc), self._keep_aside(raw)) from None
        state = empty_state()
        state.update(data)
        return state

    def _keep_aside(self, raw: bytes | None = None) -> str | None:
        """Copy the unreadable file beside it, once per distinct content (``raw``: what
        was read; None: the file is over the cap and is copied whole, never read whole)."""
        from app.onboarding.atomic import keep_aside  # a broken file only

        return keep_aside(self.path, raw)

    # -- the lock ------------------------------------------------------------
    def cancel_waits(self, *, forever: bool = False) -> None:
        """End every wait for the lock now (LockCancelled); with ``forever``, later ones too.

        The app calls this when the user cancels or quits, so that an operation
        stuck behind another process's lock is dropped rather than run later.
        """
        with self._guard:
            self._closed = self._closed or forever
            old, self._cancel = self._cancel, None  # the next wait makes a fresh one
        if old is not None:
            old.set()

    def _cancel_event(self) -> threading.Event:
        """The event that ``cancel_waits`` sets for the waits under way; LockCancelled
        once it was called ``forever`` (checked under the same guard, so that a quit
        between the check and the wait cannot leave a wait no one will end)."""
        with self._guard:
            if self._closed:
                from app.onboarding.refusals import LockCancelled  # writers only

                raise LockCancelled()
            if self._cancel is None:
                import threading  # writers only: status never waits for the lock

                self._cancel = threading.Event()
            return self._cancel

    def _timeout(self) -> float:
        if self.lock_timeout_s is not None:
            return self.lock_timeout_s
        from app.paths import lock_timeout_s

        try:
            return lock_timeout_s()
        except ValueError as exc:
            raise StateError(str(exc), fix="fix the lock timeout setting") from None

    def locked(self) -> AbstractContextManager[None]:
        """Hold the cross-process write lock (re-entrant within one thread).

        Waits at most the lock timeout (``LockTimeout`` names the holder) and
        gives up as soon as ``cancel_waits`` is called (``LockCancelled``).
        """
        from contextlib import contextmanager  # writers only: status never locks

        return contextmanager(self._hold)()

    def _hold(self) -> Iterator[None]:
        me = _thread.get_ident()
        if self._owner == me:  # a nested hold: the outermost one releases the lock
            yield
            return
        cancel = self._cancel_event()
        self.ensure_dir()
        fd = self._open_lock()
        from app.onboarding import lock  # writers only: status reads without it (signal, fcntl)

        try:
            with lock.hold(fd, self.lock_path, self._timeout(), cancel):
                self._owner = me
                try:
                    yield
                finally:
                    self._owner = None
        finally:
            os.close(fd)  # closing releases the lock

    def _open_lock(self) -> int:
        """The lock file, opened for ``flock``; ``LockUnavailable`` when no one can use it."""
        from app.onboarding.settled import open_lock  # writers only

        try:
            return open_lock(self.lock_path)
        except StateError as exc:
            raise LockUnavailable(str(exc), fix=exc.fix) from exc

    # -- writing -----------------------------------------------------------
    def update(self, change: Callable[[State], None], *, base_revision: int | None = None) -> State:
        """Read, apply ``change``, check the shape, write atomically; all under the lock.

        Every write increments ``revision``. With ``base_revision`` (the revision
        the caller's read saw) a state changed since then raises ``StateChanged``
        naming what changed, and nothing is written. If ``change`` raises, nothing
        is written either. ``change`` gets a freshly parsed state, its own to change.
        """
        with self.locked():
            self._remove_stale_temp_files()
            state = self.read()
            revision = int(state.get("revision") or 0)
            self.check_base(state, base_revision)
            seen = len(state.get("history", []))
            old = json.loads(json.dumps(state))  # what ``change`` cannot touch
            change(state)
            state["schema_version"] = SCHEMA_VERSION
            state["revision"] = revision + 1
            for entry in state.get("history", [])[seen:]:
                entry.setdefault("revision", revision + 1)
            state["history"] = state.get("history", [])[-HISTORY_LIMIT:]
            self.write(state, old=old)
            return state

    @staticmethod
    def check_base(state: State, base_revision: int | None) -> None:
        """Raise ``StateChanged`` when ``state`` moved on since ``base_revision`` (if given)."""
        revision = int(state.get("revision") or 0)
        if base_revision is not None and revision != base_revision:
            from app.onboarding.refusals import StateChanged  # writers only

            raise StateChanged(base_revision, revision, _changes_since(state, base_revision))

    def write(self, state: State, *, old: State | None = None) -> None:
        """Commit ``state`` whole; a state of the wrong shape is refused, not written.

        The derived files go first (``before_commit``, given ``old``, the state it
        replaces), then ``state.json`` (the commit), then what the state no longer
        names goes (``after_commit``): a crash at any instant leaves the old state or
        the new one, and at most a derived file the next write mends.
        """
        try:
            _check_shape(state)
        except ShapeError as exc:
            raise StateError(f"refusing to write a state of the wrong shape: {exc}") from None
        data = json.dumps(state, indent=2, sort_keys=False).encode() + b"\n"
        old = empty_state() if old is None else old
        if self.before_commit is not None:
            self.before_commit(old, state)
        try:
            self._write_bytes_atomically(self.path, data)
        except OSError as exc:
            self._put_back(old, state)
            raise StateError(
                f"cannot write the state file: {describe_os_error(exc, self.path)}; "
                "nothing was changed"
            ) from exc
        if self.after_commit is not None:
            self.after_commit(state)

    def _put_back(self, old: State, new: State) -> None:
        """After a failed commit, the derived files as ``old`` has them (best effort:
        what is left is a leftover that the next write mends)."""
        from contextlib import suppress  # writers only

        with suppress(OSError, StateError):
            if self.before_commit is not None:
                self.before_commit(new, old)
            if self.after_commit is not None:
                self.after_commit(old)

    def held_here(self) -> bool:
        """True when this thread holds the write lock (a reader must not wait for it)."""
        return self._owner == _thread.get_ident()

    def _write_bytes_atomically(self, target: str, data: bytes) -> None:
        from app.onboarding.atomic import write_atomically  # writers only

        write_atomically(target, data)

    def _fsync_dir(self) -> None:
        from app.onboarding.atomic import fsync_dir

        fsync_dir(self.state_dir)

    def remove_state_file(self) -> None:
        """Remove ``state.json`` (offboard --force after a corrupt file was kept aside)."""
        from contextlib import suppress  # writers only: status does not load contextlib

        with suppress(FileNotFoundError):
            os.unlink(self.path)
        self._fsync_dir()

    # -- leftovers of killed writers --------------------------------------------
    def leftover_temp_files(self, *, older_than_s: float = 0.0) -> list[str]:
        """Temporary files a killed writer left (``older_than_s``: spare one being written):
        ``.state.json.*.tmp`` and ``.metadataV2.json.*.tmp``, the names ``write_atomically``
        gives them (both are written under the lock)."""
        now = time.time()
        found = []
        try:
            names = os.listdir(self.state_dir)
        except OSError:
            return []
        suffix = ".tmp"
        for name in names:
            prefix = next((p for p in TEMP_PREFIXES if name.startswith(p)), None)
            if prefix is None or len(name) < len(prefix + suffix) or not name.endswith(suffix):
                continue
            path = os.path.join(self.state_dir, name)
            try:
                age = now - os.lstat(path).st_mtime
            except OSError:
                continue
            if age >= older_than_s:
                found.append(path)
        return sorted(found)

    def _remove_stale_temp_files(self) -> None:
        """Under the lock: a state temp file is a dead writer's; a keep-aside one, once old."""
        for path in self.leftover_temp_files():
            keep_aside = os.path.basename(path).startswith(f".{STATE_FILE}.unreadable-")
            try:
                if not keep_aside or time.time() - os.lstat(path).st_mtime > STALE_TEMP_S:
                    os.unlink(path)
            except OSError:
                pass
