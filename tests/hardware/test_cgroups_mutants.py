"""Container limits found unchecked by mutation testing, on fake cgroup trees.

Each test writes the files a kernel would show under /sys/fs/cgroup and /proc/self and
checks the limits reported and the words of each problem.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.hardware.cgroups import read_cgroup_limits
from app.hardware.model import CgroupLimits
from tests.hardware.boundaries import write

GIB = 1024**3
HOST = {"host_cores": 16, "host_memory_mb": 65536}


def v2_tree(tmp_path: Path, own: str = "/") -> tuple[Path, Path]:
    root, proc = tmp_path / "cgroup", tmp_path / "proc"
    write(root / "cgroup.controllers", "cpuset cpu io memory pids\n")
    write(proc / "self/cgroup", f"0::{own}\n")
    return root, proc


@pytest.mark.parametrize(
    ("cpu_max", "cores"),
    [
        ("50000", 0.5),  # no period given: the kernel's default of 100000
        ("0 100000", None),
        ("-1 100000", None),
        ("1 100000", 0.0),  # a real, tiny quota (rounded to three places)
        ("50000 0", None),
        ("1 1", 1.0),
    ],
)
def test_v2_cpu_max_forms(tmp_path: Path, cpu_max: str, cores: float | None) -> None:
    root, proc = v2_tree(tmp_path)
    write(root / "cpu.max", cpu_max + "\n")
    limits, problems = read_cgroup_limits(root, proc, **HOST)
    assert (limits.cpu_quota_cores, problems) == (cores, [])


def test_v2_the_strictest_limit_of_the_chain_wins(tmp_path: Path) -> None:
    root, proc = v2_tree(tmp_path, "/parent/child")
    write(root / "parent/child/cpu.max", "50000 100000\n")
    write(root / "parent/cpu.max", "200000 100000\n")
    write(root / "parent/child/memory.max", f"{GIB}\n")
    write(root / "parent/memory.max", f"{2 * GIB}\n")
    limits, problems = read_cgroup_limits(root, proc, **HOST)
    assert problems == []
    assert (limits.cpu_quota_cores, limits.memory_limit_mb) == (0.5, 1024)


def test_v2_cpuset_of_a_parent_and_the_plain_cpuset_file(tmp_path: Path) -> None:
    root, proc = v2_tree(tmp_path, "/parent/child")
    (root / "parent/child").mkdir(parents=True)
    write(root / "parent/cpuset.cpus", "0-3\n")
    limits, problems = read_cgroup_limits(root, proc, **HOST)
    assert (limits.cpuset_cores, problems) == (4, [])


def test_v2_problems_name_the_file_and_what_it_holds(tmp_path: Path) -> None:
    root, proc = v2_tree(tmp_path, "/box")
    own = root / "box"
    write(own / "cpu.max", "lots 100000\n")
    write(own / "memory.max", "plenty\n")
    write(own / "cpuset.cpus.effective", "a-b\n")
    limits, problems = read_cgroup_limits(root, proc, **HOST)
    assert limits == CgroupLimits(version=2)
    assert problems == [
        f"CPU quota unknown: {own / 'cpu.max'} holds 'lots 100000'",
        f"memory limit unknown: {own / 'memory.max'} holds 'plenty'",
        f"cpuset unknown: {own / 'cpuset.cpus.effective'} holds 'a-b'",
    ]
