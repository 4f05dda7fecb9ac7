"""Whether a wallet's backup was checked: its words typed back exactly, at the terminal or in the app.

A new wallet is recorded with ``backup_checked: false`` (``wallet_ops``); these mark
it true, read the flag, and warn when an offer pays to a wallet whose words were
never checked.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from app.onboarding.records import history_entry
from app.onboarding.refusals import WalletError

if TYPE_CHECKING:
    from app.onboarding.controller import OnboardingController
    from app.onboarding.store import State

log = logging.getLogger("nunet_onboard.controller")


def check_backup_words(mnemonic: str, positions: list[int], typed: list[str]) -> list[str]:
    """Why each typed word is not the word at its position (1-based in the text); [] when all match.

    Exact match only: a blank field, a prefix (``aba`` for ``abandon``), another
    case or spaces around the word are all refused, each saying which, because
    a copy that differs in any of these ways is not a copy one can restore from.
    """
    words = mnemonic.split()
    wrong: list[str] = []
    for position, entered in zip(positions, typed, strict=True):
        expected = words[position]
        label = f"word #{position + 1}"
        if entered == expected:
            continue
        if not entered.strip():
            wrong.append(f"{label} is empty")
        elif entered.strip() != entered and entered.strip() == expected:
            wrong.append(f"{label} has spaces around it; type the word alone")
        elif entered.lower() == expected:
            wrong.append(f"{label} must be typed in lower case, as shown")
        else:
            wrong.append(f"{label} does not match")
    return wrong


def mark_backup_checked(ctl: OnboardingController, address: str) -> None:
    """Record that the words of the wallet at ``address`` were typed back correctly."""

    def apply(s: State) -> None:
        for record in s["wallets"]:
            if record.get("address") == address:
                record["backup_checked"] = True
                break
        else:
            raise WalletError(f"no wallet {address} is recorded here")
        s["history"].append(history_entry("wallet-backup-checked", detail=address))

    ctl.store.update(apply)
    log.info("backup checked: %s", address)


def backup_checked(
    ctl: OnboardingController, address: str, wallets: list[dict[str, Any]] | None = None
) -> bool | None:
    """True or False for a wallet made here, None for an address not made here.
    ``wallets`` are the state's wallet records when the caller has read them."""
    for record in ctl.wallets() if wallets is None else wallets:
        if record.get("address") == address:
            return bool(record.get("backup_checked", False))
    return None


def unchecked_address_warning(
    ctl: OnboardingController, address: str, wallets: list[dict[str, Any]] | None = None
) -> str | None:
    """A warning when an offer pays to a wallet made here whose backup was never checked."""
    if not address or backup_checked(ctl, address.strip(), wallets) is not False:
        return None
    return (
        f"the wallet {address.strip()} was made here but its backup was never checked: "
        "if its words are lost, so is everything paid to it"
    )
