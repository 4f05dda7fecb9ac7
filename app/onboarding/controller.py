"""The onboarding controller: the one object the TUI and the CLI talk to.

A thin facade over modules named for what they do: ``offer_ops`` (validate,
onboard, resource-config), ``plan`` (apply), ``offboarding``, ``wallet_ops`` and
``records``, on top of ``StateReader`` (``reader.py``: the state directory, the
machine, the state and ``status``). It returns models or raises ``OnboardError``
subclasses whose text is fit for a person; it never prints.

Each method imports the module that does its work when it runs: ``status`` builds
only the reader, and pays for none of this.
"""

from __future__ import annotations

import os

from app.onboarding.reader import StateReader

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing; mypy reads it as True
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from pathlib import Path
    from typing import Any

    from app.onboarding.errors import Problem
    from app.onboarding.models import (
        BlockchainAddressPrivKey,
        CapacityForNunet,
        Metadata,
    )
    from app.onboarding.offboarding import OffboardPlan, OffboardResult
    from app.onboarding.offer import Target
    from app.onboarding.offer_ops import Prepared
    from app.onboarding.plan import Plan
    from app.onboarding.records import public_wallet_facts
    from app.wallets import AddressCheck, NewWallet

__all__ = [
    "OffboardPlan",
    "OffboardResult",
    "OnboardingController",
    "default_controller",
    "public_wallet_facts",
]


