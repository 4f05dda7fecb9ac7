"""The machine's total capacity and live usage (CPU, memory, disk, GPUs, limits).

Cheap to import: psutil and the standard library only. NVML (nvidia-ml-py) is imported
when GPUs are probed; py-cpuinfo, Textual and pydantic never are.
"""

from __future__ import annotations

from app.hardware.gpus import probe_gpus
from app.hardware.model import (
    CgroupLimits,
    CpuInfo,
    DiskInfo,
    GpuDevice,
    GpuReport,
    GpuUsage,
    MachineInfo,
    MemoryInfo,
    OsInfo,
    Usage,
)
from app.hardware.probe import probe_machine
from app.hardware.usable import UsableTotals, usable_totals
from app.hardware.usage import sample_usage

__all__ = [
    "CgroupLimits",
    "CpuInfo",
    "DiskInfo",
    "GpuDevice",
    "GpuReport",
    "GpuUsage",
    "MachineInfo",
    "MemoryInfo",
    "OsInfo",
    "UsableTotals",
    "Usage",
    "probe_gpus",
    "probe_machine",
    "sample_usage",
    "usable_totals",
]
