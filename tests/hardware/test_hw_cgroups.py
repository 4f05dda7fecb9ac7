"""cgroup v1 and v2 limits from fake cgroup trees."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.hardware.cgroups import parse_cpu_list, parse_self_cgroup, read_cgroup_limits
from app.hardware.model import CgroupLimits
from tests.hardware.boundaries import v1_tree, v2_tree, write

GIB = 1024**3
HOST = {"host_cores": 16, "host_memory_mb": 65536}


def test_v2_quota_cpuset_and_memory_limit_of_the_own_cgroup(tmp_path: Path) -> None:
    root, proc = v2_tree(tmp_path, "/system.slice/docker-abc.scope")
    own = root / "system.slice/docker-abc.scope"
    write(own / "cpu.max", "150000 100000\n")
    write(own / "cpuset.cpus.effective", "0-3,6\n")
    write(own / "memory.max", f"{4 * GIB}\n")
    limits, problems = read_cgroup_limits(root, proc, **HOST)
    assert problems == []
    assert limits == CgroupLimits(
        version=2, cpu_quota_cores=1.5, cpuset_cores=5, memory_limit_mb=4096
    )
    assert limits.any


def test_v2_max_means_unlimited(tmp_path: Path) -> None:
    root, proc = v2_tree(tmp_path)
    write(root / "cpu.max", "max 100000\n")
    write(root / "memory.max", "max\n")
    write(root / "cpuset.cpus.effective", "0-15\n")  # every host CPU: no restriction
    limits, problems = read_cgroup_limits(root, proc, **HOST)
    assert problems == []
    assert limits == CgroupLimits(version=2)
    assert not limits.any


def test_v2_parent_limit_applies_to_the_child(tmp_path: Path) -> None:
    root, proc = v2_tree(tmp_path, "/parent/child")
    write(root / "parent/memory.max", f"{2 * GIB}\n")
    write(root / "parent/child/memory.max", "max\n")
    write(root / "parent/cpu.max", "200000 100000\n")
    write(root / "parent/child/cpu.max", "400000 100000\n")
    limits, _ = read_cgroup_limits(root, proc, **HOST)
    assert limits.memory_limit_mb == 2048
    assert limits.cpu_quota_cores == 2.0


def test_v2_own_path_missing_falls_back_to_the_root(tmp_path: Path) -> None:
    # A container without a cgroup namespace sees the host path but mounts its own cgroup.
    root, proc = v2_tree(tmp_path, "/docker/0123456789")
    write(root / "memory.max", f"{GIB}\n")
    limits, _ = read_cgroup_limits(root, proc, **HOST)
    assert limits.memory_limit_mb == 1024


def test_v2_garbage_is_a_problem(tmp_path: Path) -> None:
    root, proc = v2_tree(tmp_path)
    write(root / "cpu.max", "lots 100000\n")
    write(root / "memory.max", "plenty\n")
    write(root / "cpuset.cpus.effective", "a-b\n")
    limits, problems = read_cgroup_limits(root, proc, **HOST)
    assert limits == CgroupLimits(version=2)
    assert len(problems) == 3
    assert any("cpu.max" in p and "'lots 100000'" in p for p in problems)


def test_v1_cfs_quota_cpuset_and_memory_limit(tmp_path: Path) -> None:
    root, proc = v1_tree(tmp_path, cpu_link=True)
    own = "docker/abc"
    write(root / "cpu,cpuacct" / own / "cpu.cfs_quota_us", "250000\n")
    write(root / "cpu,cpuacct" / own / "cpu.cfs_period_us", "100000\n")
    write(root / "memory" / own / "memory.limit_in_bytes", f"{3 * GIB}\n")
    write(root / "cpuset" / own / "cpuset.cpus", "0-1\n")
    limits, problems = read_cgroup_limits(root, proc, **HOST)
    assert problems == []
    assert limits == CgroupLimits(
        version=1, cpu_quota_cores=2.5, cpuset_cores=2, memory_limit_mb=3072
    )


def test_v1_unlimited_values(tmp_path: Path) -> None:
    root, proc = v1_tree(tmp_path, cpu_link=True)
    write(root / "cpu,cpuacct/cpu.cfs_quota_us", "-1\n")
    write(root / "cpu,cpuacct/cpu.cfs_period_us", "100000\n")
    write(root / "memory/memory.limit_in_bytes", "9223372036854771712\n")
    limits, problems = read_cgroup_limits(root, proc, **HOST)
    assert problems == []
    assert limits == CgroupLimits(version=1)


def test_limits_above_the_host_do_not_count(tmp_path: Path) -> None:
    root, proc = v2_tree(tmp_path)
    write(root / "cpu.max", "6400000 100000\n")  # 64 cores on a 16-core host
    write(root / "memory.max", f"{1024 * GIB}\n")  # 1 TiB on 64 GiB
    limits, _ = read_cgroup_limits(root, proc, **HOST)
    assert limits == CgroupLimits(version=2)


def test_outside_any_cgroup_hierarchy(tmp_path: Path) -> None:
    limits, problems = read_cgroup_limits(tmp_path / "none", tmp_path / "proc", **HOST)
    assert (limits, problems) == (CgroupLimits(), [])


@pytest.mark.parametrize(
    ("text", "count"),
    [("0-3,6", 5), ("0", 1), ("0-3,6,8-9\n", 7), ("", 0), ("2-2", 1)],
)
def test_parse_cpu_list(text: str, count: int) -> None:
    assert len(parse_cpu_list(text)) == count


@pytest.mark.parametrize("text", ["3-1", "x", "1-", "-"])
def test_parse_cpu_list_rejects_garbage(text: str) -> None:
    with pytest.raises(ValueError):
        parse_cpu_list(text)


def test_parse_self_cgroup_v1_and_v2() -> None:
    own = parse_self_cgroup("4:cpu,cpuacct:/a\n1:name=systemd:/s\n0::/u\n")
    assert own == {"cpu": "/a", "cpuacct": "/a", "systemd": "/s", "": "/u"}
