"""Deterministic test doubles shared by every part's tests.

`fake_machine` builds a `MachineInfo` the way the real probe would for a machine with
the given totals, so controller, CLI and TUI tests do not depend on the host they run
on. The usable totals come from the same pure function the real probe uses.
"""

from __future__ import annotations

import os
from pathlib import Path

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
from app.light_record import Record


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
    cpu_quota_cores: float | None = None,
    cpuset_cores: int | None = None,
    hostname: str = "node-01",
) -> MachineInfo:
    """A machine with `cores` logical cores at `mhz` each (total = cores * mhz).

    `cgroup_memory_mb`, `cpu_quota_cores` and `cpuset_cores` simulate a container's
    limits (cgroup v2); `gpus=0` gives a GPU report that says why none was found, as
    the real probe does.
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
    limits = CgroupLimits(
        memory_limit_mb=cgroup_memory_mb,
        cpu_quota_cores=cpu_quota_cores,
        cpuset_cores=cpuset_cores,
    )
    if limits.any:
        limits = limits._replace(version=2)
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


# -- the same kind of machine under the real probe: files and boundaries ---------------

_GIB = 1024**3
_MIB = 1024**2
SITE = Path(__file__).parent / "fake_host_site"
"""Holds the sitecustomize that gives a command run in a subprocess the fake disk and no NVML."""
STATVFS_ENV = "NUNET_TEST_FAKE_STATVFS"
NO_NVML_ENV = "NUNET_TEST_NO_NVML"
# The two names above are spelled out again in SITE's sitecustomize: it runs at every
# start-up of a child, before anything could be imported from here.


class FakeHost(Record):
    """A machine the real probe reads, with figures chosen to catch mistakes.

    A fractional clock (2596.14 MHz a core: the total 20769.12 is no whole number), a
    memory total and limits that do not divide by ten, a CPU quota (6.5 cores) tighter
    than the cpuset (7 of 8 CPUs), and a disk whose free space (f_bfree) is not what an
    ordinary user may fill (f_bavail, the figure DMS offers): 5 % is reserved for root.
    """

    cores: int = 8
    mhz: float = 2596.14
    memory_kb: int = 16305437  # 15923 MB and a few kB more: the MB are floored
    cpu_quota: str | None = "650000 100000"  # cpu.max: 6.5 cores
    cpuset: str | None = "0-6"  # 7 CPUs
    memory_max: int | None = 12345 * _MIB + 4321  # 12345 MB and a few bytes
    disk_total_gb: int = 457
    disk_free_gb: int = 197  # f_bfree: what root could still write
    disk_available_gb: int = 173  # f_bavail: what a user may write, and what is offered
    gpus: int = 0

    @property
    def usable_cores(self) -> int:
        """By hand: the quota's 6.5 cores make 6 whole ones, below the cpuset's 7."""
        return 6 if self.cpu_quota == "650000 100000" else self.cores

    def machine(self) -> MachineInfo:
        """This host as ``fake_machine`` builds it: for controllers given a probe."""
        return fake_machine(
            cores=self.cores,
            mhz=self.mhz,
            memory_mb=self.memory_kb // 1024,
            disk_total_gb=self.disk_total_gb,
            disk_free_gb=self.disk_available_gb,
            gpus=self.gpus,
            cgroup_memory_mb=None if self.memory_max is None else self.memory_max // _MIB,
            cpu_quota_cores=6.5 if self.cpu_quota == "650000 100000" else None,
            cpuset_cores=7 if self.cpuset == "0-6" else None,
        )

    def statvfs(self) -> os.statvfs_result:
        """What the kernel says of the data partition, in 4 KiB blocks."""
        block = 4096
        per_gib = _GIB // block
        blocks, free, available = (
            n * per_gib + 123
            for n in (self.disk_total_gb, self.disk_free_gb, self.disk_available_gb)
        )
        return os.statvfs_result(
            (block, block, blocks, free, available, 10**6, 10**5, 10**5, 0, 255)
        )

    def write(self, root: Path) -> None:
        """/proc, /sys and a cgroup v2 tree under ``root``; fake GPU tools in root/bin."""
        cpus = []
        for i in range(self.cores):
            cpus.append(
                f"processor\t: {i}\nvendor_id\t: GenuineIntel\n"
                f"model name\t: Intel(R) Xeon(R) Fake CPU @ 2.60GHz\n"
                f"cpu MHz\t\t: {self.mhz:.3f}\nphysical id\t: 0\ncore id\t\t: {i}\n"
            )
        _write(root / "proc/cpuinfo", "\n".join(cpus) + "\n")
        _write(root / "proc/meminfo", f"MemTotal:       {self.memory_kb} kB\nMemFree: 1 kB\n")
        _write(root / "proc/self/cgroup", "0::/\n")
        cgroup = root / "sys/fs/cgroup"
        _write(cgroup / "cgroup.controllers", "cpuset cpu io memory pids\n")
        _write(cgroup / "cpu.max", (self.cpu_quota or "max 100000") + "\n")
        _write(cgroup / "cpuset.cpus.effective", (self.cpuset or f"0-{self.cores - 1}") + "\n")
        _write(cgroup / "memory.max", f"{self.memory_max or 'max'}\n")
        lines = "".join(
            f"{i}, NVIDIA GeForce RTX 3090, 24576, 24000, 550.54.14, GPU-{i:04d}, 0, 35\n"
            for i in range(self.gpus)
        )
        tool = root / "bin/nvidia-smi"
        if self.gpus:
            _write(tool, f"#!/bin/sh\n/bin/cat <<'EOF'\n{lines}EOF\n")
            tool.chmod(0o755)

    def environment(self, root: Path) -> dict[str, str]:
        """The variables that put a command, in this process or a child, on this host.

        PATH loses any directory with a real GPU tool; a child gets the fake disk and no
        NVML from ``SITE`` (this process is patched by the fixture instead).
        """
        from app.hardware.probe import HARDWARE_ROOT_ENV

        kept = [
            d
            for d in os.environ.get("PATH", "").split(os.pathsep)
            if d and not any(os.path.exists(os.path.join(d, t)) for t in ("nvidia-smi", "rocm-smi"))
        ]
        stat = self.statvfs()
        return {
            HARDWARE_ROOT_ENV: str(root),
            "PATH": os.pathsep.join([str(root / "bin"), *kept]),
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(SITE), os.environ.get("PYTHONPATH", "")) if p
            ),
            STATVFS_ENV: ",".join(str(n) for n in stat),
            NO_NVML_ENV: "1",
        }


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
