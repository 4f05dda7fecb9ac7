"""A new wallet's words on stdout, and secrets read from files and stdin, with bounds.

``wallet new`` records a wallet only once its words are written (``show_new_wallet``
raises ``WordsNotShown`` when stdout cannot take them: full, closed, its reader gone).
A password or passphrase file and a mnemonic on stdin are read the safe way
(``app.safe_read``): never waiting on a FIFO, never past a cap, never echoing the path.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from app.cli.exits import UsageError
from app.cli.output import print_json, print_pairs, warn

if TYPE_CHECKING:
    import argparse

    from app.wallets import NewWallet


SECRET_FILE_BYTES = 64 * 1024
"""A password or passphrase file is a line; a bigger one is refused, never cut."""
MNEMONIC_STDIN_BYTES = 16 * 1024
"""24 words are under 250 bytes; stdin past this is refused, unread."""


def read_secret_file(path: str, what: str) -> str:
    """A secret from a file: a regular file (a FIFO or a device is refused, not waited
    on), at most ``SECRET_FILE_BYTES``. The path is never echoed: a mnemonic typed in
    its place would otherwise be printed back."""
    from app.safe_read import Refused, TooLarge, kind_of, read_file, size_text

    given = f"the {what} file given"
    try:
        raw = read_file(path, SECRET_FILE_BYTES, what=given, shown="(not shown)", follow=True)
        text = raw.decode("utf-8")
    except TooLarge:
        too_big = f"over {size_text(SECRET_FILE_BYTES)}"
        raise UsageError(f"cannot read {given} ({too_big}); it holds one line") from None
    except Refused as exc:  # not a regular file (read_file is not asked to check the owner)
        kind = kind_of(exc.mode) if exc.mode is not None else "not a regular file"
        raise UsageError(f"cannot read {given} ({kind}); give a regular file") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not text"
        raise UsageError(f"cannot read {given} ({reason})") from None
    value = text.rstrip("\r\n")
    if not value:
        raise UsageError(f"{given} is empty")
    return value


def read_stdin_mnemonic() -> str:
    """The mnemonic piped on stdin, at most ``MNEMONIC_STDIN_BYTES`` ("" when closed)."""
    from app.safe_read import TooLarge, read_stream, size_text

    if sys.stdin is None:
        return ""
    try:  # bytes from a real stdin; a test's text stream has no buffer
        raw = read_stream(
            getattr(sys.stdin, "buffer", sys.stdin), MNEMONIC_STDIN_BYTES, what="stdin"
        )
    except TooLarge:
        raise UsageError(
            f"stdin holds more than {size_text(MNEMONIC_STDIN_BYTES)}, far more than a "
            "mnemonic; nothing was restored"
        ) from None
    try:
        return raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
    except UnicodeDecodeError:
        raise UsageError("stdin is not UTF-8 text; nothing was restored") from None


def public(wallet: NewWallet) -> dict[str, Any]:
    from app.onboarding.controller import public_wallet_facts

    return public_wallet_facts(wallet)


def wallet_rows(wallet: NewWallet) -> list[tuple[str, Any]]:
    """The public facts as table rows, shared by new and restore."""
    return [
        ("Chain", wallet.chain),
        *([("Network", wallet.network)] if wallet.chain == "cardano" else []),
        ("Account", wallet.account),
        ("Address", wallet.address),
        *([("Stake address", wallet.stake_address)] if wallet.stake_address else []),
    ]


class WordsNotShown(Exception):
    """The new wallet's words could not be written to stdout: it is not recorded."""


def show_new_wallet(args: argparse.Namespace, wallet: NewWallet, exported: list[str]) -> None:
    """Print the words, and make sure they were written (flushed) before the wallet is
    recorded: ``> /dev/full``, a closed stdout or a reader gone raise ``WordsNotShown``."""
    if sys.stdout is None:
        raise WordsNotShown(_not_shown("stdout is closed"))
    warn(
        "WARNING: the mnemonic and private key below are shown once and are not stored. "
        "Write them down and keep them offline; anyone who has them controls the funds."
    )
    try:
        if args.json:
            print_json(
                {
                    **public(wallet),
                    "mnemonic": wallet.mnemonic,
                    "private_key": wallet.private_key,
                    "exported": exported,
                }
            )
        else:
            print_pairs(
                [
                    *wallet_rows(wallet),
                    ("Mnemonic", wallet.mnemonic),
                    *([("Private key", wallet.private_key)] if wallet.private_key else []),
                    *[("Exported", p) for p in exported],
                ],
                title="New wallet",
            )
        sys.stdout.flush()
    except (OSError, ValueError) as exc:  # ValueError: a closed file
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "closed"
        raise WordsNotShown(_not_shown(f"writing to stdout failed: {reason}")) from None
    if getattr(sys.stdout, "broken", False):  # the quiet stdout: its reader has gone
        raise WordsNotShown(_not_shown("the program reading stdout has gone"))


def _not_shown(why: str) -> str:
    return (
        f"the new wallet's words could not be shown ({why}), so it was not recorded and "
        "no key file was left; run the command again with stdout on a terminal or a file"
    )
