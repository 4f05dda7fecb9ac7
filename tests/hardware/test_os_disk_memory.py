"""OS, disk, memory and usable totals as a person is shown them.

Faked only at the machine boundary: os-release files under tmp_path, the values the
platform, socket and psutil modules report, and real directories for the disk.
"""

from __future__ import annotations

import errno
import os
import platform
import shutil
import socket
from pathlib import Path
from types import SimpleNamespace

import psutil
import pytest

from app.hardware.disk import read_disk
from app.hardware.memory import read_memory
from app.hardware.model import CgroupLimits, CpuInfo, DiskInfo, MemoryInfo
from app.hardware.osinfo import parse_os_release, read_os
from app.hardware.usable import usable_totals
from tests.hardware.boundaries import write

GiB = 1024**3
MiB = 1024**2


# --- os-release and the OS facts --------------------------------------------------


def test_os_release_values_quoted_bare_and_broken() -> None:
    text = (
        "  # a comment\n"
        "#NAME=commented out\n"
        'NAME="Debian GNU/Linux"\n'
        "VERSION_ID=12\n"
        "ID = debian \n"
        'BROKEN="Xen unterminated\n'
        "VERSION=1 #beta\n"
        'HOME="https://example.org/?a=b"\n'
        "HOME_URL='https://www.debian.org/'\n"
        "no equals sign\n"
        "EMPTY=\n"
    )
    assert parse_os_release(text) == {
        "NAME": "Debian GNU/Linux",
        "VERSION_ID": "12",
        "ID": "debian",
        "BROKEN": "Xen unterminated",
        "VERSION": "1 #beta",
        "HOME": "https://example.org/?a=b",
        "HOME_URL": "https://www.debian.org/",
        "EMPTY": "",
    }


def _linux(monkeypatch: pytest.MonkeyPatch, release: str = "6.8.0-45-generic") -> None:
    monkeypatch.setattr(platform, "system", lambda: "Linux")
    monkeypatch.setattr(platform, "release", lambda: release)
    monkeypatch.setattr(socket, "gethostname", lambda: "node-07")


@pytest.mark.parametrize(
    ("files", "distribution"),
    [
        ({"a": 'PRETTY_NAME="Fedora Linux 40"\nNAME=Fedora\nVERSION=40\n'}, "Fedora Linux 40"),
        ({"a": "NAME=Alpine\nVERSION=3.20\n"}, "Alpine 3.20"),
        ({"a": "NAME=Gentoo\n"}, "Gentoo"),
        ({"a": "VERSION=12\n"}, "12"),
        ({"a": "ID=nothing\n", "b": "PRETTY_NAME=Second\n"}, "Second"),
        ({"b": "PRETTY_NAME=Only the second\n"}, "Only the second"),
    ],
)
def test_the_distribution_is_the_first_os_release_that_names_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], distribution: str
) -> None:
    _linux(monkeypatch)
    for name, text in files.items():
        write(tmp_path / name, text)
    info, problems = read_os([tmp_path / "a", tmp_path / "b"])
    assert (info.system, info.kernel, info.distribution, info.hostname) == (
        "Linux",
        "6.8.0-45-generic",
        distribution,
        "node-07",
    )
    assert problems == []


def test_linux_without_any_os_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _linux(monkeypatch, release="")
    write(tmp_path / "a", "ID=nothing\n")
    info, problems = read_os([tmp_path / "a", tmp_path / "missing"])
    assert (info.distribution, info.kernel) == ("unknown", "unknown")
    assert problems == ["Linux distribution unknown: no readable /etc/os-release"]


