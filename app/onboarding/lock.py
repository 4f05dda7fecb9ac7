"""The cross-process write lock: waited for a bounded time, cancellable, holder named.

A plain blocking ``flock`` hung every writer forever behind a process that was
stopped while holding it (SIGSTOP, a hung NFS mount), and a thread blocked in it
cannot be told to give up, so the app could neither quit nor forget an operation
the user had cancelled. Here the lock is polled with ``LOCK_NB`` and short sleeps
until a deadline or a cancel ``threading.Event``; the holder writes its pid and
command name into the lock file so that the one who gives up can say who held it.

Only the program name and the subcommand are written, never the whole command
line: a user may have typed something secret into argv by mistake.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from app.onboarding.refusals import LockCancelled, LockTimeout

if TYPE_CHECKING:
    from app.onboarding.errors import StrPath

POLL_S = 0.05
_HOLDER_MAX = 200
_WORD = re.compile(r"^[a-z][a-z-]{0,30}$")


def holder_line() -> str:
    """``pid program [subcommand]``: who we are, without any argument's value."""
    program = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"
    if program in ("__main__.py", "-c", ""):
        program = "nunet-onboard"
    words = [program[:40]]
    command = next((a for a in sys.argv[1:] if not a.startswith("-")), None)
    if command and _WORD.match(command):
        words.append(command)
    return f"{os.getpid()} {' '.join(words)}"


def read_holder(fd: int) -> str | None:
    """What the holder wrote, cut short and checked: "process 1234 (nunet-onboard status)"."""
    try:
        raw = os.pread(fd, _HOLDER_MAX, 0)
    except OSError:
        return None
    text = raw.decode("ascii", errors="replace").strip().splitlines()
    if not text:
        return None
    pid, _, command = text[0].partition(" ")
    if not pid.isdigit():
        return None
    command = "".join(c for c in command if c.isprintable())[:60]
    return f"process {pid} ({command})" if command else f"process {pid}"


def _wait(fd: int, timeout_s: float, cancel: threading.Event | None) -> bool:
    """True once the lock is ours; False at the deadline. Raises LockCancelled."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
        if cancel is not None and cancel.is_set():
            raise LockCancelled()
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        if cancel is not None:
            cancel.wait(min(POLL_S, left))
        else:
            time.sleep(min(POLL_S, left))


@contextlib.contextmanager
def hold(
    fd: int, lock_path: StrPath, timeout_s: float, cancel: threading.Event | None = None
) -> Iterator[None]:
    """Hold ``flock`` on ``fd`` (an open lock file) for the ``with`` block.

    Raises ``LockTimeout`` naming the holder after ``timeout_s`` seconds, and
    ``LockCancelled`` as soon as ``cancel`` is set; in both cases nothing ran.
    """
    if not _wait(fd, timeout_s, cancel):
        raise LockTimeout(lock_path, timeout_s, read_holder(fd))
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.pwrite(fd, (holder_line() + "\n").encode("ascii", errors="replace"), 0)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)  # the next waiter must not name us once we are gone


_DEFERRED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@contextlib.contextmanager
def deferred_signals() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP back for a few milliseconds of writing.

    A signal that arrives meanwhile is delivered when the block ends, so a
    process stopped by one leaves the old state or the new one, never a node key
    without its metadata. Only the main thread can defer them (elsewhere, signals
    go to the main thread, which does not stop a worker mid-write anyway).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
