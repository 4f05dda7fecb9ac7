"""Wallet operations of the controller: make, restore, export, and record public facts.

Secrets are only returned to the caller; the state keeps what ``public_wallet_facts``
allows. The wallet libraries are imported here lazily: they cost about a second.

Backup policy: a new wallet is recorded as soon as its words are shown (the
command line passes ``show``, which raises when stdout cannot take them: nothing
is then recorded), with ``backup_checked: false``, and marked true only when the
person has typed back words of its mnemonic exactly (``check_backup_words``).
Recording then, rather than only after the check, keeps the address findable
(``wallet list``) if the app or the shell dies in between; the flag makes sure
that such an address never looks usable.
A restored wallet is checked by definition: the person has just typed all of
its words. A record written before this flag existed counts as unchecked.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.onboarding.errors import OnboardError
from app.onboarding.pending_exports import PendingExport, clean_unrecorded
from app.onboarding.records import history_entry, now_iso, public_wallet_facts
from app.onboarding.refusals import ExportFailed, WalletError
from app.onboarding.wallet_backup import backup_checked as backup_checked
from app.onboarding.wallet_backup import check_backup_words as check_backup_words
from app.onboarding.wallet_backup import mark_backup_checked as mark_backup_checked
from app.onboarding.wallet_backup import unchecked_address_warning as unchecked_address_warning

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from app.onboarding.controller import OnboardingController
    from app.onboarding.models import BlockchainAddressPrivKey
    from app.onboarding.store import State
    from app.wallets import NewWallet

    Show = Callable[[NewWallet, list[Path]], None]
    """Shows a new wallet's words (and its key files) to the user; raises if it cannot."""

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


@contextlib.contextmanager
def _as_wallet_error() -> Iterator[None]:
    """The wallet library's errors as ours (their text is fit for a person, no secret)."""
    from app.wallets import WalletError as LibWalletError

    try:
        yield
    except LibWalletError as exc:
        raise WalletError(str(exc)) from None


def _create(chain: str, network: str, words: int) -> NewWallet:
    check_chain(chain)
    from app.wallets import create_wallet

    with _as_wallet_error():
        return create_wallet(chain, network=network, words=words)


def _restore(
    chain: str, mnemonic: str, *, network: str, passphrase: str, account: int
) -> NewWallet:
    check_chain(chain)
    from app.wallets import restore_wallet as lib_restore

    with _as_wallet_error():
        return lib_restore(chain, mnemonic, network=network, passphrase=passphrase, account=account)


def new_wallet(
    ctl: OnboardingController,
    chain: str,
    *,
    network: str = "mainnet",
    words: int = 24,
    show: Show | None = None,
) -> NewWallet:
    """A fresh wallet; its public facts are recorded, its secrets are only returned.

    ``show`` (the command line's printing of the words) runs before the record is
    written: if the words cannot reach the user (stdout full or closed), it raises
    and nothing is recorded, so no address is ever recorded whose words no one saw.
    """
    clean_unrecorded(ctl)
    ctl.store.read()  # a state that cannot take the record refuses before words are shown
    wallet = _create(chain, network, words)
    if show is not None:
        show(wallet, [])
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
    clean_unrecorded(ctl)
    wallet = _restore(chain, mnemonic, network=network, passphrase=passphrase, account=account)
    record_wallet(ctl, wallet, "wallet-restore", backup_checked=True)
    return wallet


def check_export_target(chain: str, directory: Path) -> Path:
    """The absolute directory, once it is known that an export there can be written.

    Called before a wallet is made, so that a refusal leaves nothing made.
    """
    check_chain(chain)
    from app.wallets import check_export_target as lib_check

    with _as_wallet_error():
        return lib_check(chain, directory)


def new_exported_wallet(
    ctl: OnboardingController,
    chain: str,
    directory: Path,
    password: str | None,
    *,
    network: str = "mainnet",
    words: int = 24,
    kdf: str = "scrypt",
    show: Show | None = None,
) -> tuple[NewWallet, list[Path]]:
    """A fresh wallet whose key files are written first and which is recorded only then
    (after ``show``, as in ``new_wallet``; if it raises, the key files are removed).

    The target is checked before the wallet is made; if the export still fails,
    nothing is recorded and nothing stays on disk, so a caller that shows the
    words only on success can never leave a recorded address whose words were
    never shown.
    """
    _require_password(chain, password)
    clean_unrecorded(ctl)
    directory = check_export_target(chain, directory)
    wallet = _create(chain, network, words)
    paths = _export_then_record(
        ctl, wallet, (directory, password, kdf), "wallet-new", backup_checked=False, show=show
    )
    return wallet, paths


def restore_exported_wallet(
    ctl: OnboardingController,
    chain: str,
    mnemonic: str,
    directory: Path,
    password: str | None,
    *,
    network: str = "mainnet",
    passphrase: str = "",
    account: int = 0,
    kdf: str = "scrypt",
) -> tuple[NewWallet, list[Path]]:
    """Restore and export; recorded (as checked) only once the key files are written."""
    _require_password(chain, password)
    clean_unrecorded(ctl)
    directory = check_export_target(chain, directory)
    wallet = _restore(chain, mnemonic, network=network, passphrase=passphrase, account=account)
    paths = _export_then_record(
        ctl, wallet, (directory, password, kdf), "wallet-restore", backup_checked=True
    )
    return wallet, paths


def _require_password(chain: str, password: str | None) -> None:
    if chain == "ethereum":
        _keystore_password(password)


def _keystore_password(password: str | None) -> str:
    if not password:
        raise WalletError("an Ethereum keystore needs a password")
    return password


