"""Wallet operations of the controller: make, restore, export, and record public facts.

Secrets are only returned to the caller; the state keeps what ``public_wallet_facts``
allows. The wallet libraries are imported here lazily: they cost about a second.

Backup policy: a new wallet is recorded at once with ``backup_checked: false``
and marked true only when the person has typed back words of its mnemonic
exactly (``check_backup_words``). Recording at creation, rather than only after
the check, keeps the address findable (``wallet list``) if the app or the shell
dies in between; the flag makes sure that such an address never looks usable.
A restored wallet is checked by definition: the person has just typed all of
its words. A record written before this flag existed counts as unchecked.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.onboarding.errors import WalletError
from app.onboarding.records import history_entry, now_iso, public_wallet_facts

if TYPE_CHECKING:
    from app.onboarding.controller import OnboardingController
    from app.onboarding.store import State
    from app.wallets import NewWallet

log = logging.getLogger("nunet_onboard.controller")


def check_chain(chain: str) -> None:
    from app.wallets import CHAINS

    if chain not in CHAINS:
        raise WalletError(f"invalid wallet {chain!r}; allowed: {', '.join(CHAINS)}")


_warming: set[str] = set()
"""Chains whose library a warm-up thread has been started for (once per process)."""


def warm_library(chain: str) -> None:
    """Start importing the chain's wallet library on a daemon thread; return at once.

    A daemon thread, not an executor: quitting must never wait for an import of
    seconds. A failure is left for the real call to report.
    """
    check_chain(chain)
    if chain in _warming:
        return
    _warming.add(chain)

    def load() -> None:
        from app.wallets import load_library

        with contextlib.suppress(Exception):
            load_library(chain)

    threading.Thread(target=load, name=f"warm-{chain}", daemon=True).start()


def new_wallet(
    ctl: OnboardingController, chain: str, *, network: str = "mainnet", words: int = 24
) -> NewWallet:
    """A fresh wallet; its public facts are recorded, its secrets are only returned."""
    check_chain(chain)
    from app.wallets import WalletError as LibWalletError
    from app.wallets import create_wallet

    try:
        wallet = create_wallet(chain, network=network, words=words)
    except LibWalletError as exc:
        raise WalletError(str(exc)) from None
    record_wallet(ctl, wallet, "wallet-new", backup_checked=False)
    return wallet


def restore_wallet(
    ctl: OnboardingController,
    chain: str,
    mnemonic: str,
    *,
    network: str = "mainnet",
    passphrase: str = "",
    account: int = 0,
) -> NewWallet:
    check_chain(chain)
    from app.wallets import WalletError as LibWalletError
    from app.wallets import restore_wallet as lib_restore

    try:
        wallet = lib_restore(
            chain, mnemonic, network=network, passphrase=passphrase, account=account
        )
    except LibWalletError as exc:
        raise WalletError(str(exc)) from None
    record_wallet(ctl, wallet, "wallet-restore", backup_checked=True)
    return wallet


def export_wallet(
    ctl: OnboardingController,
    wallet: NewWallet,
    directory: Path,
    password: str | None = None,
    *,
    kdf: str = "scrypt",
) -> list[Path]:
    """Write the wallet's key files (keystore for Ethereum, envelopes for Cardano) 0600."""
    from app.wallets import WalletError as LibWalletError
    from app.wallets import export_cardano_keys, export_ethereum_keystore

    try:
        if wallet.chain == "ethereum":
            if not password:
                raise WalletError("an Ethereum keystore needs a password")
            paths = [export_ethereum_keystore(wallet, Path(directory), password, kdf=kdf)]
        else:
            paths = export_cardano_keys(wallet, Path(directory))
    except LibWalletError as exc:
        raise WalletError(str(exc)) from None

    def apply(s: State) -> None:
        for record in s["wallets"]:
            if record.get("address") == wallet.address:
                record.setdefault("exports", []).extend(str(p) for p in paths)
                break
        s["history"].append(
            history_entry("wallet-export", detail=f"{wallet.chain} {wallet.address}")
        )

    ctl.store.update(apply)
    log.info("exported %s wallet %s to %s", wallet.chain, wallet.address, directory)
    return paths


def record_wallet(
    ctl: OnboardingController, wallet: NewWallet, action: str, *, backup_checked: bool
) -> None:
    record: dict[str, Any] = {
        **public_wallet_facts(wallet),
        "created": now_iso(),
        "exports": [],
        "backup_checked": backup_checked,
    }

    def apply(s: State) -> None:
        existing = [w for w in s["wallets"] if w.get("address") == wallet.address]
        if not existing:
            s["wallets"].append(record)
        elif backup_checked:
            existing[0]["backup_checked"] = True  # restoring proves the words are known
        s["history"].append(history_entry(action, detail=f"{wallet.chain} {wallet.address}"))

    ctl.store.update(apply)
    log.info("%s: %s %s", action, wallet.chain, wallet.address)


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


def backup_checked(ctl: OnboardingController, address: str) -> bool | None:
    """True or False for a wallet made here, None for an address not made here."""
    for record in ctl.wallets():
        if record.get("address") == address:
            return bool(record.get("backup_checked", False))
    return None


def unchecked_address_warning(ctl: OnboardingController, address: str) -> str | None:
    """A warning when an offer pays to a wallet made here whose backup was never checked."""
    if not address or backup_checked(ctl, address.strip()) is not False:
        return None
    return (
        f"the wallet {address.strip()} was made here but its backup was never checked: "
        "if its words are lost, so is everything paid to it"
    )
