"""Deterministic test doubles shared by every part's tests.

`fake_machine` builds a `MachineInfo` the way the real probe would for a machine with
the given totals, so controller, CLI and TUI tests do not depend on the host they run
on. The usable totals come from the same pure function the real probe uses.
"""

from __future__ import annotations

from app.hardware.cpu import total_clock
from app.hardware.model import (
    CgroupLimits,
    CpuInfo,
    DiskInfo,
    GpuDevice,
    GpuReport,
    MachineInfo,
    MemoryInfo,
    OsInfo,
)
from app.hardware.usable import usable_totals


def fake_gpu(index: int = 0) -> GpuDevice:
    """One NVIDIA card with fixed, round numbers."""
    return GpuDevice(
        index=index,
        name="NVIDIA GeForce RTX 3090",
        vendor="nvidia",
        total_vram_mb=24576,
        free_vram_mb=24000,
        driver="550.54.14",
        uuid=f"GPU-00000000-0000-0000-0000-{index:012d}",
        utilisation_pct=0.0,
        temperature_c=35.0,
    )


def fake_machine(
    *,
    cores: int = 8,
    mhz: float = 2600.0,
    memory_mb: int = 16384,
    disk_total_gb: int = 500,
    disk_free_gb: int = 200,
    gpus: int = 1,
    cgroup_memory_mb: int | None = None,
    hostname: str = "node-01",
) -> MachineInfo:
    """A machine with `cores` logical cores at `mhz` each (total = cores * mhz).

    `cgroup_memory_mb` simulates a container memory limit (cgroup v2); `gpus=0` gives
    a GPU report that says why none was found, as the real probe does.
    """
    cpu = CpuInfo(
        model=f"Fake CPU @ {mhz / 1000:.2f}GHz",
        arch="x86_64",
        physical_cores=max(1, cores // 2),
        logical_cores=cores,
        mhz_per_core=mhz,
        total_mhz=total_clock([mhz] * cores),  # DMS's float total, summed as DMS sums it
        clock_source="/proc/cpuinfo",
        first_mhz=mhz or None,
    )
    memory = MemoryInfo(
        total_mb=memory_mb,
        available_mb=memory_mb * 3 // 4,
        swap_total_mb=2048,
        swap_used_mb=0,
    )
    disk = DiskInfo(path="/", total_gb=disk_total_gb, free_gb=disk_free_gb)
    if gpus > 0:
        gpu_report = GpuReport(devices=tuple(fake_gpu(i) for i in range(gpus)), source="nvml")
    else:
        gpu_report = GpuReport(
            devices=(), source=None, problems=("NVML library not found", "nvidia-smi not found")
        )
    limits = (
        CgroupLimits(version=2, memory_limit_mb=cgroup_memory_mb)
        if cgroup_memory_mb is not None
        else CgroupLimits()
    )
    usable = usable_totals(cpu, memory.total_mb, limits)
    return MachineInfo(
        cpu=cpu,
        memory=memory,
        disk=disk,
        gpus=gpu_report,
        limits=limits,
        os=OsInfo(
            system="Linux",
            kernel="6.8.0-fake",
            distribution="Ubuntu 24.04 LTS",
            hostname=hostname,
        ),
        usable_cores=usable.cores,
        usable_cpu_mhz=usable.cpu_mhz,
        usable_memory_mb=usable.memory_mb,
        problems=(),
    )
