"""The command-line reference (docs/cli.md), made from the parser itself.

The reference is every command's ``--help``, word for word, so it cannot say what the
parser does not; ``tests/cli/test_cli_reference.py`` fails when the file is stale.
Remake it with ``python -m app.cli.reference > docs/cli.md``.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator

WIDTH = 88
"""Columns the help is laid out for: every line fits a page and a terminal."""

HEADER = """\
# Command-line reference

Every command's `--help`, as `nunet-onboard` prints it (made by
`python -m app.cli.reference > docs/cli.md`; a test fails when this file is stale).
[usage.md](usage.md) says what the commands are for, with examples; exit codes: 0
done, 1 refused by a rule or the state, 2 bad usage.
"""


def commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """``parser`` and each of its subcommands' parsers, depth first, with their names."""
    yield path, parser
    for action in parser._actions:  # argparse keeps subcommands only here
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from commands(sub, (*path, name))


def render() -> str:
    """docs/cli.md: the header, then one section per command with its help."""
    from app.cli.parse_argv import build

    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(WIDTH)  # argparse lays help out for $COLUMNS
    try:
        sections = [HEADER]
        for path, parser in commands(build()):
            title = " ".join(("nunet-onboard", *path))
            help_text = parser.format_help().rstrip()
            sections.append(f"## `{title}`\n\n```text\n{help_text}\n```\n")
    finally:
        if saved is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = saved
    return "\n".join(sections)


if __name__ == "__main__":
    print(render(), end="")
