"""The whole probe on faked roots: totals, container limits, and its promises
(never raises, never prints, no GPU work on the fast path, light imports)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil
import pytest

import app
from app.hardware import (
    CgroupLimits,
    MachineInfo,
    UsableTotals,
    probe_machine,
    sample_usage,
    usable_totals,
)
from app.hardware import probe as probe_module
from app.hardware.disk import nearest_existing, read_disk
from app.hardware.osinfo import parse_os_release, read_os
from tests.conftest import HANG_S
from tests.fakes import FakeHost, fake_machine
from tests.hardware.boundaries import cpuinfo_x86, v2_tree, write

GIB = 1024**3


@pytest.fixture
def fake_roots(tmp_path: Path) -> dict[str, Path]:
    """An 8-CPU, 2600 MHz machine inside a v2 container: 1.5 CPUs, 0-5 cpuset, 2 GiB."""
    cgroup, proc = v2_tree(tmp_path)
    sys_root = tmp_path / "sys"
    write(proc / "cpuinfo", cpuinfo_x86(n=8, mhz=2600.0, cores=4))
    sys_root.mkdir()
    write(cgroup / "cpu.max", "150000 100000\n")
    write(cgroup / "cpuset.cpus.effective", "0-5\n")
    write(cgroup / "memory.max", f"{2 * GIB}\n")
    return {"proc_root": proc, "sys_root": sys_root, "cgroup_root": cgroup}


def test_probe_applies_container_limits_to_the_usable_totals(
    fake_roots: dict[str, Path], tmp_path: Path
) -> None:
    info = probe_machine(tmp_path / "state", gpus=False, **fake_roots)
    assert isinstance(info, MachineInfo)
    assert (info.cpu.logical_cores, info.cpu.total_mhz) == (8, 20800)
    assert info.limits == CgroupLimits(
        version=2, cpu_quota_cores=1.5, cpuset_cores=6, memory_limit_mb=2048
    )
    assert info.usable_cores == 1  # a 1.5-core quota offers one whole core
    assert info.usable_cpu_mhz == 2600
    assert info.usable_memory_mb == min(2048, info.memory.total_mb)
    assert info.problems == ()


def test_fast_path_runs_no_gpu_tool(
    fake_roots: dict[str, Path], tmp_path: Path, fake_bin: Callable[[str, str], Path]
) -> None:
    marker = tmp_path / "ran"
    fake_bin("nvidia-smi", f"/bin/touch {marker}\n")
    info = probe_machine(tmp_path, gpus=False, **fake_roots)
    assert not info.gpus.probed
    assert info.gpus.problems == ()
    assert not marker.exists()


def test_gpu_problems_stay_in_the_gpu_report(
    fake_roots: dict[str, Path], tmp_path: Path, no_nvml: object, fake_bin: object
) -> None:
    info = probe_machine(tmp_path, gpus=True, gpu_timeout_s=HANG_S, **fake_roots)
    assert info.gpus.probed
    assert "nvidia-smi not found" in info.gpus.problems
    assert info.problems == ()


def test_a_failing_fact_costs_only_that_fact(
    fake_roots: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    def broken(*args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    def surprising(*args: object, **kwargs: object) -> object:
        raise KeyError("unexpected")

    monkeypatch.setattr(psutil, "virtual_memory", broken)
    monkeypatch.setattr(probe_module, "read_cgroup_limits", surprising)
    info = probe_machine(tmp_path, gpus=False, **fake_roots)
    assert info.memory.total_mb == 0
    assert any(p.startswith("memory size unknown") for p in info.problems)
    assert "container limits unknown: KeyError: 'unexpected'" in info.problems
    assert info.cpu.total_mhz == 20800  # the other facts are still there
    assert info.limits == CgroupLimits()
    assert capfd.readouterr() == ("", "")


def test_the_real_machine_never_prints(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    info = probe_machine(tmp_path / "a" / "b", gpus=False)
    assert info.cpu.logical_cores >= 1
    assert info.usable_cores >= 1
    assert info.disk.total_gb >= info.disk.free_gb
    assert capfd.readouterr() == ("", "")


def test_the_command_line_answers_on_the_real_machine(tmp_path: Path) -> None:
    """A smoke test on whatever machine runs it: only what holds everywhere."""
    result = subprocess.run(
        [sys.executable, "-m", "app", "capacity", "--json", "--state-dir", str(tmp_path / "s")],
        capture_output=True,
        text=True,
        timeout=HANG_S,
        cwd=Path(app.__file__).parents[1],
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["cpu"] > 0 and data["memory"] > 0 and data["total_cores"] >= 1
    assert data["disk_free_gb"] >= 0


def test_disk_of_a_directory_that_does_not_exist_yet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Measured on the nearest parent that exists, and what a user may write is offered:
    the kernel's f_bavail (173 GB), not f_bfree (197 GB, which counts root's reserve)."""
    missing = tmp_path / "not" / "yet" / "state"
    assert nearest_existing(missing) == str(tmp_path)
    asked: list[str] = []
    figures = FakeHost().statvfs()

    def statvfs(path: str) -> os.statvfs_result:
        asked.append(os.fspath(path))
        return figures

    monkeypatch.setattr(os, "statvfs", statvfs)  # the kernel's answer for the partition
    disk, problems = read_disk(missing)
    assert problems == []
    assert asked == [str(tmp_path)]
    assert (disk.total_gb, disk.free_gb) == (457, 173)
    assert Path(disk.path) in (tmp_path, *tmp_path.parents)


