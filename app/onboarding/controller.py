"""The onboarding controller: the one object the TUI and the CLI talk to.

It holds DMS's operations (onboard, get_metadata, status, resource_config,
offboard, create_payment_address) over the JSON store, the hardware probe and
the wallets. It returns models or raises ``OnboardError`` subclasses whose text
is fit for a person; it never prints.

pydantic, the wallet libraries and cryptography are imported inside the methods
that need them: ``status`` is on a 150 ms budget and must not pay for them.
"""

from __future__ import annotations

import logging
import math
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.onboarding import identity, rules
from app.onboarding.errors import (
    AlreadyOnboarded,
    NotOnboarded,
    OnboardError,
    Problem,
    RuleViolation,
    StateCorrupt,
    StateError,
    WalletError,
)
from app.onboarding.status import OnboardingStatus, StatusProblem
from app.onboarding.store import State, StateStore

if TYPE_CHECKING:
    from app.hardware import MachineInfo, Usage
    from app.onboarding.models import (
        AvailableResources,
        BlockchainAddressPrivKey,
        CapacityForNunet,
        Metadata,
        Provisioned,
    )
    from app.wallets import AddressCheck, NewWallet

log = logging.getLogger("nunet_onboard.controller")


@dataclass(frozen=True)
class OffboardPlan:
    """What offboarding would remove and what it keeps, for the dialog and the prompt."""

    remove: tuple[str, ...]
    keep: tuple[str, ...]
    onboarded: bool
    removes_identity: bool = False


@dataclass(frozen=True)
class OffboardResult:
    removed: tuple[str, ...]
    kept: tuple[str, ...]
    failed: tuple[str, ...] = field(default=())


def _now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _machine_uuid() -> str:
    """The machine id as a UUID (DMS's ``machine_uuid``), or "unknown"."""
    for candidate in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        try:
            raw = Path(candidate).read_text().strip()
        except OSError:
            continue
        if len(raw) == 32:
            return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"
    return "unknown"


