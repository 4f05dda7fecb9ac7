"""Live CPU, memory and GPU usage for the overview's gauges."""

from __future__ import annotations

from typing import TYPE_CHECKING

import psutil

from app.hardware.live import Usage

if TYPE_CHECKING:
    from app.hardware.gpus.sampler import GpuSampler


def sample_usage(gpus: GpuSampler | None = None) -> Usage:
    """A sample that never blocks: CPU use since the previous call.

    ``cpu_percent(interval=None)`` compares with the previous call instead of sleeping,
    so the very first sample of a process reads 0.0; the TUI samples on a timer, which
    makes every later sample meaningful. A failed read gives zeros, never an exception,
    because a gauge is not worth crashing the screen for.
    """
    try:
        cpu = float(psutil.cpu_percent(interval=None))
    except (OSError, psutil.Error, ValueError):
        cpu = 0.0
    try:
        vm = psutil.virtual_memory()
        memory_pct, used_mb = float(vm.percent), int(vm.used) // 1024 // 1024
    except (OSError, psutil.Error, ValueError):
        memory_pct, used_mb = 0.0, 0
    readings, note = gpus.latest() if gpus is not None else ((), None)
    return Usage(
        cpu_percent=cpu,
        memory_percent=memory_pct,
        memory_used_mb=used_mb,
        gpus=readings,
        gpu_note=note,
    )