def test_os_release_pretty_name(tmp_path: Path) -> None:
    release = write(tmp_path / "os-release", 'NAME="Ubuntu"\nPRETTY_NAME="Ubuntu 24.04.1 LTS"\n')
    os_info, problems = read_os([tmp_path / "missing", release])
    if os_info.system == "Linux":
        assert os_info.distribution == "Ubuntu 24.04.1 LTS"
        assert problems == []
    assert os_info.hostname


def test_os_release_without_pretty_name() -> None:
    values = parse_os_release("# comment\nNAME=Alpine\nVERSION='3.20 (x)'\nbad line\n")
    assert values == {"NAME": "Alpine", "VERSION": "3.20 (x)"}


def test_usable_totals_rules() -> None:
    machine = fake_machine(cores=8, mhz=2500.0, memory_mb=16384)
    cpu = machine.cpu
    assert usable_totals(cpu, 16384, CgroupLimits()) == UsableTotals(8, 20000, 16384)
    assert usable_totals(cpu, 16384, CgroupLimits(cpu_quota_cores=0.5)) == UsableTotals(
        1, 2500, 16384
    )
    assert usable_totals(
        cpu, 16384, CgroupLimits(cpuset_cores=2, cpu_quota_cores=3.9)
    ) == UsableTotals(2, 5000, 16384)
    assert usable_totals(cpu, 16384, CgroupLimits(memory_limit_mb=4096)).memory_mb == 4096


def test_fake_machine_matches_the_real_rules() -> None:
    m = fake_machine(cores=4, mhz=3000.0, memory_mb=8192, cgroup_memory_mb=2048, gpus=0)
    assert (m.cpu.total_mhz, m.usable_cores, m.usable_cpu_mhz, m.usable_memory_mb) == (
        12000,
        4,
        12000,
        2048,
    )
    assert m.limits.any
    assert m.gpus.devices == () and m.gpus.problems
    assert len(fake_machine(gpus=2).gpus.devices) == 2


