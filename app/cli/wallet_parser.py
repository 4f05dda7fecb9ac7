"""The wallet commands' argparse tables: ``wallet new|restore|check|list``.

No option here takes a secret: a mnemonic is read from a prompt or stdin, a
password or passphrase from a file. Since a user may still paste words into the
wrong option, the parser's usage errors for wallet commands never repeat a value
(``Parser.redact_values``), and the types below say what is allowed without it.
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.command_table import Parser, common_options, handler

WALLET_CHAINS = ("ethereum", "cardano")
WALLET_NETWORKS = ("mainnet", "testnet")
WORD_COUNTS = (12, 15, 18, 21, 24)
MIN_PASSWORD_CHARS = 8
"""The shortest keystore password taken, typed or from ``--password-file`` (the app's
export asks for as many)."""


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


def register(sub: Any) -> None:
    """``wallet new|restore|check|list``."""
    wallet = sub.add_parser(
        "wallet",
        help="create, restore, check and list payment addresses",
        description="Payment addresses for NuNet: Ethereum or Cardano.",
    )
    wsub = wallet.add_subparsers(
        dest="wallet_command", metavar="ACTION", required=True, parser_class=Parser
    )

    _register_new(wsub, handler("app.cli.wallet_cmds", "cmd_new"))
    _register_restore(wsub, handler("app.cli.wallet_cmds", "cmd_restore"))
    _register_check(wsub, handler("app.cli.wallet_cmds", "cmd_check"))
    p = wsub.add_parser(
        "list", parents=[common_options()], help="wallets made here (public facts only)"
    )
    p.set_defaults(handler=handler("app.cli.wallet_cmds", "cmd_list"))


def _register_new(wsub: Any, handler: Any) -> None:
    p = wsub.add_parser(
        "new", parents=[common_options()], help="a new wallet from a fresh mnemonic"
    )
    p.pflag_grammar = True
    _chain_args(
        p,
        dms_flags=True,
        network_help="Cardano network (default: the network of this node's channel when onboarded, "
        "testnet for nunet-test, nunet-staging and nunet-edge; else mainnet)",
    )
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
    _export_args(p)
    p.set_defaults(handler=handler)


def _register_restore(wsub: Any, handler: Any) -> None:
    p = wsub.add_parser(
        "restore",
        parents=[common_options()],
        help="a wallet from its mnemonic (prompt or stdin)",
        description="Restore a wallet. The mnemonic is read from a prompt with echo off, or from "
        "stdin when it is not a terminal; never from the command line.",
    )
    _chain_args(p, network_help="Cardano network (default mainnet)")
    p.add_argument(
        "--account", type=_account, default=0, metavar="N", help="account index (default 0)"
    )
    p.add_argument(
        "--passphrase-file", metavar="FILE", help="BIP-39 passphrase from this file (default none)"
    )
    _export_args(p)
    p.set_defaults(handler=handler)


def _register_check(wsub: Any, handler: Any) -> None:
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
    p.set_defaults(handler=handler)


def _chain_args(p: argparse.ArgumentParser, *, network_help: str, dms_flags: bool = False) -> None:
    """``--chain``; with ``dms_flags``, DMS's ``wallet new -e`` (Ethereum) and ``-c``
    (Cardano) beside it, one of the three required."""
    if not dms_flags:
        p.add_argument("--chain", choices=WALLET_CHAINS, required=True, help="ethereum or cardano")
    else:
        chain = p.add_mutually_exclusive_group(required=True)
        chain.add_argument("--chain", choices=WALLET_CHAINS, help="ethereum or cardano")
        for short, name, what in (
            ("-e", "ethereum", "an Ethereum"),
            ("-c", "cardano", "a Cardano"),
        ):
            chain.add_argument(
                short,
                f"--{name}",
                dest="chain",
                action="store_const",
                const=name,
                help=f"{what} wallet (DMS's spelling of --chain {name})",
            )
    p.add_argument("--network", choices=WALLET_NETWORKS, help=network_help)


def _export_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--export",
        metavar="DIR",
        help="also write key files there (Ethereum: encrypted keystore; Cardano: .skey/.vkey, 0600)",
    )
    p.add_argument(
        "--password-file",
        metavar="FILE",
        help=f"keystore password from this file, {MIN_PASSWORD_CHARS} characters or more "
        "(else a prompt, typed twice)",
    )
