"""The read side of the controller: the state directory, the machine, the state, status.

``OnboardingController`` (``controller.py``) adds the operations that write. This
half is what ``status`` builds, and what it loads is most of that command's time:
pydantic, the wallet libraries and cryptography are imported inside the methods
that need them, and so is ``pathlib``: the domain works on the state directory as
text (``directory``), and the ``Path`` properties the app and the writers use are
made when asked for. ``typing`` is imported for the type checker only.
"""

from __future__ import annotations

import os

from app.onboarding import identity, metadata_v2, rules
from app.onboarding.errors import NotOnboarded
from app.onboarding.status import OnboardingStatus, build_status
from app.onboarding.status import machine_uuid as _machine_uuid
from app.onboarding.store import State, _changes_since

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path
    from typing import Any

    from app.hardware import Capacity, MachineInfo, Usage
    from app.hardware.gpus.sampler import GpuSampler
    from app.onboarding.models import (
        AvailableResources,
        CapacityForNunet,
        Metadata,
        Provisioned,
    )


def _as_path(text: str) -> Path:
    from pathlib import Path  # not at the top: status works in text and never needs it

    return Path(text)


class StateReader:
    """One state directory and this machine, read: what ``status``, ``info`` and the
    app's screens show. Never writes."""

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
        self.store = metadata_v2.kept_store(self.directory)
        self._probe = probe
        self._gpu_timeout_s = gpu_timeout_s
        self._machine: MachineInfo | None = None
        self._capacity: Capacity | None = None
        self._gpu_sampler: GpuSampler | None = None

    def load_average(self) -> float | None:
        """The host's one-minute load average as given to the constructor (a test's, a
        screenshot's), or None: the warnings then read the host's own."""
        return None if self._load_average is None else self._load_average()

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
            self._capacity = None  # a probe is the newer reading; refresh drops both
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
        millisecond without psutil, so that ``status`` stays fast; read once, like the
        machine (``machine(refresh=True)`` reads again)."""
        if self._machine is not None or self._probe is not None:
            return self.machine(gpus=False)
        if self._capacity is None:
            from app.hardware import probe_capacity

            self._capacity = probe_capacity(self.directory)
        return self._capacity

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
        from app.hardware.model import whole_mhz
        from app.onboarding.models import Provisioned

        m = self.machine()
        return Provisioned(
            cpu=whole_mhz(m.usable_cpu_mhz), memory=m.usable_memory_mb, total_cores=m.usable_cores
        )

    # -- reading state ---------------------------------------------------------
    def _state(self) -> State:
        return self.store.read()

    def revision(self) -> int:
        """The state's revision now; pass it back as ``base_revision`` to write safely."""
        return int(self._state().get("revision", 0))

    def changes_since(self, base_revision: int) -> list[str]:
        """What was written after ``base_revision``, one line per action, in a person's words."""
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
