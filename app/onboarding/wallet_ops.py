"""Wallet operations of the controller: make, restore, export, and record public facts.

Secrets are only returned to the caller; the state keeps what ``public_wallet_facts``
allows. The wallet libraries are imported here lazily: they cost about a second.
"""

from __future__ import annotations

import logging
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
    record_wallet(ctl, wallet, "wallet-new")
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
    record_wallet(ctl, wallet, "wallet-restore")
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


def record_wallet(ctl: OnboardingController, wallet: NewWallet, action: str) -> None:
    record: dict[str, Any] = {
        **public_wallet_facts(wallet),
        "created": now_iso(),
        "exports": [],
    }

    def apply(s: State) -> None:
        existing = [w for w in s["wallets"] if w.get("address") == wallet.address]
        if not existing:
            s["wallets"].append(record)
        s["history"].append(history_entry(action, detail=f"{wallet.chain} {wallet.address}"))

    ctl.store.update(apply)
    log.info("%s: %s %s", action, wallet.chain, wallet.address)
