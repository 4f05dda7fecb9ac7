"""The real app in a real terminal (tmux, 80x24): keys sent together, colour codes, the fold.

What Pilot cannot show: two keys in one read of the terminal (``send-keys`` with
both), what reaches the terminal byte for byte (``capture-pane -e``), and the exit
code and stderr once the terminal is given back. Every wait is bounded; without
tmux the tests are skipped.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

STARTED_WITHIN_S = 20.0
"""The first frame, on a loaded CI machine; a bound against hangs, not a speed test."""


@dataclass
class Terminal:
    session: str
    socket: str
    done: Path

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=10
        ).stdout

    def send(self, *keys: str) -> None:
        """The keys in one ``send-keys``: one write, as a paste or a laggy link delivers them."""
        self.tmux("send-keys", "-t", self.session, *keys)

    def type_text(self, text: str) -> None:
        self.tmux("send-keys", "-t", self.session, "-l", text)

    def screen(self, *, escapes: bool = False) -> str:
        return self.tmux("capture-pane", "-p", *(["-e"] if escapes else []), "-t", self.session)

    def wait_for(self, seen: Callable[[str], bool], within: float = 10.0) -> str:
        deadline = time.monotonic() + within
        while True:
            text = self.screen()
            if seen(text):
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"not seen within {within} s; the screen:\n{text}")
            time.sleep(0.1)

    def exit_code(self, within: float = 10.0) -> tuple[int, str]:
        """The app's exit code and the terminal once it ended (stderr shows there: Textual
        draws on stderr, so it cannot be sent elsewhere without the app)."""
        deadline = time.monotonic() + within
        while not (self.done / "rc").exists():
            if time.monotonic() > deadline:
                raise AssertionError(f"still running after {within} s:\n{self.screen()}")
            time.sleep(0.1)
        time.sleep(0.1)
        return int((self.done / "rc").read_text()), self.screen().strip()


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Callable[..., Terminal]]:
    sockets: list[str] = []

    def start(*, width: int = 80, height: int = 24, env: dict[str, str] | None = None) -> Terminal:
        state = tmp_path / "state"
        state.mkdir(mode=0o700, exist_ok=True)
        socket = f"nunet-test-{uuid.uuid4().hex[:8]}"
        sockets.append(socket)
        done = tmp_path / socket
        done.mkdir()
        exports = " ".join(f"{k}={v}" for k, v in (env or {}).items())
        command = (
            f"env TERM=xterm-256color {exports} {Path(sys.executable).parent / 'nunet-onboard'} "
            f"--state-dir {state}; echo $? >{done}/rc; sleep 60"
        )
        term = Terminal("app", socket, done)
        tmux = ["tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", "app"]
        subprocess.run(
            [*tmux, "-x", str(width), "-y", str(height), "-c", os.getcwd(), command],
            check=True,
            timeout=10,
        )
        term.wait_for(lambda s: "Usage, last minute" in s and "probing" not in s, STARTED_WITHIN_S)
        time.sleep(0.3)
        return term

    yield start
    for socket in sockets:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, timeout=10)


def test_two_keys_sent_together_never_crash(terminal: Callable[..., Terminal]) -> None:
    term = terminal()
    term.send("q", "x")
    time.sleep(1.0)
    screen = term.screen()
    assert "Traceback" not in screen and "Offboard this machine" not in screen
    term.send("q")
    assert term.exit_code() == (0, "")  # the terminal as it was: empty


@pytest.mark.parametrize("second", ["x", "a", "w", "s", "?"])
def test_a_key_after_quit_does_nothing(terminal: Callable[..., Terminal], second: str) -> None:
    """``q``, then a screen key before the app has gone: it exits, cleanly, with 0."""
    term = terminal()
    term.send("q")
    time.sleep(0.03)
    term.send(second)
    code, stderr = term.exit_code()
    assert (code, stderr) == (0, "")


def test_a_pasted_address_is_not_screen_keys(terminal: Callable[..., Terminal]) -> None:
    term = terminal()
    term.type_text("addr1qx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer3n0d3vllmyqwsx5wkt")
    screen = term.wait_for(lambda s: "typed text ignored" in s)
    assert "Overview" in screen.splitlines()[0]
    assert "Offboard this machine" not in screen
    term.type_text("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
    time.sleep(1.0)
    screen = term.screen()
    assert "Overview" in screen.splitlines()[0] and "Offboard this machine" not in screen
    assert not (term.done / "rc").exists()  # still running


SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def colour_codes(text: str) -> list[str]:
    """The SGR sequences that set a colour (30-38, 40-48, 90-107; 39 and 49 are the
    terminal's own default, which is no colour)."""
    found = []
    for params in SGR.findall(text):
        for part in re.split(r"[;:]", params):
            if (
                part
                and part not in ("39", "49")
                and (30 <= int(part) <= 49 or 90 <= int(part) <= 107)
            ):
                found.append(params)
                break
    return found


def test_no_color_sends_no_colour_codes(terminal: Callable[..., Terminal]) -> None:
    term = terminal(env={"NO_COLOR": "1"})
    for keys in ((), ("a",), ("tab",), ("x",)):
        if keys:
            term.send(*keys)
            time.sleep(0.8)
        assert colour_codes(term.screen(escapes=True)) == []
    screen = term.screen(escapes=True)
    # The text drawn right after each SGR that turns reverse on.
    reversed_text = [
        text
        for params, text in re.findall(r"\x1b\[([0-9;:]*)m([^\x1b]*)", screen)
        if "7" in re.split(r"[;:]", params)
    ]
    assert any("Cancel" in t for t in reversed_text)  # the focus in the dialog is reverse
    assert not any("keeps" in t for t in reversed_text)  # and nothing else's text is


CRASHING_APP = """
import sys
from app.onboarding.controller import OnboardingController
from app.tui.app import NunetOnboardApp

class Crashing(NunetOnboardApp):
    def on_ready(self) -> None:
        raise RuntimeError("a bug that ends the app")

app = Crashing(OnboardingController(sys.argv[1]))
app.run()
sys.exit(app.return_code or 0)  # as app.tui.run gives it to the command line
"""


def test_an_error_that_ends_the_app_is_one_line_and_exit_1(tmp_path: Path) -> None:
    """The terminal is given back (the alternate screen left), then one line, never a
    traceback, and a non-zero exit code."""
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    script = tmp_path / "crashing.py"
    script.write_text(CRASHING_APP)
    socket = f"nunet-test-{uuid.uuid4().hex[:8]}"
    term = Terminal("app", socket, tmp_path)
    tmux = ["tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", "app"]
    command = f"env TERM=xterm-256color {sys.executable} {script} {state}; echo $? >{tmp_path}/rc; sleep 60"
    try:
        subprocess.run([*tmux, "-x", "80", "-y", "24", "-c", os.getcwd(), command], timeout=10)
        code, screen = term.exit_code(within=STARTED_WITHIN_S)
        assert code == 1
        assert screen.splitlines() == [
            "nunet-onboard stopped: unexpected error (RuntimeError): a bug that ends the app"
        ]
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, timeout=10)
