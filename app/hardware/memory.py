"""Memory and swap in DMS's "MB" (bytes // 1024 // 1024, i.e. MiB)."""

from __future__ import annotations

import psutil

from app.hardware.model import MemoryInfo


def to_mb(n_bytes: int) -> int:
    """DMS's MB: whole MiB, rounded down, as DMS's Go code computes it."""
    return int(n_bytes) // 1024 // 1024


def read_memory() -> tuple[MemoryInfo, list[str]]:
    """RAM and swap totals; zeros plus a reason when psutil cannot read them."""
    problems: list[str] = []
    total = available = swap_total = swap_used = 0
    try:
        vm = psutil.virtual_memory()
        total, available = to_mb(vm.total), to_mb(vm.available)
    except (OSError, psutil.Error, ValueError, RuntimeError) as exc:
        problems.append(f"memory size unknown: {exc}")
    try:
        swap = psutil.swap_memory()
        swap_total, swap_used = to_mb(swap.total), to_mb(swap.used)
    except (OSError, psutil.Error, ValueError, RuntimeError) as exc:
        problems.append(f"swap size unknown: {exc}")
    info = MemoryInfo(
        total_mb=total,
        available_mb=available,
        swap_total_mb=swap_total,
        swap_used_mb=swap_used,
    )
    return info, problems