def test_macos_and_windows_name_their_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platform, "system", lambda: "Darwin")
    monkeypatch.setattr(platform, "mac_ver", lambda: ("14.6.1", ("", "", ""), "arm64"))
    monkeypatch.setattr(platform, "release", lambda: "23.6.0")
    info, problems = read_os([])
    assert (info.system, info.kernel, info.distribution, problems) == (
        "Darwin",
        "23.6.0",
        "macOS 14.6.1",
        [],
    )
    monkeypatch.setattr(platform, "system", lambda: "Windows")
    monkeypatch.setattr(platform, "version", lambda: "10.0.22631")
    info, _ = read_os([])
    assert info.distribution == "Windows 10.0.22631"
    monkeypatch.setattr(platform, "system", lambda: "")
    monkeypatch.setattr(platform, "version", lambda: "")
    info, _ = read_os([])
    assert (info.system, info.distribution) == ("unknown", "unknown")


def test_a_host_name_that_cannot_be_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _linux(monkeypatch)

    def refused() -> str:
        raise OSError(99, "Cannot assign requested address")

    monkeypatch.setattr(socket, "gethostname", refused)
    info, problems = read_os([write(tmp_path / "a", "PRETTY_NAME=X\n")])
    assert info.hostname == "unknown"
    assert problems == ["host name unknown: [Errno 99] Cannot assign requested address"]
    monkeypatch.setattr(socket, "gethostname", lambda: "")
    info, problems = read_os([tmp_path / "a"])
    assert (info.hostname, problems) == ("unknown", [])


# --- disk -------------------------------------------------------------------------


def _mount_of(path: Path) -> Path:
    path = path.absolute()
    while not os.path.ismount(path):
        path = path.parent
    return path


def test_the_disk_is_the_partition_of_the_nearest_existing_directory(tmp_path: Path) -> None:
    missing = tmp_path / "not" / "yet" / "state"
    disk, problems = read_disk(missing)
    usage = shutil.disk_usage(tmp_path)
    assert problems == []
    assert disk == DiskInfo(
        path=str(_mount_of(tmp_path)), total_gb=usage.total // GiB, free_gb=usage.free // GiB
    )


def test_a_file_as_the_data_path_measures_its_directory(tmp_path: Path) -> None:
    state = write(tmp_path / "state.json", "{}")
    disk, problems = read_disk(state)
    assert (disk.path, problems) == (str(_mount_of(tmp_path)), [])


def test_the_mount_point_of_proc_is_proc() -> None:
    # /proc is its own file system on Linux: its mount point is itself, not "/".
    disk, problems = read_disk(Path("/proc/self"))
    assert (disk.path, problems) == ("/proc", [])


def test_a_relative_data_path_is_measured_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    disk, problems = read_disk(Path("state"))
    assert (disk.path, problems) == (str(_mount_of(tmp_path)), [])


def test_a_data_path_whose_name_is_too_long(tmp_path: Path) -> None:
    bad = tmp_path / ("x" * 300) / "state"
    disk, problems = read_disk(bad)
    assert disk == DiskInfo(path=str(bad), total_gb=0, free_gb=0)
    assert problems == [
        f"disk size unknown: {bad} cannot be resolved ([Errno 36] File name too long: '{bad}')"
    ]


def test_a_mount_point_as_the_data_path_is_its_own_partition() -> None:
    disk, problems = read_disk(Path("/proc"))
    assert (disk.path, problems) == ("/proc", [])


@pytest.mark.parametrize(
    ("error", "reason"),
    [(OSError(errno.EIO, "Input/output error"), "Input/output error"), (OSError("stale"), "stale")],
)
def test_a_partition_whose_size_cannot_be_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, reason: str
) -> None:
    def statvfs(path: object) -> object:
        raise error

    monkeypatch.setattr(os, "statvfs", statvfs)  # the kernel's answer for the partition
    disk, problems = read_disk(tmp_path / "state")
    assert disk == DiskInfo(path=str(tmp_path), total_gb=0, free_gb=0)
    assert problems == [f"disk size unknown: {tmp_path}: {reason}"]


# --- memory -----------------------------------------------------------------------


