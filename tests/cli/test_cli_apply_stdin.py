"""``apply -`` when stdin is closed (``<&-``): one usage line, exit 2, before anything is
loaded or written (not even the log). At a terminal, where the read would wait in
silence, a line first says how to end the offer, and what is typed is read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.helpers import REPO, main_cli
from tests.pty_child import PtyChild

HINT = "give the offer on stdin (nunet-onboard apply - < offer.toml) or as a FILE"
CLOSED = f"nunet-onboard: error: stdin is closed; {HINT}\n"


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


def test_apply_dash_at_a_terminal_says_how_to_end_the_offer_and_reads_it(tmp_path: Path) -> None:
    """A person who types ``nunet-onboard apply -`` at a prompt is told at once what the
    command waits for, rather than facing a silent cursor; what they paste is read."""
    state = tmp_path / "state"
    child = PtyChild("apply", "-", "--check", "--state-dir", str(state))
    try:
        child.expect(rb"then Ctrl-D on a line of its own", timeout=20)
        child.send('state = "offboarded"\n')
        child.send("\x04")  # end of input, on a line of its own
        code = child.wait(timeout=20)
    finally:
        child.close()
    assert code == 0
    assert "No change: this node is as the file says." in bytes(child.output).decode()
    assert not state.exists()  # a check writes nothing
