"""``apply -`` when stdin holds no offer to read: closed (``<&-``), or a terminal, where
the read would wait, silently, for a whole offer and Ctrl-D. Each is one usage line,
exit 2, before anything is loaded or written (not even the log)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.helpers import REPO, main_cli
from tests.pty_child import PtyChild

HINT = "give the offer on stdin (nunet-onboard apply - < offer.toml) or as a FILE"
CLOSED = f"nunet-onboard: error: stdin is closed; {HINT}\n"
TERMINAL = f"nunet-onboard: error: stdin is a terminal; {HINT}\n"


def test_apply_with_stdin_closed_says_so_in_one_line(tmp_path: Path) -> None:
    """What a shell does with ``nunet-onboard apply - <&-``: Python starts with
    ``sys.stdin`` None."""
    state = tmp_path / "state"
    result = subprocess.run(
        ["sh", "-c", 'exec "$0" -m app apply - --json --state-dir "$1" <&-', sys.executable, state],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout, result.stderr) == (2, "", CLOSED)
    assert not state.exists()  # no log file, no state directory


@pytest.mark.parametrize(
    "line",
    [
        ("apply", "-", "--check", "--state-dir"),  # read without argparse (quick.py)
        ("apply", "--check", "-", "--state"),  # an abbreviation: read by argparse
    ],
)
def test_apply_with_stdin_closed_in_this_process(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    line: tuple[str, ...],
) -> None:
    monkeypatch.setattr(sys, "stdin", None)
    state = tmp_path / "state"
    assert main_cli(capsys, *line, str(state)) == (2, "", CLOSED)
    assert not state.exists()


def test_apply_dash_at_a_terminal_says_so_instead_of_waiting(tmp_path: Path) -> None:
    """A person who types ``nunet-onboard apply -`` at a prompt gets the usage line at
    once, not a cursor that waits for an offer to be typed."""
    state = tmp_path / "state"
    child = PtyChild("apply", "-", "--state-dir", str(state))
    try:
        code = child.wait(timeout=20)
    finally:
        child.close()
    assert code == 2
    assert bytes(child.output).decode() == TERMINAL.replace("\n", "\r\n")
    assert not state.exists()