def test_memory_and_swap_in_whole_mb(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """psutil's figures where there is no /proc/meminfo (tmp_path has none)."""
    vm = SimpleNamespace(total=16 * GiB + MiB - 1, available=3 * GiB + MiB // 2)
    swap = SimpleNamespace(total=2 * GiB + MiB - 1, used=GiB // 2 + 5)
    monkeypatch.setattr(psutil, "virtual_memory", lambda: vm)
    monkeypatch.setattr(psutil, "swap_memory", lambda: swap)
    assert read_memory(tmp_path) == (
        MemoryInfo(total_mb=16384, available_mb=3072, swap_total_mb=2048, swap_used_mb=512),
        [],
    )


def test_swap_that_cannot_be_read_costs_only_swap(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    vm = SimpleNamespace(total=8 * GiB, available=4 * GiB)
    monkeypatch.setattr(psutil, "virtual_memory", lambda: vm)

    def denied() -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(psutil, "swap_memory", denied)
    info, problems = read_memory(tmp_path)
    assert info == MemoryInfo(total_mb=8192, available_mb=4096, swap_total_mb=0, swap_used_mb=0)
    assert problems == ["swap size unknown: [Errno 13] Permission denied"]
    monkeypatch.setattr(psutil, "virtual_memory", denied)
    info, problems = read_memory(tmp_path)
    assert info == MemoryInfo(total_mb=0, available_mb=0, swap_total_mb=0, swap_used_mb=0)
    assert problems == [
        "memory size unknown: [Errno 13] Permission denied",
        "free memory unknown: [Errno 13] Permission denied",
        "swap size unknown: [Errno 13] Permission denied",
    ]


# --- usable totals ----------------------------------------------------------------


def _cpu(logical: int, mhz: float, total: int | None = None) -> CpuInfo:
    return CpuInfo(
        model="x",
        arch="x86_64",
        physical_cores=None,
        logical_cores=logical,
        mhz_per_core=mhz,
        total_mhz=round(logical * mhz) if total is None else total,
        clock_source="/proc/cpuinfo",
    )


@pytest.mark.parametrize(
    ("cpu", "limits", "usable"),
    [
        (_cpu(8, 2500.0), CgroupLimits(cpuset_cores=0), (1, 2500, 4096)),
        (_cpu(8, 2500.0), CgroupLimits(cpuset_cores=8), (8, 20000, 4096)),
        (_cpu(8, 2500.0), CgroupLimits(cpuset_cores=12), (8, 20000, 4096)),
        (_cpu(8, 2500.0), CgroupLimits(cpu_quota_cores=2.99), (2, 5000, 4096)),
        (_cpu(8, 2500.0), CgroupLimits(cpu_quota_cores=0.2), (1, 2500, 4096)),
        (_cpu(8, 2500.0), CgroupLimits(cpuset_cores=4, cpu_quota_cores=6.0), (4, 10000, 4096)),
        (_cpu(0, 2500.0, total=0), CgroupLimits(), (1, 0, 4096)),
        # A core taken away: the cores' clocks, kept a float as DMS's total (2 x 1000.4).
        (_cpu(3, 1000.4, total=3001), CgroupLimits(cpuset_cores=2), (2, 2000.8, 4096)),
        (_cpu(3, 1000.6, total=2500), CgroupLimits(cpuset_cores=2), (2, 2001.2, 4096)),
        (_cpu(3, 1000.333, total=3001), CgroupLimits(), (3, 3001, 4096)),
        (_cpu(4, 1000.0), CgroupLimits(memory_limit_mb=1024), (4, 4000, 1024)),
        (_cpu(4, 1000.0), CgroupLimits(memory_limit_mb=8192), (4, 4000, 4096)),
    ],
)
def test_usable_totals(cpu: CpuInfo, limits: CgroupLimits, usable: tuple[int, float, int]) -> None:
    found = usable_totals(cpu, 4096, limits)
    assert (found.cores, found.cpu_mhz, found.memory_mb) == usable
