"""The machine's total capacity and live usage (CPU, memory, disk, GPUs, limits).

Cheap to import: psutil and the standard library only. NVML (nvidia-ml-py) is imported
when GPUs are probed; py-cpuinfo, Textual and pydantic never are. ``status`` imports
this package and calls ``probe_capacity``, which load neither pathlib nor typing.
"""

from __future__ import annotations

from app.hardware.model import (
    CgroupLimits,
    CpuInfo,
    DiskInfo,
    GpuDevice,
    GpuReport,
    MachineInfo,
    MemoryInfo,
    OsInfo,
    whole_mhz,
)
from app.hardware.probe import Capacity, probe_capacity, probe_machine
from app.hardware.usable import UsableTotals, usable_totals

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from app.hardware.gpus import probe_gpus
    from app.hardware.live import GpuUsage, Usage
    from app.hardware.usage import sample_usage

__all__ = [
    "Capacity",
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
    "probe_capacity",
    "probe_gpus",
    "probe_machine",
    "sample_usage",
    "usable_totals",
    "whole_mhz",
]


def __getattr__(name: str) -> Any:
    """``probe_gpus`` and ``sample_usage`` on first use: ``status`` needs neither, and the
    GPU modules (subprocess, NVML) cost more than the rest of the probe."""
    if name == "probe_gpus":
        from app.hardware.gpus import probe_gpus

        return probe_gpus
    if name in ("GpuUsage", "Usage"):  # the app's live readings: status never samples
        from app.hardware import live

        return getattr(live, name)
    if name == "sample_usage":
        from app.hardware.usage import sample_usage

        return sample_usage
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
