"""A live reading of the machine's use (CPU, memory, each GPU), for the app's gauges.

Apart from ``model`` (what the machine is) because only the app samples: ``status``,
which imports ``model`` on its fast path, never defines these.
"""

from __future__ import annotations

from app.light_record import Record


class GpuUsage(Record):
    """One GPU's live use, as NVML reports it; a reading the card does not support is None."""

    index: int
    utilisation_pct: float | None
    memory_used_mb: int | None
    memory_total_mb: int | None


class Usage(Record):
    """A live sample for the overview's gauges."""

    cpu_percent: float
    memory_percent: float
    memory_used_mb: int
    gpus: tuple[GpuUsage, ...] = ()
    """Each NVIDIA GPU's use, from the NVML sampler; empty when there is none to show."""
    gpu_note: str | None = None
    """Why there are no GPU figures (NVML unavailable, stopped answering); None otherwise."""
