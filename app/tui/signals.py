"""SIGTERM and SIGHUP end the app as quitting does: the terminal is given back.

Python's default for both signals kills the process at once, so Textual never
leaves the alternate screen, never turns mouse reporting off and never shows
the cursor again: the shell prompt is drawn over the old screen and the
terminal needs ``reset``. Handled on the event loop instead, they ask the app
to exit with the usual codes (128 + the signal's number), and Textual's normal
shutdown restores the terminal. State writes are atomic (temp file, fsync,
rename), so an exit at any moment leaves the old or the new state.
"""

from __future__ import annotations

import asyncio
import signal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App

EXIT_CODES = {signal.SIGTERM: 128 + signal.SIGTERM, signal.SIGHUP: 128 + signal.SIGHUP}
"""143 for SIGTERM (``kill``, ``systemctl stop``), 129 for SIGHUP (the SSH connection dropped)."""


def exit_on_signals(app: App[Any]) -> None:
    """Install the handlers on the running loop (closing the loop removes them).

    Not in a headless app (Pilot tests): it has no terminal to give back, and
    its loop belongs to the test process.
    """
    if app.is_headless:
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    for sig, code in EXIT_CODES.items():
        try:
            loop.add_signal_handler(sig, _exit, app, code)
        except (NotImplementedError, RuntimeError, ValueError):
            return  # not the main thread (tests run the app in-process): nothing to give back


def _exit(app: App[Any], code: int) -> None:
    app.exit(return_code=code)
