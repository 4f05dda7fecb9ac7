"""The ``nunet-onboard`` command line: the TUI with no arguments, headless commands otherwise.

argparse, not a third-party CLI framework: it costs nothing to import, and
``status`` has 150 ms for everything. Each command imports what it needs when it
runs. Exit codes: 0 done, 1 refused by a rule or the state, 2 bad usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from app.cli import apply_cmd, onboarding_cmds, wallet_cmds
from app.cli.output import PROG, error

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad usage in one line, with where to read more."""

    redact_unrecognized = False

    def error(self, message: str) -> NoReturn:
        flat = " ".join(message.split())
        if self.redact_unrecognized and flat.startswith("unrecognized arguments"):
            # Someone may have typed a mnemonic on the command line: never echo it back.
            flat = (
                "unexpected arguments (not shown, as they may be secret); a mnemonic is read "
                "from a prompt or stdin, never from the command line"
            )
        self.exit(EXIT_USAGE, f"{self.prog}: error: {flat} (see '{self.prog} --help')\n")


def _common() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--json", action="store_true", help="print JSON instead of a table")
    common.add_argument(
        "--state-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="state directory (default: $NUNET_ONBOARD_STATE_DIR, the config file, or the user data dir)",
    )
    common.add_argument(
        "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="also log to stderr"
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description=(
            "Onboard this machine to the NuNet compute network. With no command, "
            "starts the full-screen app."
        ),
        epilog="Exit codes: 0 done, 1 refused by a rule or the state, 2 bad usage.",
    )
    parser.add_argument("--state-dir", metavar="DIR", help="state directory")
    parser.add_argument("-v", "--verbose", action="store_true", help="also log to stderr")
    parser.add_argument("--version", action=_VersionAction, help="show the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    common = _common()
    onboarding_cmds.register(sub, common)
    wallet_cmds.register(sub, common)
    apply_cmd.register(sub)
    return parser


class _VersionAction(argparse.Action):
    """``--version`` that reads the installed metadata only when asked (it costs ~40 ms)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        parser.exit(0, f"{PROG} {_version()}\n")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("nunet-onboard")
    except PackageNotFoundError:
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    _Parser.redact_unrecognized = "wallet" in argv
    args = parser.parse_args(argv)
    if args.command is None:
        return _launch_tui(args)
    from app.onboarding.errors import OnboardError

    try:
        code: int = args.handler(args)
        return code
    except OnboardError as exc:
        error(str(exc))
        return EXIT_REFUSED
    except onboarding_cmds.UsageError as exc:
        error(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130


def _launch_tui(args: argparse.Namespace) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        error(
            "the app needs a terminal; for scripts use a command, e.g. 'nunet-onboard status' (see --help)"
        )
        return EXIT_USAGE
    try:
        controller = onboarding_cmds.make_controller(args, log=True)
    except onboarding_cmds.UsageError as exc:
        error(str(exc))
        return EXIT_USAGE
    from app.tui import run

    return run(controller)


def entry() -> None:  # pragma: no cover - console script shim
    sys.exit(main())
