"""The argparse side of the command line: the whole parser, and the probing parse.

Imported for every line except the plain ``status`` lines that ``quick.py`` reads.
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.output import PROG
from app.cli.parser import Parser, build_parser
from app.cli.probe import ProbeMissed


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
    """``argv`` parsed, building only the command groups whose names it holds.

    A command's name must be on the line for it to run, so the parser with just
    those groups parses every line that can succeed exactly as the whole one
    does. Anything it would print instead (help, usage, version, an error, with
    the list of commands in it) makes it give up, and the whole parser parses
    the line again: what the user sees is always the whole parser's.
    """
    Parser.redact_values = "wallet" in argv
    Parser.probing = True
    try:
        return build_parser(_VersionAction, commands=set(argv)).parse_args(argv)
    except ProbeMissed:
        pass
    finally:
        Parser.probing = False
    return build().parse_args(argv)
