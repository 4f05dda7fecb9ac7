"""The onboarding controller: the one object the TUI and the CLI talk to.

A thin facade over modules named for what they do: ``offer_ops`` (validate,
onboard, resource-config), ``offboarding``, ``status`` (status and drift),
``wallet_ops`` and ``records``, beside ``store``, ``rules`` and ``identity``. It
returns models or raises ``OnboardError`` subclasses whose text is fit for a
person; it never prints.

pydantic, the wallet libraries and cryptography are imported inside the
functions that need them: ``status`` is on a tight budget and must not pay for them.
Nor for ``pathlib`` or ``typing`` (with what they import, ~0.8x of a bare interpreter
start): the domain works on the state directory as text (``directory``), and the
``Path`` properties the app and the writers use are made when first asked for.
"""

from __future__ import annotations

import os

from app.onboarding import identity, metadata_v2, rules
from app.onboarding.errors import NotOnboarded
from app.onboarding.status import OnboardingStatus, build_status
from app.onboarding.status import machine_uuid as _machine_uuid
from app.onboarding.store import State, StateStore

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing; mypy reads it as True
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from pathlib import Path
    from typing import Any

    from app.hardware import Capacity, MachineInfo, Usage
    from app.hardware.gpus.sampler import GpuSampler
    from app.onboarding.errors import Problem
    from app.onboarding.models import (
        AvailableResources,
        BlockchainAddressPrivKey,
        CapacityForNunet,
        Metadata,
        Provisioned,
    )
    from app.onboarding.offboarding import OffboardPlan, OffboardResult
    from app.onboarding.offer import Target
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


def _as_path(text: str) -> Path:
    from pathlib import Path  # not at the top: status works in text and never needs it

    return Path(text)


