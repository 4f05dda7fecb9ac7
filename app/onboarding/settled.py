"""Reading the files of the state directory as one whole, and opening the lock for writers.

``state.json`` is the one commit point: a writer writes the node key and
metadataV2.json before it and removes them after it, all under the write lock. A
reader that takes no lock can still meet a write in the middle: it reads the old
state, then finds the key already removed by an offboard that committed meanwhile.
So a reader that finds the files out of step with the state looks again while it
holds the lock shared (``settled``): no writer is between two steps then, and what
is still out of step was left by a writer that was killed (mended by the next
write) or by a hand. The first look takes no lock, so the common case costs nothing.

``status`` imports it only when it found the files out of step (rare), and writers
when they open the lock.
"""

from __future__ import annotations

import os
import stat
import time
from typing import TYPE_CHECKING

from app.onboarding.errors import StateError
from app.onboarding.state_dir import lock_file_problem

if TYPE_CHECKING:
    from collections.abc import Iterator
    from contextlib import AbstractContextManager

SETTLE_WAIT_S = 5.0
"""How long a reader waits for a writer to finish; writers hold the lock for milliseconds."""
_POLL_S = 0.02


def open_lock(lock_path: str) -> int:
    """The lock file opened for writers' ``flock`` (made 0600 when absent), never through a
    link; ``StateError`` saying what to do when it cannot be used."""
    from app.onboarding.state_dir import describe_os_error

    flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK
    try:
        fd = os.open(lock_path, flags, 0o600)
    except OSError as exc:
        problem = lock_file_problem(lock_path)
        if problem is not None:
            raise problem from exc
        raise StateError(
            f"cannot write in the state directory: {describe_os_error(exc, lock_path)}"
        ) from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # a FIFO or a device: not a lock
        os.close(fd)
        raise lock_file_problem(lock_path) or StateError(f"{lock_path} is not a file")
    return fd


def settled(lock_path: str, wait_s: float = SETTLE_WAIT_S) -> AbstractContextManager[bool]:
    """Hold the write lock shared for a second look; yields whether it is held.

    Waits at most ``wait_s`` for a writer to finish. A lock file that is missing (no
    writer ever ran), unusable, or not ours to open yields False: the caller looks
    again anyway. Never raises for the lock itself.
    """
    from contextlib import contextmanager  # only on the second look

    return contextmanager(_settled)(lock_path, wait_s)


def _settled(lock_path: str, wait_s: float) -> Iterator[bool]:
    try:
        fd = os.open(lock_path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        yield False
        return
    try:
        held = stat.S_ISREG(os.fstat(fd).st_mode) and _wait_shared(fd, wait_s)
        yield held
    finally:
        os.close(fd)  # closing releases the shared lock


def _wait_shared(fd: int, wait_s: float) -> bool:
    import fcntl

    deadline = time.monotonic() + wait_s
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            pass
        except OSError:
            return False
        if time.monotonic() >= deadline:
            return False
        time.sleep(_POLL_S)
