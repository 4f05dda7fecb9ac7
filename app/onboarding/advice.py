"""Warnings about an offer that the rules accept: worth a second look, never a refusal.

DMS accepts these offers (an Ethereum address without a checksum, a Byron or
other-network Cardano address, an offer larger than what the host has free at
this moment), so refusing them would break a drop-in. But each one is a likely
mistake, so the CLI prints it on stderr and the app shows it beside the field.
Each warning is a ``Problem`` like a refusal, so both are worded the same way
(``said_as`` with the flag or the label).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.hardware.model import whole_mhz
from app.onboarding.errors import Problem

if TYPE_CHECKING:
    from app.hardware import MachineInfo
    from app.onboarding.controller import OnboardingController
    from app.onboarding.models import CapacityForNunet


@dataclass(frozen=True)
class HostLoad:
    """What the host uses right now, in the offer's units."""

    memory_used_mb: int
    cpu_busy_mhz: int


def host_load(machine: MachineInfo, load_average: float | None = None) -> HostLoad:
    """Memory in use (total - available at the probe) and CPU busy (1-minute load x MHz/core).

    The load average, not ``psutil.cpu_percent``: the first sample of a process
    reads 0 %, which would hide a busy host from a one-shot CLI command.
    """
    if load_average is None:
        try:
            load_average = os.getloadavg()[0]
        except OSError:
            load_average = 0.0
    cores = max(1, machine.usable_cores)
    busy_cores = min(float(cores), max(0.0, load_average))
    total = machine.usable_memory_mb
    used = max(0, min(total, machine.memory.total_mb - machine.memory.available_mb))
    return HostLoad(
        memory_used_mb=used,
        cpu_busy_mhz=int(busy_cores / cores * machine.usable_cpu_mhz),
    )


def free_now_warnings(cpu: int, memory: int, machine: MachineInfo, load: HostLoad) -> list[Problem]:
    """Warn when the offer is more than what is free right now (newer DMS refuses it)."""
    found = []
    free_mb = machine.usable_memory_mb - load.memory_used_mb
    if memory > free_mb:
        detail = (
            f"{memory} MB offered, but only {free_mb} MB of {machine.usable_memory_mb} MB are free "
            f"now ({load.memory_used_mb} MB in use): jobs could leave the host short of memory"
        )
        found.append(Problem("memory", f"memory {detail}", detail))
    total_mhz = whole_mhz(machine.usable_cpu_mhz)
    free_mhz = total_mhz - load.cpu_busy_mhz
    if cpu > free_mhz:
        detail = (
            f"{cpu} MHz offered, but only {free_mhz} MHz of {total_mhz} MHz are idle "
            f"now (about {load.cpu_busy_mhz} MHz busy by the 1-minute load average): jobs "
            "could leave the host short of CPU"
        )
        found.append(Problem("cpu", f"cpu {detail}", detail))
    return found


def address_warnings(
    ctl: OnboardingController, address: str, network: str | None = None
) -> list[Problem]:
    """The wallet checker's warnings for a valid payment address (none for an invalid one)."""
    if not address.strip():
        return []
    check = ctl.check_address(address, network=network)
    if not check.valid:
        return []
    from app.onboarding.addresses import dms_address_warnings

    dms = dms_address_warnings(address, network=check.network, kind=check.kind)
    said = [*check.warnings, *dms]
    return [Problem("payment_addr", f"payment address: {w}", w) for w in said]


def warnings(
    ctl: OnboardingController,
    capacity: CapacityForNunet,
    *,
    load: HostLoad | None = None,
    wallets: list[dict[str, Any]] | None = None,
) -> list[Problem]:
    """Every warning for this offer on this machine; ``load`` defaults to the host's now
    (the controller's load average, if it was given one), ``wallets`` (the state's wallet
    records, when the caller has read them) to a read."""
    from app.onboarding.wallet_backup import unchecked_address_warning

    machine = ctl.machine(gpus=bool(capacity.gpus))
    load = load or host_load(machine, ctl.load_average())
    found = address_warnings(ctl, capacity.payment_addr)
    unchecked = unchecked_address_warning(ctl, capacity.payment_addr, wallets)
    if unchecked:  # a wallet made here whose backup was never checked
        found.append(Problem("payment_addr", f"payment address: {unchecked}", unchecked))
    found.extend(free_now_warnings(capacity.cpu, capacity.memory, machine, load))
    per_core = machine.cpu.mhz_per_core
    if 0 < capacity.cpu < per_core:  # DMS's vcpu = cpu // clock of one core
        detail = (
            f"{capacity.cpu} MHz is less than one core ({per_core:g} MHz), so the records "
            "count 0 virtual CPUs (DMS's vcpu is the offer divided by one core's clock)"
        )
        found.append(Problem("cpu", f"cpu {detail}", detail))
    free_gb = machine.disk.free_gb
    if capacity.disk > free_gb:  # only a standing offer gets here: a new one is refused
        detail = (
            f"{capacity.disk} GB offered, but only {free_gb} GB are free now on "
            f"{machine.disk.path}: jobs could run out of disk"
        )
        found.append(Problem("disk", f"disk {detail}", detail))
    return found
