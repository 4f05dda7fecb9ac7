"""Apply container limits to the machine's totals.

Kept pure and separate from the probes so that the real probe and the test double
(`tests/fakes.py`) compute the usable totals the same way: a rule that passes on a
fake machine then passes on a real machine with the same numbers.
"""

from __future__ import annotations

from app.hardware.model import CgroupLimits, CpuInfo
from app.light_record import Record


class UsableTotals(Record):
    cores: int
    cpu_mhz: float
    """A float, as DMS's total (see ``CpuInfo.total_mhz``)."""
    memory_mb: int


def usable_totals(cpu: CpuInfo, memory_total_mb: int, limits: CgroupLimits) -> UsableTotals:
    """The cores, MHz and MB a container may actually use.

    psutil reports the host; a cgroup cpuset or CPU quota caps the cores (the quota is
    rounded down because a fraction of a core cannot be offered as a core, but never
    below 1), and the MHz follow the cores. A memory limit caps the memory.
    """
    cores = max(1, cpu.logical_cores)
    if limits.cpuset_cores is not None:
        cores = min(cores, max(1, limits.cpuset_cores))
    if limits.cpu_quota_cores is not None:
        # int() is floor here: anything under 1 becomes 1 either way (and status imports no math)
        cores = min(cores, max(1, int(limits.cpu_quota_cores)))
    # No core taken away: the total as measured, not cores x the average clock, which
    # rounds below it and would make "Usable" differ from "Total" with no limit.
    cpu_mhz = cpu.total_mhz
    if cores < cpu.logical_cores:
        cpu_mhz = min(cpu.total_mhz, cores * cpu.mhz_per_core)
    memory_mb = memory_total_mb
    if limits.memory_limit_mb is not None:
        memory_mb = min(memory_mb, limits.memory_limit_mb)
    return UsableTotals(cores=cores, cpu_mhz=cpu_mhz, memory_mb=memory_mb)
