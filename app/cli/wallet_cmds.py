"""wallet new | restore | check | list.

Secrets come in only through a terminal prompt with echo off, stdin, or a
file, never argv (argv is visible to every user in ``ps``). A new mnemonic and
private key go to stdout once, with the warning on stderr so that
``wallet new > backup.txt`` captures the secrets and still shows the warning.

A new wallet is recorded as not backed up (``backup_checked: false``) unless
``--confirm-backup`` asks for some of its words at the terminal and they are
typed back exactly; restoring a wallet marks it checked.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.exits import Cancelled, UsageError
from app.cli.output import PROG, print_json, print_pairs, print_table, warn
from app.cli.session import at_terminal, light_controller, make_controller
from app.cli.wallet_parser import MIN_PASSWORD_CHARS
from app.cli.wallet_words import (
    WordsNotShown,
    public,
    read_secret_file,
    read_stdin_mnemonic,
    show_new_wallet,
    wallet_rows,
)

if TYPE_CHECKING:
    from app.onboarding.controller import OnboardingController
    from app.wallets import NewWallet


def ask_hidden(prompt: str, cancelled: str) -> str:
    """A prompt with echo off; end of input (Ctrl-D) cancels, saying ``cancelled``."""
    try:
        return getpass.getpass(prompt)
    except EOFError:
        print(file=sys.stderr)  # the prompt's line is still open
        raise Cancelled(cancelled) from None


def _long_enough(password: str, said: str, outcome: str) -> str:
    """``password``, or a refusal that names where it came from (never the password)."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise UsageError(
            f"{said} is too short: {MIN_PASSWORD_CHARS} characters or more are needed; {outcome}"
        )
    return password


def _export_password(args: argparse.Namespace, outcome: str) -> str | None:
    """The keystore password, asked for before the wallet is made: a password that will
    not do leaves nothing made, recorded or written (``outcome`` says so in the
    command's words). Typed or from a file, it is held to the same minimum."""
    if args.chain != "ethereum":
        if args.password_file:  # cardano-cli key files are plain envelopes, protected by 0600
            warn(
                "note: --password-file is not read: Cardano key files are written as "
                "cardano-cli writes them, unencrypted, readable by you alone (0600)"
            )
        return None
    if args.password_file:
        password = read_secret_file(args.password_file, "password")
        return _long_enough(password, "the password from --password-file", outcome)
    # Off a terminal with no --password-file, _check_export_args has already refused.
    cancelled = f"{outcome}: cancelled at the keystore password prompt (end of input)"
    typed = ask_hidden("Password for the keystore: ", cancelled)
    first = _long_enough(typed, "the password", outcome)
    if ask_hidden("Type it again: ", cancelled) != first:
        raise UsageError(f"the two passwords differ; {outcome}")
    return first


def _check_export_args(args: argparse.Namespace) -> None:
    from app.shown import holds_mnemonic_words

    if args.export and holds_mnemonic_words(args.export):
        raise UsageError(
            "--export: the directory given looks like mnemonic words (not shown), so nothing "
            "was made; a mnemonic is read from a prompt or stdin, never from the command line"
        )
    if args.password_file and not args.export:
        raise UsageError("--password-file is only used with --export DIR")
    if args.export and args.chain == "ethereum" and not args.password_file and not at_terminal():
        raise UsageError("an encrypted export needs a password: give --password-file FILE")


def _export_target(
    controller: OnboardingController, args: argparse.Namespace, outcome: str
) -> Path:
    """``--export DIR``, absolute, once an export there is known to be possible."""
    from app.onboarding.refusals import WalletError

    try:
        return controller.check_export_target(args.chain, Path(args.export))
    except WalletError as exc:
        raise WalletError(f"--export: {exc}; {outcome}") from None


def _export_failed(exc: Exception) -> Exception:
    from app.onboarding.refusals import WalletError

    return WalletError(f"--export: {exc}; no wallet was recorded and no key file was left")


CHECKED_WORDS = 3
CHECK_ROUNDS = 3


