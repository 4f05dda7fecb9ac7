"""The argparse tables: every command, its flags and their help, apart from the handlers.

A new command group adds one line to ``build_parser``: ``module.register(sub)``,
taking the shared options from ``common_options()``. DMS's own spellings
(``-n/--nunet-channel``, ``-C``, ``-u``, ``-l``, ``-p``) sit beside ours so that a
DMS-era script runs unchanged.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Container
from typing import Any, NoReturn

from app.cli import args as types
from app.cli.output import PROG
from app.cli.probe import ProbingParser

EXIT_USAGE = 2
WALLET_CHAINS = ("ethereum", "cardano")
WALLET_NETWORKS = ("mainnet", "testnet")
WORD_COUNTS = (12, 15, 18, 21, 24)


class Parser(ProbingParser):
    """argparse that reports bad usage in one line, never echoing a wallet command's values."""

    redact_values = False
    """Set for wallet commands: any value might be a mnemonic typed into the wrong option."""

    def error(self, message: str) -> NoReturn:
        flat = " ".join(message.split())
        if self.redact_values:
            flat = _redacted(flat)
        elif len(flat) > 300:
            flat = flat[:300] + "…"
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
        choices = tail.partition("(choose from")[2].rstrip(")").replace("'", "").strip()
        return (
            f"{head}: choose one of {choices} (the value given is not shown, as it may be secret)"
        )
    hidden = re.sub(r"'[^']*'|\"[^\"]*\"", "(not shown)", message)
    if hidden != message:
        hidden += " (values are not shown, as they may be secret)"
    return hidden


def common_options() -> argparse.ArgumentParser:
    """Options every command takes (``parents=[common_options()]``)."""
    common = Parser(add_help=False)
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


def build_parser(
    version_action: type[argparse.Action], commands: Container[str] | None = None
) -> Parser:
    """The parser; with ``commands``, only the groups of the commands named there are built.

    Building all twelve subcommands costs more than ``status`` may, and imports
    every command's module; ``app.cli.parse`` builds just what the line names.
    """
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
    groups: tuple[tuple[tuple[str, ...], Callable[[Any], None]], ...] = (
        (("capacity",), register_capacity),
        (("onboard", "resource-config"), register_offer),
        (("status", "info"), register_status),
        (("offboard",), register_offboard),
        (("apply",), register_apply),
        (("wallet",), register_wallet),
    )
    for names, register in groups:
        if commands is None or any(name in commands for name in names):
            register(sub)
    return parser


def register_apply(sub: Any) -> None:
    from app.cli.apply_cmd import register

    register(sub)


def register_capacity(sub: Any) -> None:
    from app.cli.capacity_cmds import cmd_capacity

    p = sub.add_parser(
        "capacity",
        parents=[common_options()],
        help="the machine's capacity, or what is onboarded",
        description="Show the machine's total capacity and what may be offered (default), "
        "the available resources, or the onboarded offer.",
    )
    group = p.add_mutually_exclusive_group()
    group.add_argument("--full", action="store_true", help="the machine's usable total (default)")
    group.add_argument("--available", action="store_true", help="what the node offers to jobs")
    group.add_argument("--onboarded", action="store_true", help="what is reserved for NuNet")
    p.set_defaults(handler=cmd_capacity)


def _offer_args(p: argparse.ArgumentParser, *, onboard: bool) -> None:
    """The offer's flags. For onboard, cpu, memory, channel and address are required;
    for resource-config every flag is optional and what is not given stays as it is."""
    keep = "" if onboard else "; kept when not given"
    p.add_argument(
        "-c",
        "--cpu",
        type=types.whole,
        required=onboard,
        metavar="MHZ",
        help=f"CPU to offer, MHz (10-90 %% of the total){keep}",
    )
    p.add_argument(
        "-m",
        "--memory",
        type=types.memory_mb,
        required=onboard,
        metavar="SIZE",
        help=f"memory to offer: MB (8192) or a size (8GiB, 8GB); 10-90 %% of the total{keep}",
    )
    p.add_argument(
        "-n",
        "--nunet-channel",
        "--channel",
        dest="channel",
        required=onboard,
        metavar="NAME",
        help=f"nunet-staging, nunet-test, nunet-team or nunet-edge{keep}",
    )
    p.add_argument(
        "-a",
        "--address",
        dest="payment_addr",
        required=onboard,
        metavar="ADDRESS",
        help=f"payment address: Ethereum 0x... or Cardano addr1.../addr_test1...{keep}",
    )
    p.add_argument(
        "-x",
        "--ntx-price",
        dest="ntx_price",
        type=types.price,
        metavar="NTX",
        help="price in NTX per minute" + (" (default 0)" if onboard else keep),
    )
    p.add_argument(
        "-C",
        "--cardano",
        type=types.flag_bool,
        nargs="?",
        const=True,
        metavar="BOOL",
        help="run a Cardano node (needs 10000 MB and 6000 MHz); --cardano=false to stop" + keep,
    )
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "-u",
        "--unavailable",
        dest="is_available",
        action="store_const",
        const=False,
        help="do not take jobs (e.g. for maintenance)" + keep,
    )
    group.add_argument(
        "--available",
        dest="is_available",
        action="store_const",
        const=True,
        help="take jobs" + (" (the default)" if onboard else " again" + keep),
    )
    p.add_argument(
        "-l",
        "--local-enable",
        dest="server_mode",
        type=types.flag_bool,
        nargs="?",
        const=True,
        metavar="BOOL",
        help="server mode, as DMS (default true; -l=false to turn off)" + keep,
    )
    p.add_argument(
        "--disk",
        type=types.disk_gb,
        metavar="SIZE",
        help="disk to offer: GB (100) or a size (50GiB, 100GB)" + keep,
    )
    p.add_argument(
        "--gpus",
        type=types.gpu_list,
        metavar="LIST",
        help="GPU indices to offer, e.g. 0,1 ('' for none)" + keep,
    )
    p.add_argument(
        "--cores",
        type=types.whole,
        metavar="N",
        help="cores to offer (default: as many as the CPU share spans)" + keep,
    )
    p.add_argument(
        "-p",
        "--plugin",
        action="append",
        metavar="NAME",
        help="DMS's plugin flag: accepted and ignored",
    )
    if onboard:
        p.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")