def _export_then_record(
    ctl: OnboardingController,
    wallet: NewWallet,
    export: tuple[Path, str | None, str],
    action: str,
    *,
    backup_checked: bool,
    show: Show | None = None,
) -> list[Path]:
    """Write the key files (``export``: directory, password, kdf), ``show`` the wallet,
    then record it with them; on any failure, remove what this call wrote or created."""
    directory, password, kdf = export
    created = _missing_dirs(directory)
    ctl.store.ensure_dir()
    # Noted before the first file is written: a kill before the record leaves a note
    # from which the next wallet command removes those files (clean_unrecorded).
    with PendingExport(ctl.directory, wallet.address, created) as pending:
        try:
            ctl.store.read()  # a state that cannot take the record: refused before any file
            paths = _write_keys(wallet, directory, password, kdf, pending.note_files)
            try:
                if show is not None:
                    show(wallet, paths)
                record_wallet(ctl, wallet, action, backup_checked=backup_checked, exports=paths)
            except BaseException:
                for path in paths:
                    path.unlink(missing_ok=True)
                raise
        except BaseException as exc:
            for made in created:  # innermost first; only the ones made here, if empty
                with contextlib.suppress(OSError):
                    made.rmdir()
            if isinstance(exc, OnboardError):
                raise ExportFailed(str(exc)) from None
            raise
    log.info("exported %s wallet %s to %s", wallet.chain, wallet.address, directory)
    return paths


def _missing_dirs(directory: Path) -> list[Path]:
    """The directories an export to ``directory`` would create, innermost first."""
    from app.wallets import absolute_directory

    missing: list[Path] = []
    path = absolute_directory(directory)
    while not path.exists() and path != path.parent:
        missing.append(path)
        path = path.parent
    return missing


def _write_keys(
    wallet: NewWallet,
    directory: Path,
    password: str | None,
    kdf: str,
    before_write: Callable[[dict[Path, str]], None] | None = None,
) -> list[Path]:
    from app.wallets import export_cardano_keys, export_ethereum_keystore

    with _as_wallet_error():
        if wallet.chain == "ethereum":
            key = _keystore_password(password)
            path = export_ethereum_keystore(
                wallet, Path(directory), key, kdf=kdf, before_write=before_write
            )
            return [path]
        return export_cardano_keys(wallet, Path(directory), before_write)


def export_wallet(
    ctl: OnboardingController,
    wallet: NewWallet,
    directory: Path,
    password: str | None = None,
    *,
    kdf: str = "scrypt",
) -> list[Path]:
    """Write the key files of a recorded wallet (keystore for Ethereum, envelopes for
    Cardano) 0600, and add their absolute paths to its record."""
    paths = _write_keys(wallet, directory, password, kdf)

    def apply(s: State) -> None:
        for record in s["wallets"]:
            if record.get("address") == wallet.address:
                record.setdefault("exports", []).extend(str(p) for p in paths)
                break
        s["history"].append(
            history_entry("wallet-export", detail=f"{wallet.chain} {wallet.address}")
        )

    try:
        ctl.store.update(apply)
    except BaseException:
        for path in paths:  # not recorded: not left behind either
            path.unlink(missing_ok=True)
        raise
    log.info("exported %s wallet %s to %s", wallet.chain, wallet.address, directory)
    return paths


def default_export_dir(ctl: OnboardingController, wallet: NewWallet) -> Path:
    """Where the app offers to export ``wallet``: a folder of its own under the state
    directory, named by the chain and the start of the address, so that a second
    wallet's key files never meet the first one's (``cardano-qx8h2f4d6k``)."""
    address = wallet.address
    body = address[2:] if address.lower().startswith("0x") else address.rpartition("1")[2]
    return ctl.state_dir / "wallets" / f"{wallet.chain}-{body[:10].lower()}"


def default_cardano_network(ctl: OnboardingController, channel: str | None = None) -> str:
    """The Cardano network a new wallet is offered for: the one of ``channel``, else of
    the stored offer's channel, else mainnet (``app.wallets.expected_network``)."""
    from app.wallets import expected_network

    if not channel:
        with contextlib.suppress(OnboardError):
            offer = ctl.current_offer()
            channel = offer.channel if offer is not None else None
    return expected_network(channel) if channel else "mainnet"


def record_wallet(
    ctl: OnboardingController,
    wallet: NewWallet,
    action: str,
    *,
    backup_checked: bool,
    exports: list[Path] | None = None,
) -> None:
    exported = [str(p) for p in exports or []]
    record: dict[str, Any] = {
        **public_wallet_facts(wallet),
        "created": now_iso(),
        "exports": exported,
        "backup_checked": backup_checked,
    }
    detail = f"{wallet.chain} {wallet.address}"

    def apply(s: State) -> None:
        existing = [w for w in s["wallets"] if w.get("address") == wallet.address]
        if not existing:
            s["wallets"].append(record)
        else:
            if backup_checked:
                existing[0]["backup_checked"] = True  # restoring proves the words are known
            existing[0].setdefault("exports", []).extend(exported)
        s["history"].append(history_entry(action, detail=detail))
        if exported:
            s["history"].append(history_entry("wallet-export", detail=detail))

    ctl.store.update(apply)
    log.info("%s: %s %s", action, wallet.chain, wallet.address)


def create_payment_address(
    ctl: OnboardingController, wallet: str, *, network: str = "mainnet", words: int = 24
) -> BlockchainAddressPrivKey:
    """DMS's ``CreatePaymentAddress``: a new address with its private key and mnemonic."""
    from app.onboarding.models import BlockchainAddressPrivKey

    new = new_wallet(ctl, wallet, network=network, words=words)
    return BlockchainAddressPrivKey(
        address=new.address, private_key=new.private_key or "", mnemonic=new.mnemonic
    )