def __getattr__(name: str) -> Any:
    """The re-exported names, imported when first asked for: ``status`` needs none of
    offboarding, offer_ops, wallet_ops or records (socket, datetime), so the methods
    import them when they run."""
    if name in ("OffboardPlan", "OffboardResult"):
        from app.onboarding import offboarding

        return getattr(offboarding, name)
    if name == "public_wallet_facts":
        from app.onboarding import records

        return records.public_wallet_facts
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class OnboardingController(StateReader):
    """The reading (``StateReader``) and every operation that writes."""

    # -- the offer -------------------------------------------------------------
    def validate(self, capacity: CapacityForNunet) -> list[Problem]:
        """Every rule the offer breaks, for the form's live errors and for the operations."""
        from app.onboarding import offer_ops

        return offer_ops.validate(self, capacity)

    def warnings(
        self, capacity: CapacityForNunet, *, wallets: list[dict[str, Any]] | None = None
    ) -> list[Problem]:
        """What deserves a second look but is accepted (as DMS accepts it): never a refusal.
        ``wallets``: the state's wallet records, when the caller has read the state."""
        from app.onboarding import advice

        if self._load_average is None:
            return advice.warnings(self, capacity, wallets=wallets)
        machine = self.machine(gpus=bool(capacity.gpus))
        load = advice.host_load(machine, self._load_average())
        return advice.warnings(self, capacity, load=load, wallets=wallets)

    def prepare(self, capacity: CapacityForNunet, action: str | None = None) -> Prepared:
        """The one prepare step of every write (``offer_ops.prepare``): the problems, the
        warnings and the revision read; ``action`` "onboard" or "resource-config" also
        refuses a machine in the wrong state, None (the app's form) checks the offer alone."""
        from app.onboarding import offer_ops

        return offer_ops.prepare(self, capacity, action)

    def prepare_change(self, changes: Mapping[str, Any]) -> Prepared:
        """``prepare`` for a change of the named fields over the stored offer."""
        from app.onboarding import offer_ops

        return offer_ops.prepare_change(self, changes)

    def onboard(
        self,
        capacity: CapacityForNunet,
        *,
        base_revision: int | None = None,
        prepared: Prepared | None = None,
    ) -> Metadata:
        from app.onboarding import offer_ops

        return offer_ops.onboard(self, capacity, base_revision=base_revision, prepared=prepared)

    def resource_config(
        self,
        capacity: CapacityForNunet,
        *,
        base_revision: int | None = None,
        prepared: Prepared | None = None,
    ) -> Metadata:
        from app.onboarding import offer_ops

        return offer_ops.resource_config(
            self, capacity, base_revision=base_revision, prepared=prepared
        )

    def apply(self, target: Target, *, check: bool = False) -> Plan:
        """Converge to a declarative offer (``apply``): plan, and unless ``check``, do it."""
        from app.onboarding import plan

        return plan.apply(self, target, check=check)

    def change_offer(
        self,
        changes: Mapping[str, Any],
        *,
        base_revision: int | None = None,
        prepared: Prepared | None = None,
    ) -> Metadata:
        """Change only the named fields of the offer, merged with the stored one under the lock.

        ``changes`` maps ``CapacityForNunet`` field names to new values; what is not
        named stays as stored, even when another process changed it a moment ago.
        """
        from app.onboarding import offer_ops

        return offer_ops.change_offer(self, changes, base_revision=base_revision, prepared=prepared)

    def cancel_waits(self, *, forever: bool = False) -> None:
        """Give up every wait for the state lock now (the app's cancel and quit)."""
        self.store.cancel_waits(forever=forever)

    # -- offboarding -----------------------------------------------------------
    def offboard_plan(self) -> OffboardPlan:
        from app.onboarding import offboarding

        return offboarding.offboard_plan(self)

    def offboard(self, force: bool = False, *, base_revision: int | None = None) -> OffboardResult:
        from app.onboarding import offboarding

        return offboarding.offboard(self, force, base_revision=base_revision)

    # -- wallets ---------------------------------------------------------------
    def check_address(self, address: str, *, network: str | None = None) -> AddressCheck:
        """What the address is; ``network`` (if given) only adds a warning when it differs.

        No channel narrows the Cardano network: DMS accepts an address of either
        network on every channel (its own manual onboards addr1... on nunet-test).
        """
        from app.wallets import check_address

        return check_address(address, network=network)

    def warm_wallet_library(self, chain: str) -> None:
        """Start loading the chain's wallet library in the background (seconds for Cardano)."""
        from app.onboarding import wallet_ops

        wallet_ops.warm_library(chain)

    def new_wallet(
        self,
        chain: str,
        *,
        network: str = "mainnet",
        words: int = 24,
        show: Callable[[NewWallet, list[Path]], None] | None = None,
    ) -> NewWallet:
        """A fresh wallet; its public facts are recorded (after ``show``, which may
        refuse by raising), its secrets are only returned."""
        from app.onboarding import wallet_ops

        return wallet_ops.new_wallet(self, chain, network=network, words=words, show=show)

    def restore_wallet(
        self,
        chain: str,
        mnemonic: str,
        *,
        network: str = "mainnet",
        passphrase: str = "",
        account: int = 0,
    ) -> NewWallet:
        from app.onboarding import wallet_ops

        return wallet_ops.restore_wallet(
            self, chain, mnemonic, network=network, passphrase=passphrase, account=account
        )

    def create_payment_address(
        self, wallet: str, *, network: str = "mainnet", words: int = 24
    ) -> BlockchainAddressPrivKey:
        """DMS's ``CreatePaymentAddress``: a new address with its private key and mnemonic."""
        from app.onboarding.models import BlockchainAddressPrivKey

        new = self.new_wallet(wallet, network=network, words=words)
        return BlockchainAddressPrivKey(
            address=new.address, private_key=new.private_key or "", mnemonic=new.mnemonic
        )

    def export_wallet(
        self,
        wallet: NewWallet,
        directory: Path,
        password: str | None = None,
        *,
        kdf: str = "scrypt",
    ) -> list[Path]:
        """Write the wallet's key files (keystore for Ethereum, envelopes for Cardano) 0600."""
        from app.onboarding import wallet_ops

        return wallet_ops.export_wallet(self, wallet, directory, password, kdf=kdf)

    def check_export_target(self, chain: str, directory: Path) -> Path:
        """The absolute directory, once it is known that key files can be exported there
        (a directory or a path that can become one, writable, no Cardano key file yet).
        Nothing is created; call it before a wallet is made."""
        from app.onboarding import wallet_ops

        return wallet_ops.check_export_target(chain, directory)

    def new_exported_wallet(
        self,
        chain: str,
        directory: Path,
        password: str | None,
        *,
        network: str = "mainnet",
        words: int = 24,
        kdf: str = "scrypt",
        show: Callable[[NewWallet, list[Path]], None] | None = None,
    ) -> tuple[NewWallet, list[Path]]:
        """A fresh wallet and its key files; recorded only once the files are written
        and ``show`` returned (if it raises, the files are removed)."""
        from app.onboarding import wallet_ops

        return wallet_ops.new_exported_wallet(
            self, chain, directory, password, network=network, words=words, kdf=kdf, show=show
        )

    def restore_exported_wallet(
        self,
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
        """A restored wallet and its key files; recorded only once the files are written."""
        from app.onboarding import wallet_ops

        return wallet_ops.restore_exported_wallet(
            self,
            chain,
            mnemonic,
            directory,
            password,
            network=network,
            passphrase=passphrase,
            account=account,
            kdf=kdf,
        )

    def default_export_dir(self, wallet: NewWallet) -> Path:
        """The app's default export place for ``wallet``: its own folder under the state dir."""
        from app.onboarding import wallet_ops

        return wallet_ops.default_export_dir(self, wallet)

    def default_cardano_network(self, channel: str | None = None) -> str:
        """The Cardano network offered for a new wallet: ``channel``'s, else the stored
        offer's channel's, else mainnet."""
        from app.onboarding import wallet_ops

        return wallet_ops.default_cardano_network(self, channel)

    def check_backup_words(
        self, mnemonic: str, positions: list[int], typed: list[str]
    ) -> list[str]:
        """What is wrong with each word typed back (exact match only); [] when all match."""
        from app.onboarding import wallet_ops

        return wallet_ops.check_backup_words(mnemonic, positions, typed)

    def mark_backup_checked(self, address: str) -> None:
        """The words of the wallet at ``address`` were typed back: it may be used."""
        from app.onboarding import wallet_ops

        wallet_ops.mark_backup_checked(self, address)

    def unchecked_address_warning(self, address: str) -> str | None:
        """A warning when ``address`` is a wallet made here whose backup was never checked."""
        from app.onboarding import wallet_ops

        return wallet_ops.unchecked_address_warning(self, address)


def default_controller(state_dir: str | os.PathLike[str] | None = None) -> OnboardingController:
    from app.paths import resolve_state_dir

    return OnboardingController(resolve_state_dir(state_dir))