class OnboardingController:
    def __init__(
        self,
        state_dir: Path,
        *,
        probe: Callable[[], MachineInfo] | None = None,
        gpu_timeout_s: float = 5.0,
    ) -> None:
        self.state_dir = Path(state_dir)
        self.store = StateStore(self.state_dir)
        self._probe = probe
        self._gpu_timeout_s = gpu_timeout_s
        self._machine: MachineInfo | None = None

    # -- paths ---------------------------------------------------------------
    @property
    def state_path(self) -> Path:
        return self.store.path

    @property
    def log_path(self) -> Path:
        return self.state_dir / "logs" / "nunet-onboard.log"

    @property
    def key_path(self) -> Path:
        return identity.key_path(self.state_dir)

    # -- hardware --------------------------------------------------------------
    def machine(self, *, refresh: bool = False, gpus: bool = True) -> MachineInfo:
        """The machine's capacity, probed once and cached (``refresh`` probes again)."""
        if self._machine is None or refresh or (gpus and not self._machine.gpus.probed):
            if self._probe is not None:
                self._machine = self._probe()
            else:
                from app.hardware import probe_machine

                self._machine = probe_machine(
                    self.state_dir, gpus=gpus, gpu_timeout_s=self._gpu_timeout_s
                )
        return self._machine

    def usage(self) -> Usage:
        from app.hardware import sample_usage

        return sample_usage()

    def limits(self, machine: MachineInfo | None = None) -> rules.OfferLimits:
        m = machine or self.machine()
        return rules.OfferLimits(
            cpu_total=m.usable_cpu_mhz,
            memory_total=m.usable_memory_mb,
            cores_total=m.usable_cores,
            disk_free=m.disk.free_gb,
            gpu_indices=tuple(g.index for g in m.gpus.devices),
            mhz_per_core=m.cpu.mhz_per_core,
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

    def is_onboarded(self) -> bool:
        state = self._state()
        return state.get("metadata") is not None and identity.identity_exists(self.state_dir)

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

    # -- status ----------------------------------------------------------------
    def status(self) -> OnboardingStatus:
        """DMS's status plus what is wrong and how to fix it. Never raises for a bad state."""
        base: dict[str, Any] = {
            "machine_uuid": _machine_uuid(),
            "metadata_path": str(self.state_path),
            "database_path": str(self.state_path),
        }
        try:
            state = self._state()
        except StateCorrupt as exc:
            return OnboardingStatus(
                onboarded=False,
                error=str(exc),
                problems=(
                    StatusProblem(
                        "corrupt",
                        exc.problem,
                        "run 'nunet-onboard offboard --force' to start clean",
                    ),
                ),
                **base,
            )
        except StateError as exc:
            return OnboardingStatus(
                onboarded=False,
                error=str(exc),
                problems=(
                    StatusProblem(
                        "unreadable", str(exc), "check the state directory's permissions"
                    ),
                ),
                **base,
            )

        metadata = state.get("metadata")
        offer = state.get("offer") or {}
        has_key = identity.identity_exists(self.state_dir)
        problems: list[StatusProblem] = []
        if (metadata is not None) != has_key:
            message = (
                f"the metadata is present but the node identity {self.key_path} is missing"
                if metadata is not None
                else f"a node identity {self.key_path} exists but there is no metadata"
            )
            problems.append(
                StatusProblem(
                    "inconsistent",
                    message,
                    "run 'nunet-onboard offboard --force', then onboard again",
                )
            )
        onboarded = metadata is not None and has_key
        if metadata is not None and offer:
            problems.extend(self._drift(offer))
        return OnboardingStatus(
            onboarded=onboarded,
            error=problems[0].message if problems else None,
            is_available=bool(offer.get("is_available", False)) if onboarded else False,
            channel=offer.get("channel"),
            node_id=(metadata or {}).get("node_id"),
            payment_addr=offer.get("payment_addr"),
            reserved_cpu=offer.get("cpu"),
            reserved_memory=offer.get("memory"),
            problems=tuple(problems),
            **base,
        )

    def _drift(self, offer: dict[str, Any]) -> list[StatusProblem]:
        """The stored offer checked against today's hardware."""
        gpus = list(offer.get("gpus") or [])
        machine = self.machine(gpus=bool(gpus))
        found = rules.check_resources(
            cpu=int(offer.get("cpu", 0)),
            memory=int(offer.get("memory", 0)),
            cardano=bool(offer.get("cardano", False)),
            disk=int(offer.get("disk", 0)),
            gpus=gpus,
            cores=offer.get("cores"),
            limits=self.limits(machine),
        )
        return [
            StatusProblem(
                "drift",
                f"the offer no longer fits this machine: {p.message}",
                "change the offer with 'nunet-onboard resource-config' (or the Allocate screen)",
            )
            for p in found
        ]

    # -- validation ------------------------------------------------------------
    def validate(self, capacity: CapacityForNunet) -> list[Problem]:
        """Every rule the offer breaks, for the form's live errors and for the operations."""
        problems: list[Problem] = []
        channel_problem = rules.check_channel(capacity.channel)
        if channel_problem:
            problems.append(channel_problem)
        problems.extend(
            rules.check_resources(
                cpu=capacity.cpu,
                memory=capacity.memory,
                cardano=capacity.cardano,
                disk=capacity.disk,
                gpus=capacity.gpus,
                cores=capacity.cores,
                limits=self.limits(self.machine(gpus=bool(capacity.gpus))),
            )
        )
        price_problem = rules.check_price(capacity.ntx_price)
        if price_problem:
            problems.append(price_problem)
        address_problem = self._address_problem(capacity.payment_addr, capacity.channel)
        if address_problem:
            problems.append(address_problem)
        return problems

    def _address_problem(self, address: str, channel: str) -> Problem | None:
        if not address.strip():
            return Problem(
                "payment_addr",
                "payment_addr is empty; give an Ethereum (0x...) or Cardano (addr1...) address",
            )
        network = self._expected_network(channel)
        check = self.check_address(address, network=network)
        if check.valid:
            return None
        return Problem("payment_addr", f"payment_addr is not valid: {check.reason}")

    @staticmethod
    def _expected_network(channel: str) -> str | None:
        if channel not in rules.CHANNELS:
            return None
        from app.wallets import expected_network

        return expected_network(channel)

    # -- operations ------------------------------------------------------------
    def onboard(self, capacity: CapacityForNunet) -> Metadata:
        """Validate everything, then create the identity and write the offer; nothing on failure."""
        state = self._state()
        if state.get("metadata") is not None or identity.identity_exists(self.state_dir):
            if state.get("metadata") is not None and identity.identity_exists(self.state_dir):
                raise AlreadyOnboarded()
            raise StateError(
                "the onboarding state is inconsistent (see 'nunet-onboard status'); "
                "run 'nunet-onboard offboard --force' first"
            )
        problems = self.validate(capacity)
        if problems:
            raise RuleViolation(problems)
        self.store.ensure_dir()
        try:
            node_id = identity.create_identity(self.state_dir)
        except OSError as exc:
            raise StateError(
                f"cannot create the node identity in {self.state_dir}: {exc.strerror}"
            ) from exc
        try:
            metadata, resources = self._records(capacity, node_id)

            def apply(s: State) -> None:
                if s.get("metadata") is not None:
                    raise AlreadyOnboarded()
                s["offer"] = capacity.model_dump(mode="json")
                s["metadata"] = metadata.model_dump(mode="json")
                s["available_resources"] = resources.model_dump(mode="json")
                s["history"].append(self._history("onboard", capacity))

            self.store.update(apply)
        except BaseException:
            # Nothing is half-written: without the metadata the new key must go too.
            self.key_path.unlink(missing_ok=True)
            raise
        log.info("onboarded: node %s, %s", node_id, self._describe(capacity))
        return metadata

    def resource_config(self, capacity: CapacityForNunet) -> Metadata:
        """Change the offer of an onboarded machine, recomputing ``available`` (DMS forgot to)."""
        state = self._state()
        if state.get("metadata") is None or not identity.identity_exists(self.state_dir):
            raise NotOnboarded("changing the resource configuration")
        problems = self.validate(capacity)
        if problems:
            raise RuleViolation(problems)
        node_id = str(state["metadata"]["node_id"])
        metadata, resources = self._records(capacity, node_id)

        def apply(s: State) -> None:
            if s.get("metadata") is None:
                raise NotOnboarded("changing the resource configuration")
            s["offer"] = capacity.model_dump(mode="json")
            s["metadata"] = metadata.model_dump(mode="json")
            s["available_resources"] = resources.model_dump(mode="json")
            s["history"].append(self._history("resource-config", capacity))

        self.store.update(apply)
        log.info("resource-config: %s", self._describe(capacity))
        return metadata

    def _records(
        self, capacity: CapacityForNunet, node_id: str
    ) -> tuple[Metadata, AvailableResources]:
        from app.onboarding.models import (
            AvailableResources,
            CpuMemory,
            GpuInfo,
            Metadata,
            Resource,
        )

        m = self.machine(gpus=bool(capacity.gpus))
        offered = set(capacity.gpus)
        gpu_info = [
            GpuInfo(
                name=g.name,
                tot_vram=g.total_vram_mb,
                free_vram=g.free_vram_mb,
                index=g.index,
                vendor=g.vendor,
                driver=g.driver,
                uuid=g.uuid,
            )
            for g in m.gpus.devices
            if g.index in offered
        ]
        per_core = m.cpu.mhz_per_core or 1.0
        cores = capacity.cores or min(m.usable_cores, max(1, math.ceil(capacity.cpu / per_core)))
        metadata = Metadata(
            name=m.os.hostname or socket.gethostname(),
            update_timestamp=int(time.time()),
            resource=Resource(
                memory_max=m.usable_memory_mb, total_core=m.usable_cores, cpu_max=m.usable_cpu_mhz
            ),
            available=CpuMemory(
                cpu=m.usable_cpu_mhz - capacity.cpu, memory=m.usable_memory_mb - capacity.memory
            ),
            reserved=CpuMemory(cpu=capacity.cpu, memory=capacity.memory),
            network=capacity.channel,
            public_key=capacity.payment_addr,
            node_id=node_id,
            allow_cardano=capacity.cardano,
            gpu_info=gpu_info,
            dashboard="",
            ntx_price=capacity.ntx_price,
        )
        resources = AvailableResources(
            tot_cpu_hz=capacity.cpu,
            cpu_no=cores,
            cpu_hz=round(per_core, 2),
            vcpu=int(capacity.cpu // per_core),
            ram=capacity.memory,
            disk=capacity.disk,
            ntx_price=capacity.ntx_price,
        )
        return metadata, resources

    @staticmethod
    def _describe(capacity: CapacityForNunet) -> str:
        parts = [
            f"cpu {capacity.cpu} MHz",
            f"memory {capacity.memory} MB",
            f"channel {capacity.channel}",
        ]
        if capacity.disk:
            parts.append(f"disk {capacity.disk} GB")
        if capacity.gpus:
            parts.append("gpus " + ",".join(map(str, capacity.gpus)))
        return ", ".join(parts)

    def _history(
        self, action: str, capacity: CapacityForNunet | None = None, detail: str = ""
    ) -> dict[str, str]:
        return {
            "time": _now_iso(),
            "action": action,
            "detail": detail or (self._describe(capacity) if capacity else ""),
        }

    # -- offboarding -----------------------------------------------------------
    def offboard_plan(self) -> OffboardPlan:
        remove: list[str] = []
        keep: list[str] = []
        onboarded = False
        try:
            state = self._state()
        except StateCorrupt as exc:
            remove.append(f"the unreadable state file {self.state_path}")
            if exc.kept_at:
                keep.append(f"a copy of it at {exc.kept_at}")
            state = None
        if state is not None:
            if state.get("metadata") is not None:
                onboarded = identity.identity_exists(self.state_dir)
                offer = state.get("offer") or {}
                remove.append(
                    f"the offer and metadata (cpu {offer.get('cpu')} MHz, memory {offer.get('memory')} MB, "
                    f"channel {offer.get('channel')}) in {self.state_path}"
                )
                remove.append("the available resources record")
            wallets = state.get("wallets", [])
            if wallets:
                keep.append(f"{len(wallets)} wallet record(s) (public addresses only)")
            for w in wallets:
                for p in w.get("exports", []):
                    keep.append(f"exported key file {p}")
            if state.get("history"):
                keep.append("the history of actions")
        if identity.identity_exists(self.state_dir):
            remove.append(f"the node identity {self.key_path}")
        keep.append(f"the log files in {self.log_path.parent}")
        return OffboardPlan(
            remove=tuple(remove),
            keep=tuple(keep),
            onboarded=onboarded,
            removes_identity=identity.identity_exists(self.state_dir),
        )

    def offboard(self, force: bool = False) -> OffboardResult:
        """Remove the offer, metadata, available resources and node identity.

        Without ``force`` the state must be readable and complete. With it, every
        step is tried, an unreadable state file is kept aside and removed, and what
        could not be removed is reported rather than raised.
        """
        plan = self.offboard_plan()
        removed: list[str] = []
        failed: list[str] = []
        try:
            state = self._state()
        except StateCorrupt as exc:
            if not force:
                raise
            if exc.kept_at is None:
                failed.append(f"could not keep a copy of {self.state_path}; it was left in place")
            else:
                try:
                    self.store.remove_state_file()
                    removed.append(f"the unreadable state file (kept at {exc.kept_at})")
                except OSError as err:
                    failed.append(f"could not remove {self.state_path}: {err.strerror}")
            state = None
        except StateError as exc:
            if not force:
                raise
            failed.append(str(exc))
            state = None

        has_meta = state is not None and state.get("metadata") is not None
        has_key = identity.identity_exists(self.state_dir)
        if not force:
            if not has_meta and not has_key:
                raise NotOnboarded("offboarding")
            if not (has_meta and has_key):
                raise StateError(
                    "the onboarding state is inconsistent (see 'nunet-onboard status'); "
                    "use 'nunet-onboard offboard --force' to clean it up"
                )

        if state is not None and (
            has_meta or state.get("offer") or state.get("available_resources")
        ):

            def apply(s: State) -> None:
                s["offer"] = None
                s["metadata"] = None
                s["available_resources"] = None
                s["history"].append(self._history("offboard", detail="forced" if force else ""))

            try:
                self.store.update(apply)
                removed.append("the offer, metadata and available resources")
            except OnboardError as exc:
                if not force:
                    raise
                failed.append(str(exc))
        if has_key:
            try:
                self.key_path.unlink()
                removed.append(f"the node identity {self.key_path}")
            except OSError as exc:
                if not force:
                    raise StateError(
                        f"cannot remove the node identity {self.key_path}: {exc.strerror}"
                    ) from exc
                failed.append(f"could not remove {self.key_path}: {exc.strerror}")
        log.info(
            "offboarded%s: removed %s; failed %s", " (forced)" if force else "", removed, failed
        )
        return OffboardResult(removed=tuple(removed), kept=plan.keep, failed=tuple(failed))

    # -- wallets ---------------------------------------------------------------
    def check_address(
        self, address: str, *, channel: str | None = None, network: str | None = None
    ) -> AddressCheck:
        from app.wallets import check_address

        if network is None and channel is not None:
            network = self._expected_network(channel)
        return check_address(address.strip(), network=network)

    def new_wallet(self, chain: str, *, network: str = "mainnet", words: int = 24) -> NewWallet:
        """A fresh wallet; its public facts are recorded, its secrets are only returned."""
        self._check_chain(chain)
        from app.wallets import WalletError as LibWalletError
        from app.wallets import create_wallet

        try:
            wallet = create_wallet(chain, network=network, words=words)
        except LibWalletError as exc:
            raise WalletError(str(exc)) from None
        self._record_wallet(wallet, "wallet-new")
        return wallet

    def restore_wallet(
        self,
        chain: str,
        mnemonic: str,
        *,
        network: str = "mainnet",
        passphrase: str = "",
        account: int = 0,
    ) -> NewWallet:
        self._check_chain(chain)
        from app.wallets import WalletError as LibWalletError
        from app.wallets import restore_wallet

        try:
            wallet = restore_wallet(
                chain, mnemonic, network=network, passphrase=passphrase, account=account
            )
        except LibWalletError as exc:
            raise WalletError(str(exc)) from None
        self._record_wallet(wallet, "wallet-restore")
        return wallet

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
                self._history("wallet-export", detail=f"{wallet.chain} {wallet.address}")
            )

        self.store.update(apply)
        log.info("exported %s wallet %s to %s", wallet.chain, wallet.address, directory)
        return paths

    @staticmethod
    def _check_chain(chain: str) -> None:
        from app.wallets import CHAINS

        if chain not in CHAINS:
            raise WalletError(f"invalid wallet {chain!r}; allowed: {', '.join(CHAINS)}")

    def _record_wallet(self, wallet: NewWallet, action: str) -> None:
        record = {**public_wallet_facts(wallet), "created": _now_iso(), "exports": []}

        def apply(s: State) -> None:
            existing = [w for w in s["wallets"] if w.get("address") == wallet.address]
            if not existing:
                s["wallets"].append(record)
            s["history"].append(self._history(action, detail=f"{wallet.chain} {wallet.address}"))

        self.store.update(apply)
        log.info("%s: %s %s", action, wallet.chain, wallet.address)


def public_wallet_facts(wallet: NewWallet) -> dict[str, Any]:
    """What may be stored or shown of a wallet; an Ethereum address has no network."""
    facts: dict[str, Any] = dict(wallet.public_facts())
    if wallet.chain != "cardano":
        facts["network"] = None
    return facts


def default_controller(state_dir: str | os.PathLike[str] | None = None) -> OnboardingController:
    from app.paths import resolve_state_dir

    return OnboardingController(resolve_state_dir(state_dir))