def _confirm_backup(controller: OnboardingController, wallet: NewWallet) -> bool:
    """Ask for words at random positions (echo off) until they match, or give up."""
    import secrets

    words = wallet.mnemonic.split()
    positions = sorted(secrets.SystemRandom().sample(range(len(words)), CHECKED_WORDS))
    cancelled = (
        "backup not checked: cancelled at the word prompt (end of input); the wallet stays "
        f"recorded as NOT checked. Restore it from your copy to mark it checked: {PROG} "
        f"wallet restore --chain {wallet.chain}"
    )
    _hide_words(cancelled)
    print("To check your copy, type these words from your paper.", file=sys.stderr)
    for _ in range(CHECK_ROUNDS):
        typed = [ask_hidden(f"Word #{p + 1} (not shown): ", cancelled) for p in positions]
        wrong = controller.check_backup_words(wallet.mnemonic, positions, typed)
        if not wrong:
            controller.mark_backup_checked(wallet.address)
            print("Backup checked.", file=sys.stderr)
            return True
        warn("; ".join(wrong))
    return False


CLEAR_SCREEN = "\x1b[H\x1b[2J\x1b[3J"
"""Cursor home, erase the screen, erase the scrollback (xterm's E3, which tmux knows)."""


def _hide_words(cancelled: str) -> None:
    """A check of words still on the screen checks nothing: where the words were written
    to a terminal, wait until they are copied, then clear it (and its scrollback)."""
    if not sys.stdout.isatty():
        return  # written to a file or a pipe: not on the screen
    ask_hidden(
        "Press Enter once the words are written down; the screen is then cleared. ", cancelled
    )
    sys.stdout.write(CLEAR_SCREEN)
    sys.stdout.flush()


def _note_network(args: argparse.Namespace) -> None:
    """``--network`` with an Ethereum wallet changes nothing: say so, rather than let it
    look as if a testnet wallet were made."""
    if args.network and args.chain == "ethereum":
        warn(
            f"note: --network {args.network} is ignored: it chooses a Cardano wallet's "
            "network, and an Ethereum address is the same on every network"
        )


def _new_network(controller: OnboardingController, args: argparse.Namespace) -> str:
    """``--network``, else the network of this node's channel (onboarded), else mainnet."""
    if args.network or args.chain != "cardano":
        return str(args.network or "mainnet")
    network = controller.default_cardano_network()
    if network != "mainnet":
        warn(f"note: a {network} wallet, as this node's channel uses; --network chooses")
    return network


def cmd_new(args: argparse.Namespace) -> int:
    from app.onboarding.refusals import ExportFailed

    _check_export_args(args)
    _note_network(args)
    if args.confirm_backup and not at_terminal():
        raise UsageError(
            "--confirm-backup asks for words at a terminal and there is none; leave it out "
            "(the wallet is then recorded as not checked)"
        )
    controller = make_controller(args, log=True)
    network = _new_network(controller, args)

    def show(wallet: NewWallet, paths: list[Path]) -> None:
        show_new_wallet(args, wallet, [str(p) for p in paths])

    try:
        if args.export:
            # Everything an export needs is checked before the wallet is made, and the
            # wallet is recorded only once its files are written and its words shown: a
            # refusal leaves no recorded address whose words were never shown.
            directory = _export_target(controller, args, "no wallet was made")
            password = _export_password(args, "no wallet was made")
            try:
                wallet, _ = controller.new_exported_wallet(
                    args.chain, directory, password, network=network, words=args.words, show=show
                )
            except ExportFailed as exc:
                raise _export_failed(exc) from None
        else:
            wallet = controller.new_wallet(args.chain, network=network, words=args.words, show=show)
    except WordsNotShown as exc:
        from app.onboarding.refusals import WalletError

        raise WalletError(str(exc)) from None
    return _backup_outcome(controller, args, wallet)


