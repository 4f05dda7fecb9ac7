"""DMS's -p/--plugin flag: accepted and ignored, and the user is told so, whatever it names.

In this process (`app.cli.main(argv)`) on a tmp state directory, so that mutation
testing sees which code the flag reaches.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.cli.helpers import main_cli, smallest_offer

NOTE = (
    "nunet-onboard: note: -p/--plugin is accepted for DMS compatibility and ignored "
    "(plugins are not part of onboarding)\n"
)


def test_an_empty_plugin_name_still_gets_the_note(
    capsys: pytest.CaptureFixture[str], state: str, machine: dict[str, Any]
) -> None:
    """`-p ''` is a plugin flag given (DMS takes it): the note must not depend on the name
    being non-empty, on either command."""
    code, _, err = main_cli(capsys, *smallest_offer(machine, state, "--yes", "-p", ""))
    assert code == 0 and NOTE in err
    code, _, err = main_cli(capsys, "resource-config", "-p", "", "-x", "1", "--state-dir", state)
    assert code == 0 and NOTE in err


def test_plugin_flags_given_twice_get_one_note(
    capsys: pytest.CaptureFixture[str], state: str, machine: dict[str, Any]
) -> None:
    code, _, err = main_cli(capsys, *smallest_offer(machine, state, "--yes", "-p", "a", "-p", "b"))
    assert code == 0 and err.count("-p/--plugin") == 1
