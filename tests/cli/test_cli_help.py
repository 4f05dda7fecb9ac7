"""Every command's --help says what tests/cli/cli_help.txt lists, word for word.

The help is what a person reads before running a command: each flag, its metavar and
choices, what it does, the command's description and exit codes. In this process
(`app.cli.main`), on a terminal wide enough that no line wraps.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from tests.cli.helpers import main_cli

PHRASES = Path(__file__).with_name("cli_help.txt")


def expected() -> dict[str, list[str]]:
    by_command: dict[str, list[str]] = defaultdict(list)
    for line in PHRASES.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            command, _, phrase = line.partition(" | ")
            by_command[command].append(phrase)
    return by_command


EXPECTED = expected()


@pytest.mark.parametrize("command", sorted(EXPECTED))
def test_help_says_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.setenv("COLUMNS", "10000")
    argv = [] if command == "-" else command.split()
    code, out, err = main_cli(capsys, *argv, "--help")
    assert (code, err) == (0, "")
    shown = " ".join(out.split())
    missing = [
        phrase
        for phrase in EXPECTED[command]
        if not re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", shown)
    ]
    assert missing == [], shown


def test_every_command_is_listed() -> None:
    assert set(EXPECTED) == {
        "-",
        "apply",
        "capacity",
        "info",
        "metrics",
        "offboard",
        "onboard",
        "resource-config",
        "status",
        "wallet",
        "wallet check",
        "wallet list",
        "wallet new",
        "wallet restore",
    }