def _backup_outcome(
    controller: OnboardingController, args: argparse.Namespace, wallet: NewWallet
) -> int:
    """Check the backup when asked to; else say that the wallet is recorded unchecked."""
    sys.stdout.flush()
    if args.confirm_backup:
        if _confirm_backup(controller, wallet):
            return 0
        warn(
            "the words did not match; the wallet stays recorded as NOT checked. "
            f"Restore it from your copy to mark it checked: {PROG} wallet restore --chain {wallet.chain}"
        )
        return 1
    warn(
        "the wallet is recorded as NOT checked (its backup was not confirmed). Use "
        "--confirm-backup at a terminal, or restore it from your copy to mark it checked."
    )
    return 0


def _read_mnemonic() -> str:
    if at_terminal():
        text = ask_hidden(
            "Mnemonic (words separated by spaces, not shown): ",
            "not restored: cancelled at the mnemonic prompt (end of input)",
        )
    else:
        text = read_stdin_mnemonic()
    words = " ".join(text.split())
    if not words:
        raise UsageError("no mnemonic was given: type it at the prompt or pipe it on stdin")
    return words


def cmd_restore(args: argparse.Namespace) -> int:
    from app.onboarding.refusals import ExportFailed

    _check_export_args(args)
    _note_network(args)
    if args.export and args.chain == "ethereum" and not args.password_file:
        raise UsageError("with --export, give the keystore password with --password-file FILE")
    passphrase = (
        read_secret_file(args.passphrase_file, "passphrase") if args.passphrase_file else ""
    )
    directory: Path | None = None
    password: str | None = None
    if args.export:  # checked before the mnemonic is asked for, and the wallet made
        controller = make_controller(args, log=True)
        directory = _export_target(controller, args, "nothing was restored")
        password = _export_password(args, "nothing was restored")
    mnemonic = _read_mnemonic()
    if directory is None:
        controller = make_controller(args, log=True)
    network = str(args.network or "mainnet")
    exported: list[str] = []
    if directory is not None:
        try:
            wallet, paths = controller.restore_exported_wallet(
                args.chain, mnemonic, directory, password, network=network,
                passphrase=passphrase, account=args.account,
            )  # fmt: skip
        except ExportFailed as exc:
            del mnemonic
            raise _export_failed(exc) from None
        exported = [str(p) for p in paths]
    else:
        wallet = controller.restore_wallet(
            args.chain, mnemonic, network=network, passphrase=passphrase, account=args.account
        )
    del mnemonic
    if args.json:
        print_json({**public(wallet), "exported": exported})
    else:
        print_pairs(
            [*wallet_rows(wallet), *[("Exported", p) for p in exported]],
            title="Restored wallet",
        )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    controller = light_controller(args)
    if args.channel is not None:
        from app.onboarding.errors import OnboardError
        from app.onboarding.rules import check_channel

        problem = check_channel(args.channel)
        if problem:  # exit 1, as the same channel is in onboard; named by this command's flag
            raise OnboardError(problem.said_as("--channel"))
    result = controller.check_address(args.address, network=args.network)
    data = {
        "address": result.address,
        "valid": result.valid,
        "chain": result.chain,
        "network": result.network,
        "kind": result.kind,
        "reason": result.reason,
        "warnings": list(result.warnings),
    }
    if args.json:
        print_json(data)
    else:
        print_pairs(
            [
                ("Address", result.address),
                ("Valid", "yes" if result.valid else f"no: {result.reason}"),
                ("Chain", result.chain),
                ("Network", result.network),
                ("Kind", result.kind),
            ]
        )
    for warning in result.warnings:
        warn(f"warning: {warning}")
    return 0 if result.valid else 1


def cmd_list(args: argparse.Namespace) -> int:
    records = [
        {**r, "backup_checked": bool(r.get("backup_checked"))}
        for r in light_controller(args).wallets()
    ]
    if args.json:
        print_json(records)
        return 0
    if not records:
        print("No wallets made here yet. Make one with: nunet-onboard wallet new --chain ethereum")
        return 0
    print_table(
        ["BACKUP", "CHAIN", "NETWORK", "ADDRESS", "CREATED", "EXPORTED TO"],
        [
            (
                "checked" if r["backup_checked"] else "NOT checked",
                r.get("chain"),
                r.get("network"),
                r.get("address"),
                r.get("created"),
                ", ".join(r.get("exports", [])),
            )
            for r in records
        ],
    )
    return 0
