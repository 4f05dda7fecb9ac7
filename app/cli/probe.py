"""A parser that can try a line quietly: the base of ``app.cli.parser.Parser``.

``app.cli.parse`` first parses with only the command groups the line names
(building all twelve subcommands costs more than ``status`` may). While
``probing`` is set, anything that parser would print or exit with (help, usage,
version, an error) raises ``ProbeMissed`` instead, before a byte is written, and
the whole parser parses the line again; so what the user sees always comes from
the whole parser.
"""

from __future__ import annotations

import argparse
from typing import Any, NoReturn


class ProbeMissed(Exception):
    """The parser with some commands built would print or fail: parse again with all."""


class ProbingParser(argparse.ArgumentParser):
    probing = False
    """Set on the class while ``app.cli.parse`` tries the line with some commands built."""

    def print_help(self, file: Any = None) -> None:
        if self.probing:
            raise ProbeMissed
        super().print_help(file)

    def print_usage(self, file: Any = None) -> None:
        if self.probing:
            raise ProbeMissed
        super().print_usage(file)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if self.probing:
            raise ProbeMissed
        super().exit(status, message)