class OnboardingController:
    def __init__(
        self,
        state_dir: str | os.PathLike[str],
        *,
        probe: Callable[[], MachineInfo] | None = None,
        gpu_timeout_s: float = 5.0,
        load_average: Callable[[], float] | None = None,
    ) -> None:
        """``probe`` and ``load_average`` replace the machine's own readings (the
        hardware probe, ``os.getloadavg``) where a test or a screenshot needs a fixed machine."""
        self.directory = os.fspath(state_dir)
        """The state directory as text: what the domain modules take."""
        self._load_average = load_average
        self.store = StateStore(self.directory)
        self.store.after_write = metadata_v2.hook(self.directory)
        self._probe = probe
        self._gpu_timeout_s = gpu_timeout_s
        self._machine: MachineInfo | None = None
        self._gpu_sampler: GpuSampler | None = None

    # -- paths ---------------------------------------------------------------
    @property
    def state_dir(self) -> Path:
        return _as_path(self.directory)

    @property
    def state_path(self) -> Path:
        return _as_path(self.store.path)

    @property
    def metadata_path(self) -> Path:
        """DMS's metadataV2.json, derived from the state file and kept equal to it."""
        return _as_path(metadata_v2.path(self.directory))

    @property
    def log_path(self) -> Path:
        return _as_path(os.path.join(self.directory, "logs", "nunet-onboard.log"))

    @property
    def key_path(self) -> Path:
        return _as_path(identity.key_path(self.directory))

    # -- hardware --------------------------------------------------------------
    def machine(self, *, refresh: bool = False, gpus: bool = True) -> MachineInfo:
        """The machine's capacity, probed once and cached (``refresh`` probes again)."""
        if self._machine is None or refresh or (gpus and not self._machine.gpus.probed):
            if self._probe is not None:
                self._machine = self._probe()
            else:
                from app.hardware import probe_machine

                self._machine = probe_machine(
                    self.directory, gpus=gpus, gpu_timeout_s=self._gpu_timeout_s
                )
        return self._machine

    def fit_machine(self) -> MachineInfo | Capacity:
        """What ``status`` checks the offer against: the machine already probed (or the
        one a test gave), else the GPU-less Capacity, which is read in about a
        millisecond without psutil, so that ``status`` stays fast."""
        if self._machine is not None or self._probe is not None:
            return self.machine(gpus=False)
        from app.hardware import probe_capacity

        return probe_capacity(self.directory)

    def machine_for(self, *, gpus: bool) -> MachineInfo | Capacity:
        """The whole machine when GPUs matter, else ``fit_machine()``: planning an offer
        without GPUs needs no psutil, OS facts or GPU tools (``apply --check``)."""
        return self.machine(gpus=True) if gpus else self.fit_machine()

    def usage(self) -> Usage:
        """CPU, memory and each NVIDIA GPU's use now. The GPUs are read by one NVML
        sampler thread per controller, started by the first call: this never waits."""
        from app.hardware import sample_usage
        from app.hardware.gpus.sampler import GpuSampler

        if self._gpu_sampler is None:
            self._gpu_sampler = GpuSampler()
        return sample_usage(self._gpu_sampler)

    def limits(self, machine: MachineInfo | Capacity | None = None) -> rules.OfferLimits:
        m = machine or self.machine()
        return rules.OfferLimits(
            cpu_total=m.usable_cpu_mhz,
            memory_total=m.usable_memory_mb,
            cores_total=m.usable_cores,
            disk_free=m.disk.free_gb,
            gpu_indices=tuple(g.index for g in m.gpus.devices),
            mhz_per_core=m.cpu.mhz_per_core,
            gpu_fault=None if m.gpus.readable else "; ".join(m.gpus.faults),
        )

    def provisioned(self) -> Provisioned:
        from app.onboarding.models import Provisioned

        m = self.machine()
        return Provisioned(
            cpu=m.usable_cpu_mhz, memory=m.usable_memory_mb, total_cores=m.usable_cores
        )

    # -- reading state ---------------------------------------------------------
    def _state(self) -> State:
        return self.store.read()

    def revision(self) -> int:
        """The state's revision now; pass it back as ``base_revision`` to write safely."""
        return int(self._state().get("revision", 0))

    def changes_since(self, base_revision: int) -> list[str]:
        """What was written after ``base_revision``, one line per action, in a person's words."""
        from app.onboarding.store import _changes_since

        return _changes_since(self._state(), base_revision)

    def is_onboarded(self) -> bool:
        state = self._state()
        return state.get("metadata") is not None and identity.identity_exists(self.directory)

    def get_metadata(self) -> Metadata:
        from app.onboarding.models import Metadata

        data = self._state().get("metadata")
        if data is None:
            raise NotOnboarded("reading the metadata")
        return Metadata.model_validate(data)

    def current_offer(self) -> CapacityForNunet | None:
        from app.onboarding.models import CapacityForNunet

        data = self._state().get("offer")
        return None if data is None else CapacityForNunet.model_validate(data)

    def available_resources(self) -> AvailableResources | None:
        from app.onboarding.models import AvailableResources

        data = self._state().get("available_resources")
        return None if data is None else AvailableResources.model_validate(data)

    def wallets(self) -> list[dict[str, Any]]:
        """The public records of wallets made here (chain, network, address, created, exports)."""
        return list(self._state().get("wallets", []))

    def history(self) -> list[dict[str, Any]]:
        return list(self._state().get("history", []))

    def status(self) -> OnboardingStatus:
        """DMS's status plus what is wrong and how to fix it. Never raises for a bad state."""
        return build_status(self, _machine_uuid())

    # -- the offer -------------------------------------------------------------
    def validate(self, capacity: CapacityForNunet) -> list[Problem]:
        """Every rule the offer breaks, for the form's live errors and for the operations."""
        from app.onboarding import offer_ops

        return offer_ops.validate(self, capacity)

    def warnings(self, capacity: CapacityForNunet) -> list[Problem]:
        """What deserves a second look but is accepted (as DMS accepts it): never a refusal."""
        from app.onboarding import advice

        if self._load_average is None:
            return advice.warnings(self, capacity)
        machine = self.machine(gpus=bool(capacity.gpus))
        load = advice.host_load(machine, self._load_average())
        return advice.warnings(self, capacity, load=load)

    def onboard(self, capacity: CapacityForNunet, *, base_revision: int | None = None) -> Metadata:
        from app.onboarding import offer_ops

        return offer_ops.onboard(self, capacity, base_revision=base_revision)

    def resource_config(
        self, capacity: CapacityForNunet, *, base_revision: int | None = None
    ) -> Metadata:
        from app.onboarding import offer_ops

        return offer_ops.resource_config(self, capacity, base_revision=base_revision)

    def apply(self, target: Target, *, check: bool = False) -> Plan:
        """Converge to a declarative offer (``apply``): plan, and unless ``check``, do it."""
        from app.onboarding import plan

        return plan.apply(self, target, check=check)

    def change_offer(
        self, changes: Mapping[str, Any], *, base_revision: int | None = None
    ) -> Metadata:
        """Change only the named fields of the offer, merged with the stored one under the lock.

        ``changes`` maps ``CapacityForNunet`` field names to new values; what is not
        named stays as stored, even when another process changed it a moment ago.
        """
        from app.onboarding import offer_ops

        return offer_ops.change_offer(self, changes, base_revision=base_revision)

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

    def new_wallet(self, chain: str, *, network: str = "mainnet", words: int = 24) -> NewWallet:
        """A fresh wallet; its public facts are recorded, its secrets are only returned."""
        from app.onboarding import wallet_ops

        return wallet_ops.new_wallet(self, chain, network=network, words=words)

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
    ) -> tuple[NewWallet, list[Path]]:
        """A fresh wallet and its key files; recorded only once the files are written."""
        from app.onboarding import wallet_ops

        return wallet_ops.new_exported_wallet(
            self, chain, directory, password, network=network, words=words, kdf=kdf
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
