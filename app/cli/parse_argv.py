"""The argparse side of the command line: the whole parser and its parse.

Imported for every line except the plain ``status`` and ``apply`` lines that
``quick.py`` reads. The parser names each command's handler without importing it
(``command_table.handler``), so building all of it costs no command's imports.
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.command_table import Parser, build_parser
from app.cli.output import PROG


class _VersionAction(argparse.Action):
    """``--version`` that reads the installed metadata only when asked (it costs ~40 ms)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        parser.exit(0, f"{PROG} {version()}\n")


def version() -> str:
    """This tool's installed version, or \"unknown\" when it runs from a tree that was not installed."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("nunet-onboard")
    except PackageNotFoundError:
        return "unknown"


def build() -> argparse.ArgumentParser:
    """The whole parser (for tests and the docs)."""
    return build_parser(_VersionAction)


def parse(argv: list[str]) -> argparse.Namespace:
    """``argv`` parsed by the whole parser; a wallet command's errors echo no value."""
    Parser.redact_values = "wallet" in argv
    return build().parse_args(argv)
