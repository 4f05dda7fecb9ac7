"""Container limits read from cgroup v1 and v2 files, on fake cgroup trees.

Each test writes the files a kernel would show under /sys/fs/cgroup and /proc/self and
checks the limits reported and the words of each problem.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.hardware.cgroups import parse_cpu_list, parse_self_cgroup, read_cgroup_limits
from app.hardware.model import CgroupLimits
from tests.hardware.boundaries import v1_tree, v2_tree, write

GIB = 1024**3
HOST = {"host_cores": 16, "host_memory_mb": 65536}


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


def test_v1_limits_through_a_comma_joined_hierarchy(tmp_path: Path) -> None:
    root, proc = v1_tree(tmp_path)
    own = root / "cpu,cpuacct/docker/abc"
    write(own / "cpu.cfs_quota_us", "50000\n")
    write(own / "cpu.cfs_period_us", "100000\n")
    write(root / "cpu,cpuacct/cpu.cfs_quota_us", "200000\n")
    write(root / "cpu,cpuacct/cpu.cfs_period_us", "100000\n")
    write(root / "memory/docker/abc/memory.limit_in_bytes", f"{GIB}\n")
    write(root / "memory/memory.limit_in_bytes", f"{2 * GIB}\n")
    write(root / "cpuset/docker/abc/cpuset.effective_cpus", "0-2\n")
    write(root / "cpuset/docker/abc/cpuset.cpus", "0-7\n")
    limits, problems = read_cgroup_limits(root, proc, **HOST)
    assert problems == []
    assert limits == CgroupLimits(
        version=1, cpu_quota_cores=0.5, cpuset_cores=3, memory_limit_mb=1024
    )


@pytest.mark.parametrize(
    ("quota", "period", "cores"),
    [("0", "100000", None), ("-1", "100000", None), ("50000", "0", None), ("1", "1", 1.0)],
)
def test_v1_quota_forms(tmp_path: Path, quota: str, period: str, cores: float | None) -> None:
    root, proc = v1_tree(tmp_path)
    write(root / "cpu,cpuacct/docker/abc/cpu.cfs_quota_us", quota + "\n")
    write(root / "cpu,cpuacct/docker/abc/cpu.cfs_period_us", period + "\n")
    limits, problems = read_cgroup_limits(root, proc, **HOST)
    assert (limits.version, limits.cpu_quota_cores, problems) == (1, cores, [])


def test_v1_a_quota_without_its_period_is_skipped(tmp_path: Path) -> None:
    root, proc = v1_tree(tmp_path)
    write(root / "cpu,cpuacct/docker/abc/cpu.cfs_quota_us", "50000\n")
    write(root / "cpu,cpuacct/cpu.cfs_quota_us", "300000\n")
    write(root / "cpu,cpuacct/cpu.cfs_period_us", "100000\n")
    limits, problems = read_cgroup_limits(root, proc, **HOST)
    assert (limits.cpu_quota_cores, problems) == (3.0, [])


@pytest.mark.parametrize(
    ("value", "limit_mb"),
    [
        ("0", None),
        (str(1 << 60), None),
        (str((1 << 60) - 1), ((1 << 60) - 1) // 1024 // 1024),
        (str(GIB), 1024),
    ],
)
def test_v1_memory_limit_forms(tmp_path: Path, value: str, limit_mb: int | None) -> None:
    root, proc = v1_tree(tmp_path)
    write(root / "memory/docker/abc/memory.limit_in_bytes", value + "\n")
    limits, problems = read_cgroup_limits(root, proc, host_cores=16, host_memory_mb=1 << 50)
    assert (limits.memory_limit_mb, problems) == (limit_mb, [])


def test_v1_problems_name_the_directory_and_what_it_holds(tmp_path: Path) -> None:
    root, proc = v1_tree(tmp_path)
    cpu_dir = root / "cpu,cpuacct/docker/abc"
    write(cpu_dir / "cpu.cfs_quota_us", "lots\n")
    write(cpu_dir / "cpu.cfs_period_us", "100000\n")
    write(root / "cpu,cpuacct/cpu.cfs_quota_us", "100000\n")
    write(root / "cpu,cpuacct/cpu.cfs_period_us", "100000\n")
    write(root / "memory/docker/abc/memory.limit_in_bytes", "plenty\n")
    write(root / "memory/memory.limit_in_bytes", f"{GIB}\n")
    write(root / "cpuset/docker/abc/cpuset.cpus", "x\n")
    limits, problems = read_cgroup_limits(root, proc, **HOST)
    assert problems == [
        f"CPU quota unknown: {cpu_dir} holds 'lots'/'100000'",
        f"memory limit unknown: {root / 'memory/docker/abc'} holds 'plenty'",
        f"cpuset unknown: {root / 'cpuset/docker/abc/cpuset.cpus'} holds 'x'",
    ]
    # the parents' limits still count
    assert (limits.cpu_quota_cores, limits.memory_limit_mb) == (1.0, 1024)


def test_v1_a_hierarchy_that_is_a_file_is_not_one(tmp_path: Path) -> None:
    root, proc = tmp_path / "cgroup", tmp_path / "proc"
    write(proc / "self/cgroup", "4:cpu:/\n")
    write(root / "cpu", "not a directory\n")
    write(root / "cpu,cpuacct", "not a directory either\n")
    limits, problems = read_cgroup_limits(root, proc, **HOST)
    assert (limits, problems) == (CgroupLimits(), [])


def test_without_a_readable_self_cgroup_the_root_is_read(tmp_path: Path) -> None:
    root = tmp_path / "cgroup"
    write(root / "cgroup.controllers", "memory\n")
    write(root / "memory.max", f"{GIB}\n")
    limits, problems = read_cgroup_limits(root, tmp_path / "no-proc", **HOST)
    assert (limits, problems) == (CgroupLimits(version=2, memory_limit_mb=1024), [])


@pytest.mark.parametrize(
    ("host_cores", "host_memory_mb", "limits"),
    [
        (0, 0, CgroupLimits(version=2, cpu_quota_cores=2.5, cpuset_cores=4, memory_limit_mb=3072)),
        (4, 3072, CgroupLimits(version=2, cpu_quota_cores=2.5)),
        (3, 3073, CgroupLimits(version=2, cpu_quota_cores=2.5, memory_limit_mb=3072)),
        (2, 8192, CgroupLimits(version=2, memory_limit_mb=3072)),
    ],
)
def test_a_limit_counts_only_below_the_host(
    tmp_path: Path, host_cores: int, host_memory_mb: int, limits: CgroupLimits
) -> None:
    root, proc = v2_tree(tmp_path)
    write(root / "cpu.max", "250000 100000\n")
    write(root / "cpuset.cpus.effective", "0-3\n")
    write(root / "memory.max", f"{3 * GIB + 1024 * 1024 - 1}\n")
    found, _ = read_cgroup_limits(root, proc, host_cores=host_cores, host_memory_mb=host_memory_mb)
    assert found == limits


def test_a_quota_is_rounded_to_three_places(tmp_path: Path) -> None:
    root, proc = v2_tree(tmp_path)
    write(root / "cpu.max", "123456 100000\n")
    limits, _ = read_cgroup_limits(root, proc, **HOST)
    assert limits.cpu_quota_cores == 1.235


def test_cpu_lists_with_spaces_and_empty_parts() -> None:
    assert parse_cpu_list(" 0-1 , ,3 ,\n") == {0, 1, 3}
    with pytest.raises(ValueError) as caught:
        parse_cpu_list("0,3-1")
    assert str(caught.value) == "bad CPU range '3-1'"


def test_self_cgroup_lines_that_are_not_entries_are_skipped() -> None:
    text = "garbage\n5:pids\n  7:memory,,cpu:/box  \n2:name=systemd:/init.scope\n0::/v2/path\n"
    assert parse_self_cgroup(text) == {
        "memory": "/box",
        "cpu": "/box",
        "systemd": "/init.scope",
        "": "/v2/path",
    }


def test_v1_cpuset_of_the_hierarchys_root(tmp_path: Path) -> None:
    root, proc = v1_tree(tmp_path)
    write(root / "cpuset/cpuset.cpus", "0-5\n")
    limits, problems = read_cgroup_limits(root, proc, **HOST)
    assert (limits.cpuset_cores, problems) == (6, [])


def test_v2_own_cgroup_whose_name_starts_with_x(tmp_path: Path) -> None:
    root, proc = v2_tree(tmp_path, "/XYZ.slice")
    write(root / "XYZ.slice/memory.max", f"{GIB}\n")
    limits, _ = read_cgroup_limits(root, proc, **HOST)
    assert limits.memory_limit_mb == 1024


def test_an_empty_limit_file_is_no_limit(tmp_path: Path) -> None:
    root, proc = v2_tree(tmp_path)
    write(root / "memory.max", "")
    write(root / "cpu.max", "\n")
    limits, problems = read_cgroup_limits(root, proc, **HOST)
    assert (limits, problems) == (CgroupLimits(version=2), [])


def test_a_cgroup_path_with_a_colon() -> None:
    assert parse_self_cgroup("0::/kubepods/pod:a1\n3:cpuset:/x:y\n") == {
        "": "/kubepods/pod:a1",
        "cpuset": "/x:y",
    }


@pytest.mark.parametrize(
    ("hierarchy", "file", "value", "expected"),
    [
        ("cpu", "cpu.cfs_quota_us", "150000", CgroupLimits(version=1, cpu_quota_cores=1.5)),
        (
            "memory",
            "memory.limit_in_bytes",
            str(GIB),
            CgroupLimits(version=1, memory_limit_mb=1024),
        ),
        ("cpuset", "cpuset.cpus", "0-1", CgroupLimits(version=1, cpuset_cores=2)),
    ],
)
def test_v1_with_a_single_hierarchy(
    tmp_path: Path, hierarchy: str, file: str, value: str, expected: CgroupLimits
) -> None:
    root, proc = tmp_path / "cgroup", tmp_path / "proc"
    write(proc / "self/cgroup", f"4:{hierarchy}:/\n")
    write(root / hierarchy / file, value + "\n")
    write(root / hierarchy / "cpu.cfs_period_us", "100000\n")
    limits, problems = read_cgroup_limits(root, proc, **HOST)
    assert (limits, problems) == (expected, [])


def test_on_a_one_cpu_one_mb_host_nothing_binds(tmp_path: Path) -> None:
    root, proc = v2_tree(tmp_path)
    write(root / "cpu.max", "200000 100000\n")
    write(root / "cpuset.cpus.effective", "0-1\n")
    write(root / "memory.max", f"{GIB}\n")
    limits, _ = read_cgroup_limits(root, proc, host_cores=1, host_memory_mb=1)
    assert limits == CgroupLimits(version=2)


def test_a_quota_of_exactly_the_host_does_not_bind(tmp_path: Path) -> None:
    root, proc = v2_tree(tmp_path)
    write(root / "cpu.max", "400000 100000\n")
    limits, _ = read_cgroup_limits(root, proc, host_cores=4, host_memory_mb=4096)
    assert limits.cpu_quota_cores is None


def test_v1_a_one_byte_memory_limit_binds(tmp_path: Path) -> None:
    root, proc = v1_tree(tmp_path)
    write(root / "memory/docker/abc/memory.limit_in_bytes", "1\n")
    limits, problems = read_cgroup_limits(root, proc, **HOST)
    assert (limits.memory_limit_mb, problems) == (0, [])
