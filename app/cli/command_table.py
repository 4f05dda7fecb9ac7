"""The argparse tables: every command, its flags and their help, apart from the handlers.

A new command group adds one line to ``build_parser``: ``module.register(sub)``,
taking the shared options from ``common_options()``. The big tables have their own
modules: the offer's flags (``offer_parser``), the wallet commands (``wallet_parser``). DMS's own spellings
(``-n/--nunet-channel``, ``-C``, ``-u``, ``-l``, ``-p``) sit beside ours so that a
DMS-era script runs unchanged.

Each command's handler is named here, not imported (``handler``): the whole parser
is built for every line that ``quick.py`` does not read, and only the module of the
command that runs is imported, when it runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, NoReturn

from app.cli.exits import EXIT_USAGE
from app.cli.output import PROG


def handler(module: str, name: str) -> Callable[[argparse.Namespace], int]:
    """The command ``module.name``, imported when the command runs (not when the
    parser is built): building the parser then costs no command's imports."""

    def run(args: argparse.Namespace) -> int:
        command: Callable[[argparse.Namespace], int] = getattr(
            __import__(module, fromlist=(name,)), name
        )
        return command(args)

    # Named as the command itself, so that it reads as the command wherever it is shown.
    run.__module__, run.__qualname__, run.__name__ = module, name, name
    return run


class Parser(argparse.ArgumentParser):
    """argparse that reports bad usage in one line, never echoing a wallet command's values."""

    redact_values = False
    """Set for wallet commands: any value might be a mnemonic typed into the wrong option."""

    pflag_grammar = False
    """Set on DMS's own commands: their lines are read as DMS reads them (``app.cli.pflag``)."""

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        if not (self.pflag_grammar and args is not None):
            return super().parse_known_args(args, namespace)
        from app.cli.pflag import STRAY_WORDS, TYPED_FLAGS, rewrite

        line, strays, typed = rewrite(self, list(args))
        parsed, extras = super().parse_known_args(line, namespace)
        setattr(parsed, TYPED_FLAGS, typed)
        if strays:
            setattr(parsed, STRAY_WORDS, strays)
        return parsed, extras

    def error(self, message: str) -> NoReturn:
        flat = " ".join(message.split())
        if self.redact_values:
            flat = _redacted(flat)
        else:
            from app.shown import in_usage_error

            flat = in_usage_error(flat)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {flat} (see '{self.prog} --help')\n")


def _redacted(message: str) -> str:
    """The error without any value the user typed: the option's name and the rule only."""
    import re

    if message.startswith("unrecognized arguments"):
        return (
            "unexpected arguments (not shown, as they may be secret); a mnemonic is read "
            "from a prompt or stdin, never from the command line"
        )
    head, sep, tail = message.partition(": invalid choice:")
    if sep:
        # argparse's list of choices ends the message; the value typed comes before it
        # and may hold "(choose from" too.
        choices = tail.rpartition("(choose from")[2].rstrip(")").replace("'", "").strip()
        return (
            f"{head}: choose one of {choices} (the value given is not shown, as it may be secret)"
        )
    hidden = re.sub(r"'[^']*'|\"[^\"]*\"", "(not shown)", message)
    if hidden != message:
        hidden += " (values are not shown, as they may be secret)"
    return hidden


def common_options(*, json: bool = True) -> argparse.ArgumentParser:
    """Options every command takes (``parents=[common_options()]``); ``--json`` only where
    the command prints a table."""
    common = Parser(add_help=False)
    if json:
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


def build_parser(version_action: type[argparse.Action]) -> Parser:
    """The whole parser: every command, each handler named but not imported."""
    parser = Parser(
        prog=PROG,
        description=(
            "Onboard this machine to the NuNet compute network. With no command, "
            "starts the full-screen app."
        ),
        epilog="Exit codes: 0 done, 1 refused by a rule or the state, 2 bad usage.",
    )
    parser.add_argument("--state-dir", metavar="DIR", help="state directory")
    parser.add_argument("-v", "--verbose", action="store_true", help="also log to stderr")
    parser.add_argument("--version", action=version_action, help="show the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for register in (
        register_capacity,
        register_offer,
        register_status,
        register_offboard,
        register_apply,
        register_wallet,
        register_metrics,
    ):
        register(sub)
    return parser


def register_offer(sub: Any) -> None:
    from app.cli.offer_parser import register

    register(sub)


def register_wallet(sub: Any) -> None:
    from app.cli.wallet_parser import register

    register(sub)


def register_apply(sub: Any) -> None:
    from app.cli.apply_cmd import register

    register(sub)


def register_metrics(sub: Any) -> None:
    from app.cli.metrics_cmd import register

    register(sub)


def register_capacity(sub: Any) -> None:
    p = sub.add_parser(
        "capacity",
        parents=[common_options()],
        help="the machine's capacity, or what is onboarded",
        description="Show the machine's total capacity and what may be offered (default), "
        "the available resources, or the onboarded offer.",
    )
    # DMS's -f/-a/-o; as DMS, several may be given (each is shown in turn).
    p.add_argument("-f", "--full", action="store_true", help="the machine's usable total (default)")
    p.add_argument("-a", "--available", action="store_true", help="what the node offers to jobs")
    p.add_argument("-o", "--onboarded", action="store_true", help="what is reserved for NuNet")
    p.set_defaults(handler=handler("app.cli.capacity_cmds", "cmd_capacity"))
    p.pflag_grammar = True


def register_status(sub: Any) -> None:
    p = sub.add_parser(
        "status", parents=[common_options()], help="onboarding status and problems found"
    )
    p.add_argument(
        "--check",
        action="store_true",
        help="exit 1 unless onboarded with no problem found (for scripts and monitoring)",
    )
    p.set_defaults(handler=handler("app.cli.status_cmds", "cmd_status"))

    p = sub.add_parser(
        "info", parents=[common_options()], help="the stored metadata (DMS MetadataV2)"
    )
    p.set_defaults(handler=handler("app.cli.status_cmds", "cmd_info"))
    p.pflag_grammar = True


def register_offboard(sub: Any) -> None:
    p = sub.add_parser(
        "offboard",
        parents=[common_options()],
        help="remove the onboarding",
        description="Remove the offer, metadata, available resources and node identity. Wallet files are kept.",
    )
    p.add_argument(
        "-f",
        "--force",
        action="store_true",
        help="go on past errors (corrupt or inconsistent state)",
    )
    p.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(handler=handler("app.cli.offboard_cmds", "cmd_offboard"))
    p.pflag_grammar = True