def register_offer(sub: Any) -> None:
    from app.cli.offer_cmds import cmd_onboard, cmd_resource_config

    p = sub.add_parser(
        "onboard",
        parents=[common_options()],
        help="offer this machine's resources to NuNet",
        description="Onboard this machine. Every rule is checked first; nothing is written on "
        "failure. DMS's flags work unchanged.",
    )
    _offer_args(p, onboard=True)
    p.set_defaults(handler=cmd_onboard)

    p = sub.add_parser(
        "resource-config",
        parents=[common_options()],
        help="change the onboarded offer",
        description="Change any part of the onboarded offer; what is not given stays as it is.",
    )
    _offer_args(p, onboard=False)
    p.set_defaults(handler=cmd_resource_config)


def register_status(sub: Any) -> None:
    from app.cli.status_cmds import cmd_info, cmd_status

    p = sub.add_parser(
        "status", parents=[common_options()], help="onboarding status and problems found"
    )
    p.add_argument(
        "--check",
        action="store_true",
        help="exit 1 unless onboarded with no problem found (for scripts and monitoring)",
    )
    p.set_defaults(handler=cmd_status)

    p = sub.add_parser(
        "info", parents=[common_options()], help="the stored metadata (DMS MetadataV2)"
    )
    p.set_defaults(handler=cmd_info)


def register_offboard(sub: Any) -> None:
    from app.cli.offboard_cmds import cmd_offboard

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
    p.set_defaults(handler=cmd_offboard)


def _words(text: str) -> int:
    if text.strip() in {str(n) for n in WORD_COUNTS}:
        return int(text)
    raise argparse.ArgumentTypeError("choose 12, 15, 18, 21 or 24 words")


def _account(text: str) -> int:
    """An account index; the message never repeats the value (it may be a misplaced mnemonic)."""
    from app.onboarding.units import UnitError, parse_whole

    try:
        return parse_whole(text)
    except UnitError:
        raise argparse.ArgumentTypeError("not a whole number of 0 or more") from None


def register_wallet(sub: Any) -> None:
    from app.cli import wallet_cmds

    wallet = sub.add_parser(
        "wallet",
        help="create, restore, check and list payment addresses",
        description="Payment addresses for NuNet: Ethereum or Cardano.",
    )
    wsub = wallet.add_subparsers(
        dest="wallet_command", metavar="ACTION", required=True, parser_class=Parser
    )

    def chain_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--chain", choices=WALLET_CHAINS, required=True, help="ethereum or cardano")
        p.add_argument(
            "--network",
            choices=WALLET_NETWORKS,
            default="mainnet",
            help="Cardano network (default mainnet)",
        )

    def export_args(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--export",
            metavar="DIR",
            help="also write key files there (Ethereum: encrypted keystore; Cardano: .skey/.vkey, 0600)",
        )
        p.add_argument(
            "--password-file",
            metavar="FILE",
            help="keystore password from this file (else a prompt, typed twice)",
        )

    p = wsub.add_parser(
        "new", parents=[common_options()], help="a new wallet from a fresh mnemonic"
    )
    chain_args(p)
    p.add_argument(
        "--words",
        type=_words,
        default=24,
        metavar="N",
        help="mnemonic length: 12, 15, 18, 21 or 24 (default 24)",
    )
    p.add_argument(
        "--confirm-backup",
        action="store_true",
        help="after showing the words, ask for some of them at the terminal; "
        "without it the wallet is recorded as not checked",
    )
    export_args(p)
    p.set_defaults(handler=wallet_cmds.cmd_new)

    p = wsub.add_parser(
        "restore",
        parents=[common_options()],
        help="a wallet from its mnemonic (prompt or stdin)",
        description="Restore a wallet. The mnemonic is read from a prompt with echo off, or from "
        "stdin when it is not a terminal; never from the command line.",
    )
    chain_args(p)
    p.add_argument(
        "--account", type=_account, default=0, metavar="N", help="account index (default 0)"
    )
    p.add_argument(
        "--passphrase-file", metavar="FILE", help="BIP-39 passphrase from this file (default none)"
    )
    export_args(p)
    p.set_defaults(handler=wallet_cmds.cmd_restore)

    p = wsub.add_parser(
        "check",
        parents=[common_options()],
        help="check an address: chain, network, and why it is invalid",
    )
    p.add_argument("address")
    p.add_argument(
        "--channel",
        metavar="NAME",
        help="the channel it is for (checked to be known; any Cardano network is accepted)",
    )
    p.add_argument(
        "--network",
        choices=WALLET_NETWORKS,
        help="the Cardano network meant: another one gets a warning",
    )
    p.set_defaults(handler=wallet_cmds.cmd_check)

    p = wsub.add_parser(
        "list", parents=[common_options()], help="wallets made here (public facts only)"
    )
    p.set_defaults(handler=wallet_cmds.cmd_list)
