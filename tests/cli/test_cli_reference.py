"""docs/cli.md is every command's current ``--help``, word for word."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app.cli.reference import commands, render

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


@pytest.mark.skipif(
    sys.version_info[:2] != (3, 11),
    reason="argparse lays help out differently in each Python; docs/cli.md is made on 3.11",
)
def test_the_command_line_reference_is_the_parser_s_help() -> None:
    assert REFERENCE.read_text(encoding="utf-8") == render(), (
        "docs/cli.md is stale: remake it with 'python -m app.cli.reference > docs/cli.md'"
    )


def test_the_reference_has_a_section_for_every_command_and_subcommand() -> None:
    from app.cli.parse_argv import build

    text = render()
    names = [" ".join(("nunet-onboard", *path)) for path, _ in commands(build())]
    assert "nunet-onboard wallet restore" in names and "nunet-onboard status" in names
    for name in names:
        assert f"## `{name}`\n" in text
        assert f"usage: {name} " in text or f"usage: {name}\n" in text
