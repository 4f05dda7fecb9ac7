"""What the hardware probe found, as frozen records.

``Record``s (``app/light_record.py``), not pydantic models, dataclasses or named tuples:
`nunet-onboard status` reads them on its hot path, and defining these eleven classes
as named tuples alone cost 0.76x of a bare interpreter start (dataclasses more). The
live readings (``Usage``) are in ``live``: ``status`` never samples.
Every fact that could not be read is ``None`` and the reason goes to ``problems``,
so a caller never has to catch anything to show what the machine is.
"""

from __future__ import annotations

from app.light_record import Record


class CpuInfo(Record):
    model: str
    arch: str
    physical_cores: int | None
    logical_cores: int
    mhz_per_core: float
    """Clock of one core in MHz (the max where the kernel knows it, else the current)."""
    total_mhz: float
    """DMS's CPU total: the sum of every logical core's clock, before container limits,
    as the float DMS computes (2 x 2596.14 = 5192.28): its bounds are taken on this,
    not on a rounded total. People are shown ``whole_mhz`` of it."""
    clock_source: str
    """Where the clock came from, e.g. "/proc/cpuinfo" or "cpufreq max"."""
    first_mhz: float | None = None
    """The first logical CPU's clock: what DMS records as ``cpu_hz`` (its ``Hz_per_cpu``).
    None when no clock is known."""


def whole_mhz(mhz: float) -> int:
    """A CPU total in whole MHz, as DMS makes it (Go's ``int64()``: truncated), for people
    and for DMS's ``cpu_max``: 5192.28 MHz is 5192."""
    return int(mhz)


class MemoryInfo(Record):
    total_mb: int
    """Bytes / 1024 / 1024, as DMS computes "MB"."""
    available_mb: int
    swap_total_mb: int
    swap_used_mb: int


class DiskInfo(Record):
    path: str
    """The partition that holds the state directory (the data partition)."""
    total_gb: int
    """Bytes / 1024**3, the same binary convention as memory."""
    free_gb: int


class GpuDevice(Record):
    index: int
    name: str
    vendor: str
    """"nvidia" or "amd"."""
    total_vram_mb: int
    free_vram_mb: int
    driver: str | None = None
    uuid: str | None = None
    utilisation_pct: float | None = None
    temperature_c: float | None = None


class GpuReport(Record):
    devices: tuple[GpuDevice, ...] = ()
    source: str | None = None
    """"nvml", "nvidia-smi" or "rocm-smi": what answered; None when nothing did."""
    problems: tuple[str, ...] = ()
    """Why no GPU (or not every GPU) was found, in words a person understands."""
    probed: bool = True
    """False when GPUs were not probed at all (the fast path)."""
    faults: tuple[str, ...] = ()
    """The problems that mean a GPU tool is broken (hung, failed, unreadable output),
    as opposed to there being no GPU stack: a fault says nothing about the GPUs."""

    @property
    def readable(self) -> bool:
        """The devices can be trusted: probed, and not "none found" because a tool broke."""
        return self.probed and (bool(self.devices) or not self.faults)


class CgroupLimits(Record):
    version: int | None = None
    """1 or 2 when a cgroup hierarchy was read; None outside one."""
    cpu_quota_cores: float | None = None
    """CPU quota / period, e.g. 1.5 for "150000 100000"; None when unlimited."""
    cpuset_cores: int | None = None
    """How many CPUs the cpuset allows; None when unrestricted or unknown."""
    memory_limit_mb: int | None = None
    """The memory limit in MB; None when unlimited."""

    @property
    def any(self) -> bool:
        return any(
            v is not None for v in (self.cpu_quota_cores, self.cpuset_cores, self.memory_limit_mb)
        )


class OsInfo(Record):
    system: str
    kernel: str
    distribution: str
    hostname: str


class MachineInfo(Record):
    cpu: CpuInfo
    memory: MemoryInfo
    disk: DiskInfo
    gpus: GpuReport
    limits: CgroupLimits
    os: OsInfo
    usable_cores: int
    """Logical cores after cpuset and quota (quota rounded down, at least 1)."""
    usable_cpu_mhz: float
    """The CPU total offered to rules: min(total_mhz, usable_cores * mhz_per_core), a float
    as DMS's (see ``CpuInfo.total_mhz``); ``whole_mhz`` of it is what people are shown."""
    usable_memory_mb: int
    """min(total memory, cgroup memory limit)."""
    problems: tuple[str, ...] = ()
    """Facts that could not be read, each with its reason."""