def test_the_fake_host_probed_is_its_fake_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FakeHost's files, read by the real probe, and ``FakeHost.machine()`` given to a
    controller are one machine: the command-line tests and the controller tests agree."""
    host = FakeHost(gpus=0)
    host.write(tmp_path / "host")
    figures = host.statvfs()
    monkeypatch.setattr(os, "statvfs", lambda path: figures)
    monkeypatch.setenv(probe_module.HARDWARE_ROOT_ENV, str(tmp_path / "host"))
    probed = probe_machine(tmp_path / "state", gpus=False)
    faked = host.machine()
    assert probed.problems == ()
    for got in (probed, faked):
        assert (got.cpu.logical_cores, got.cpu.total_mhz, got.cpu.mhz_per_core) == pytest.approx(
            (8, 20769.12, 2596.14)
        )
        assert (got.usable_cores, got.usable_cpu_mhz, got.usable_memory_mb) == pytest.approx(
            (6, 15576.84, 12345)
        )
        assert (got.memory.total_mb, got.disk.total_gb, got.disk.free_gb) == (15923, 457, 173)
        assert got.limits == CgroupLimits(
            version=2, cpu_quota_cores=6.5, cpuset_cores=7, memory_limit_mb=12345
        )


def test_fake_machine_agrees_with_the_probe(tmp_path: Path) -> None:
    """The same hardware, once faked in tests.fakes and once probed from /proc and cgroup
    files: every figure the rules use (totals and usable totals) must be the same."""
    cgroup, proc = v2_tree(tmp_path)
    write(proc / "cpuinfo", cpuinfo_x86(n=4, mhz=3000.0, cores=2))
    write(cgroup / "memory.max", f"{2 * GIB}\n")
    (tmp_path / "sys").mkdir()
    probed = probe_machine(
        tmp_path, gpus=False, proc_root=proc, sys_root=tmp_path / "sys", cgroup_root=cgroup
    )
    faked = fake_machine(
        cores=4, mhz=3000.0, memory_mb=probed.memory.total_mb, cgroup_memory_mb=2048
    )
    figures = ("usable_cores", "usable_cpu_mhz", "usable_memory_mb", "limits")
    assert {f: getattr(faked, f) for f in figures} == {f: getattr(probed, f) for f in figures}
    assert (faked.cpu.logical_cores, faked.cpu.total_mhz, faked.cpu.mhz_per_core) == (
        probed.cpu.logical_cores,
        probed.cpu.total_mhz,
        probed.cpu.mhz_per_core,
    )


def test_sample_usage_does_not_block(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real psutil call, watched: it is asked not to sleep.

    psutil.cpu_percent sleeps for `interval` seconds unless interval is None or 0; the
    gauges sample on a timer in the event loop, so a blocking sample would freeze the app.
    The interval asked for is what load cannot change, so that is what is checked.
    """
    real = psutil.cpu_percent
    intervals: list[object] = []

    def watched(*args: Any, **kwargs: Any) -> Any:
        intervals.append(kwargs.get("interval", args[0] if args else None))
        return real(*args, **kwargs)

    monkeypatch.setattr(psutil, "cpu_percent", watched)
    usage = sample_usage()
    assert intervals and all(i in (None, 0) for i in intervals), intervals
    assert 0.0 <= usage.cpu_percent <= 100.0 * (psutil.cpu_count() or 1)
    assert 0.0 < usage.memory_percent <= 100.0
    assert usage.memory_used_mb > 0


def test_import_stays_light() -> None:
    code = (
        "import sys, app.hardware\n"
        "heavy = {'textual', 'pydantic', 'eth_account', 'pycardano', 'cpuinfo', 'pynvml'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


def test_the_status_probe_loads_neither_pathlib_nor_typing(tmp_path: Path) -> None:
    """``status`` runs ``probe_capacity`` on every call: pathlib (with urllib.parse) and
    typing would each add ~0.4x of a bare interpreter start."""
    if "MUTANT_UNDER_TEST" in os.environ:  # benchmarks/mutation.py: mutmut's copy of app/
        pytest.skip("mutated modules import mutmut's trampoline, which loads these libraries")
    code = (
        "import sys, app.hardware\n"
        f"capacity = app.hardware.probe_capacity({str(tmp_path / 'state')!r})\n"
        "avoided = ('pathlib', 'typing', 'threading', 'urllib', 'contextlib', 'warnings',\n"
        "           'fnmatch', 'ipaddress', 'logging')\n"
        "print(sorted(m for m in avoided if m in sys.modules))\n"
        "print(capacity.problems, file=sys.stderr)\n"
    )
    # -S: no site, so no .pth file (an editable install's import finder loads pathlib)
    # is there before our code; the package is found where this test imported it from.
    root = os.path.dirname(os.path.dirname(os.path.abspath(app.__file__)))
    out = subprocess.run(
        [sys.executable, "-S", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": root},
    )
    assert out.stdout.strip() == "[]", out.stderr
