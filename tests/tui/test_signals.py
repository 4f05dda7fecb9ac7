"""SIGTERM and SIGHUP end the real app in a real terminal and give the terminal back."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

from tests.conftest import HANG_S
from tests.pty_child import PtyChild

# (turned on, turned off): what a terminal needs undone before the shell's prompt
MODES = {
    "alternate screen": (b"\x1b[?1049h", b"\x1b[?1049l"),
    "mouse reporting": (b"\x1b[?1000h", b"\x1b[?1000l"),
    "all-motion mouse": (b"\x1b[?1003h", b"\x1b[?1003l"),
    "hidden cursor": (b"\x1b[?25l", b"\x1b[?25h"),
}


def left_on(output: bytes) -> list[str]:
    """The modes whose last switch in the output turned them on."""
    return [name for name, (on, off) in MODES.items() if output.rfind(on) > output.rfind(off)]


@pytest.mark.slow
@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_signal_ends_the_app_and_gives_the_terminal_back(
    tmp_path: Path, sig: signal.Signals, code: int
) -> None:
    state = tmp_path / "state"
    child = PtyChild("--state-dir", str(state))
    try:
        child.read_until(b"Onboarding")
        out = bytes(child.output)
        assert left_on(out), "the app never took the terminal over: nothing to check"
        time.sleep(0.3)
        os.kill(child.pid, sig)
        assert child.wait() == code
    finally:
        child.close()
    assert left_on(bytes(child.output)) == []
    assert b"Traceback" not in child.output
    # Nothing half-written: no temporary state file left, and any state file parses.
    assert not list(state.glob(".*.tmp"))
    if (state / "state.json").exists():
        json.loads((state / "state.json").read_text())


STUCK = """
import asyncio, os, signal, sys, threading, time
from app.tui.signals import exit_on_signals

class StuckApp:
    '''An app whose shutdown never ends, as Textual's does when its output thread
    died on a hung-up terminal and the bounded queue is full.'''
    is_headless = False

    def exit(self, return_code):
        time.sleep(60)

async def main():
    exit_on_signals(StuckApp(), grace_s=0.5)
    sig = {"SIGHUP": signal.SIGHUP, "SIGTERM": signal.SIGTERM}[sys.argv[1]]
    threading.Timer(0.3, os.kill, (os.getpid(), sig)).start()
    if sys.argv[2] == "blocked":
        time.sleep(60)  # the event loop itself stuck before the signal comes
    await asyncio.sleep(60)

asyncio.run(main())
"""


@pytest.mark.parametrize("loop", ["running", "blocked"])
@pytest.mark.parametrize(("sig", "code"), [("SIGHUP", 129), ("SIGTERM", 143)])
def test_a_shutdown_that_never_ends_is_ended_after_the_grace(
    loop: str, sig: str, code: int
) -> None:
    """The process goes, with the signal's code, however its shutdown is stuck, and
    even when the event loop is blocked when the signal comes."""
    import subprocess
    import sys

    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", STUCK, sig, loop], capture_output=True, text=True, timeout=30
    )
    assert (result.returncode, result.stderr) == (code, "")
    assert time.monotonic() - started < HANG_S  # the grace is 0.5 s; a start is ~1 s
