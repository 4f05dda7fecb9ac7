"""SIGTERM and SIGHUP end the app as quitting does: the terminal is given back.

Python's default for both signals kills the process at once, so Textual never
leaves the alternate screen, never turns mouse reporting off and never shows
the cursor again: the shell prompt is drawn over the old screen and the
terminal needs ``reset``. Handled instead, they ask the app to exit with the
usual codes (128 + the signal's number), and Textual's normal shutdown restores
the terminal. State writes are atomic (temp file, fsync, rename), so an exit at
any moment leaves the old or the new state.

That shutdown is bounded. When the terminal hangs up (the SSH connection or the
tmux server goes), Textual's output thread can die on the dead terminal while its
bounded queue is full, and the shutdown then waits on that queue for ever
(Textualize/textual#6692): about one start in four killed right after its first
frame was left running with no terminal. So the handlers are Python's own
(``signal.signal``: they run even while the event loop is blocked), and a watchdog
thread ends the process ``GRACE_S`` after the signal if it is still there.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from types import FrameType

    from textual.app import App

EXIT_CODES = {signal.SIGTERM: 128 + signal.SIGTERM, signal.SIGHUP: 128 + signal.SIGHUP}
"""143 for SIGTERM (``kill``, ``systemctl stop``), 129 for SIGHUP (the SSH connection dropped)."""

GRACE_S = 5.0
"""How long the normal shutdown may take after a signal before the process ends anyway."""


class _Watchdog:
    """A daemon thread that ends the process ``grace_s`` after ``arm``, unless it ended.

    Started before any signal, so that the handler only sets an event: a handler may
    interrupt the main thread anywhere, even where starting a thread would deadlock.
    """

    def __init__(self, grace_s: float) -> None:
        self._armed = threading.Event()
        self._code = 1
        self._grace_s = grace_s
        threading.Thread(target=self._run, name="signal-watchdog", daemon=True).start()

    def arm(self, code: int) -> None:
        if not self._armed.is_set():
            self._code = code
            self._armed.set()

    def _run(self) -> None:
        self._armed.wait()
        time.sleep(self._grace_s)
        os._exit(self._code)  # the shutdown is stuck; the state needs nothing more


def exit_on_signals(app: App[Any], grace_s: float = GRACE_S) -> None:
    """Install the handlers for the app running on this thread's event loop.

    Not in a headless app (Pilot tests): it has no terminal to give back, and
    its loop belongs to the test process.
    """
    if app.is_headless:
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    if threading.current_thread() is not threading.main_thread():
        return  # tests run the app in-process: nothing to give back, no handler allowed
    watchdog = _Watchdog(grace_s)

    def handler(signum: int, _frame: FrameType | None) -> None:
        code = EXIT_CODES[signal.Signals(signum)]
        watchdog.arm(code)
        with contextlib.suppress(RuntimeError):  # a closed loop: the app is ending already
            loop.call_soon_threadsafe(_exit, app, code)

    for sig in EXIT_CODES:
        signal.signal(sig, handler)


def _exit(app: App[Any], code: int) -> None:
    app.exit(return_code=code)
