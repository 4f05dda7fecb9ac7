"""Memory and swap in DMS's "MB" (bytes // 1024 // 1024, i.e. MiB).

The total is read from ``/proc/meminfo`` (MemTotal), where DMS's gopsutil and psutil
read it too: ``status`` needs only the total, and importing psutil would cost it about
10 ms. Not ``os.sysconf("SC_PHYS_PAGES")``: under LXCFS (LXC, Proxmox containers)
``/proc/meminfo`` shows the container's memory and sysconf the host's. What is free and
the swap come from psutil; so does the total where there is no ``/proc/meminfo``.
Paths are ``str`` (see ``_files``): status must not import pathlib.
"""

from __future__ import annotations

import os

from app.hardware._files import read_text
from app.hardware.model import MemoryInfo

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.hardware._files import StrPath

PROC = "/proc"


def to_mb(n_bytes: int) -> int:
    """DMS's MB: whole MiB, rounded down, as DMS's Go code computes it."""
    return int(n_bytes) // 1024 // 1024


def _meminfo_total_bytes(text: str) -> int | None:
    """MemTotal from /proc/meminfo's text ("MemTotal:  16384000 kB"), or None."""
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "MemTotal":
            number, _, unit = value.strip().partition(" ")
            if not number.isascii() or not number.isdigit() or unit.strip() not in ("kB", ""):
                return None
            return int(number) * (1024 if unit.strip() == "kB" else 1)
    return None


def read_total_mb(proc_root: StrPath = PROC) -> tuple[int, list[str]]:
    """The machine's memory in MB; 0 and a reason when neither /proc nor psutil give it."""
    text = read_text(os.path.join(proc_root, "meminfo"))
    if text is not None:
        total = _meminfo_total_bytes(text)
        if total:
            return to_mb(total), []
    import psutil  # no /proc/meminfo, or no MemTotal in it: ask psutil

    try:
        return to_mb(psutil.virtual_memory().total), []
    except (OSError, psutil.Error, ValueError, RuntimeError) as exc:
        return 0, [f"memory size unknown: {exc}"]


def read_memory(
    proc_root: StrPath = PROC, *, total_mb: int | None = None
) -> tuple[MemoryInfo, list[str]]:
    """RAM and swap; zeros plus a reason for each figure that cannot be read.

    ``total_mb`` is the total already read (by ``probe_capacity``), not read again.
    """
    import psutil

    total, problems = read_total_mb(proc_root) if total_mb is None else (total_mb, [])
    available = swap_total = swap_used = 0
    try:
        available = to_mb(psutil.virtual_memory().available)
    except (OSError, psutil.Error, ValueError, RuntimeError) as exc:
        problems.append(f"free memory unknown: {exc}")
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
