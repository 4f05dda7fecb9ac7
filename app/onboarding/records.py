"""The records onboarding writes: DMS's Metadata and AvailableResources, history entries.

Kept apart from the operations so that onboard, resource-config and (later) apply
build the very same records from an offer and the machine.
"""

from __future__ import annotations

import math
import socket
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.hardware import MachineInfo
    from app.onboarding.models import AvailableResources, CapacityForNunet, Metadata
    from app.wallets import NewWallet


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def dms_cpu_hz(machine: MachineInfo) -> float:
    """DMS's ``cpu_hz``: the first logical CPU's clock (its ``Hz_per_cpu``), not the
    average; the two differ only when cores report different clocks. 1.0 when no clock
    is known, so that ``vcpu`` (the offer divided by it) stays defined."""
    return machine.cpu.first_mhz or machine.cpu.mhz_per_core or 1.0


def build_records(
    machine: MachineInfo, capacity: CapacityForNunet, node_id: str
) -> tuple[Metadata, AvailableResources]:
    """DMS's MetadataV2 and AvailableResources for this offer on this machine."""
    from app.hardware.model import whole_mhz
    from app.onboarding.models import (
        AvailableResources,
        CpuMemory,
        GpuInfo,
        Metadata,
        Resource,
    )

    m = machine
    # Every GPU of the machine, as DMS's Check_gpu records them; the offer's ``gpus``
    # says which of them are offered.
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
    ]
    cpu_hz = dms_cpu_hz(m)
    # DMS's cpu_max is int64 of its float total: truncated (10399.6 MHz is 10399).
    cpu_max = whole_mhz(m.usable_cpu_mhz)
    metadata = Metadata(
        name=m.os.hostname or socket.gethostname(),
        update_timestamp=int(time.time()),
        resource=Resource(
            memory_max=m.usable_memory_mb, total_core=m.usable_cores, cpu_max=cpu_max
        ),
        available=CpuMemory(
            cpu=cpu_max - capacity.cpu, memory=m.usable_memory_mb - capacity.memory
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
        cpu_no=m.usable_cores,  # DMS: CpuNo: int(numCores), the machine's cores
        cpu_hz=cpu_hz,  # not rounded: DMS stores the clock as measured
        # DMS: int(math.Floor(float64(cpu) / Hz_per_cpu())), a float division then floor,
        # which is not always Python's float // (that one is exact before it floors).
        vcpu=math.floor(capacity.cpu / cpu_hz),
        ram=capacity.memory,
        disk=capacity.disk,
        ntx_price=capacity.ntx_price,
    )
    return metadata, resources


def describe(capacity: CapacityForNunet) -> str:
    """The offer in one line, for the history and the log."""
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


def history_entry(
    action: str, capacity: CapacityForNunet | None = None, detail: str = ""
) -> dict[str, Any]:
    return {
        "time": now_iso(),
        "action": action,
        "detail": detail or (describe(capacity) if capacity else ""),
    }


def public_wallet_facts(wallet: NewWallet) -> dict[str, Any]:
    """What may be stored or shown of a wallet; an Ethereum address has no network."""
    facts: dict[str, Any] = dict(wallet.public_facts())
    if wallet.chain != "cardano":
        facts["network"] = None
    return facts
