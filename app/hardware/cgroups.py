"""Container limits from cgroup v1 and v2.

psutil reports the host: inside a container limited to 2 CPUs and 4 GiB it still
reports every core and all RAM, and an offer based on that would be refused by the
kernel at run time. We read the limits of the process's own cgroup (and of its
ancestors, whose limits apply too) and report only those that actually bind, so the
overview can say "a limit applies" exactly when it does. Paths are ``str`` (see
``_files``): status reads the limits and must not import pathlib.
"""

from __future__ import annotations

import os

from app.hardware._files import clean, is_dir, is_file, parents, read_first_line, read_text
from app.hardware.model import CgroupLimits

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.hardware._files import StrPath

# cgroup v1 prints "no limit" as PAGE_COUNTER_MAX pages (9223372036854771712 on x86-64);
# anything this large is not a real limit.
_V1_UNLIMITED_BYTES = 1 << 60


def parse_cpu_list(text: str) -> set[int]:
    """CPUs in a kernel CPU list such as "0-3,6,8-9"; raises ValueError on garbage."""
    cpus: set[int] = set()
    for part in text.strip().split(","):
        part = part.strip()
        if not part:
            continue
        first, sep, last = part.partition("-")
        start = int(first)
        end = int(last) if sep else start
        if end < start:
            raise ValueError(f"bad CPU range {part!r}")
        cpus.update(range(start, end + 1))
    return cpus


def parse_self_cgroup(text: str) -> dict[str, str]:
    """/proc/self/cgroup as {controller: path}; the v2 entry is under the key ""."""
    paths: dict[str, str] = {}
    for line in text.splitlines():
        parts = line.strip().split(":", 2)
        if len(parts) != 3:
            continue
        _, controllers, path = parts
        if not controllers:
            paths[""] = path
        for name in controllers.split(","):
            if name:
                paths[name.removeprefix("name=")] = path
    return paths


def _own_dir(mount: str, relative: str | None) -> str:
    """The process's cgroup directory under `mount`, else the mount itself.

    Without a cgroup namespace a container sees the host's path (e.g. /docker/<id>)
    while its mount shows only its own cgroup at the root: the root is then right.
    """
    if relative:
        candidate = clean(os.path.join(mount, relative.lstrip("/")))
        if candidate != mount and is_dir(candidate):
            return candidate
    return mount


def _chain(start: str, mount: str) -> list[str]:
    """`start` and each ancestor up to and including `mount` (limits nest); only `start`
    where `mount` is not an ancestor of it."""
    ancestors = list(parents(start))
    if start == mount or mount not in ancestors:
        return [start]
    return [start, *ancestors[: ancestors.index(mount) + 1]]


class _Raw:
    """The limits as read along the cgroup chain, before comparing them with the host.

    A plain class, not a dataclass: ``status`` reads limits, and ``dataclasses`` costs
    it ~7 ms of import."""

    __slots__ = ("cpuset", "memory_bytes", "quota_cores")

    def __init__(self) -> None:
        self.quota_cores: float | None = None
        self.cpuset: int | None = None
        self.memory_bytes: int | None = None


def _min(a: float | None, b: float) -> float:
    return b if a is None else min(a, b)


def _min_int(a: int | None, b: int) -> int:
    return b if a is None else min(a, b)


def _read_v2(root: str, relative: str | None, problems: list[str]) -> _Raw:
    raw = _Raw()
    own = _own_dir(root, relative)
    for directory in _chain(own, root):
        line = read_first_line(os.path.join(directory, "cpu.max"))
        if line:
            quota, _, period = line.partition(" ")
            if quota != "max":
                try:
                    q, p = int(quota), int(period or "100000")
                    if q > 0 and p > 0:
                        raw.quota_cores = _min(raw.quota_cores, q / p)
                except ValueError:
                    problems.append(
                        f"CPU quota unknown: {os.path.join(directory, 'cpu.max')} holds {line!r}"
                    )
        line = read_first_line(os.path.join(directory, "memory.max"))
        if line and line != "max":
            try:
                raw.memory_bytes = _min_int(raw.memory_bytes, int(line))
            except ValueError:
                problems.append(
                    f"memory limit unknown: {os.path.join(directory, 'memory.max')} holds {line!r}"
                )
    for directory in _chain(own, root):
        for name in ("cpuset.cpus.effective", "cpuset.cpus"):
            path = os.path.join(directory, name)
            text = read_text(path)
            if text and text.strip():
                raw.cpuset = _count_cpus(path, text, problems)
                return raw
    return raw


def _count_cpus(path: str, text: str, problems: list[str]) -> int | None:
    try:
        return len(parse_cpu_list(text)) or None
    except ValueError:
        problems.append(f"cpuset unknown: {path} holds {text.strip()!r}")
        return None


def _v1_mount(root: str, controller: str) -> str | None:
    """The v1 hierarchy of one controller: "cpu" is often a link to "cpu,cpuacct"."""
    direct = os.path.join(root, controller)
    if is_dir(direct):
        return direct
    try:
        for name in os.listdir(root):
            entry = os.path.join(root, name)
            if controller in name.split(",") and is_dir(entry):
                return entry
    except OSError:
        return None
    return None


def _read_v1(root: str, own: dict[str, str], problems: list[str]) -> _Raw:
    raw = _Raw()
    cpu_mount = _v1_mount(root, "cpu")
    if cpu_mount is not None:
        for directory in _chain(_own_dir(cpu_mount, own.get("cpu")), cpu_mount):
            quota = read_first_line(os.path.join(directory, "cpu.cfs_quota_us"))
            period = read_first_line(os.path.join(directory, "cpu.cfs_period_us"))
            if quota is None or period is None:
                continue
            try:
                q, p = int(quota), int(period)
            except ValueError:
                problems.append(f"CPU quota unknown: {directory} holds {quota!r}/{period!r}")
                continue
            if q > 0 and p > 0:
                raw.quota_cores = _min(raw.quota_cores, q / p)
    memory_mount = _v1_mount(root, "memory")
    if memory_mount is not None:
        for directory in _chain(_own_dir(memory_mount, own.get("memory")), memory_mount):
            line = read_first_line(os.path.join(directory, "memory.limit_in_bytes"))
            if line is None:
                continue
            try:
                value = int(line)
            except ValueError:
                problems.append(f"memory limit unknown: {directory} holds {line!r}")
                continue
            if 0 < value < _V1_UNLIMITED_BYTES:
                raw.memory_bytes = _min_int(raw.memory_bytes, value)
    cpuset_mount = _v1_mount(root, "cpuset")
    if cpuset_mount is not None:
        own_dir = _own_dir(cpuset_mount, own.get("cpuset"))
        for directory in _chain(own_dir, cpuset_mount):
            for name in ("cpuset.effective_cpus", "cpuset.cpus"):
                path = os.path.join(directory, name)
                text = read_text(path)
                if text and text.strip():
                    raw.cpuset = _count_cpus(path, text, problems)
                    return raw
    return raw


def read_cgroup_limits(
    cgroup_root: StrPath,
    proc_root: StrPath,
    *,
    host_cores: int,
    host_memory_mb: int,
) -> tuple[CgroupLimits, list[str]]:
    """The limits that bind below the host's totals; CgroupLimits() outside cgroups.

    A limit at or above the host total (a 64-core quota on 8 cores, a 1 TiB memory
    limit on 16 GiB) changes nothing and is reported as None.
    """
    problems: list[str] = []
    root = clean(cgroup_root)
    self_text = read_text(os.path.join(clean(proc_root), "self", "cgroup"))
    own = parse_self_cgroup(self_text) if self_text else {}
    if is_file(os.path.join(root, "cgroup.controllers")):
        version = 2
        raw = _read_v2(root, own.get(""), problems)
    elif any(_v1_mount(root, c) is not None for c in ("cpu", "memory", "cpuset")):
        version = 1
        raw = _read_v1(root, own, problems)
    else:
        return CgroupLimits(), problems

    quota = raw.quota_cores
    if quota is not None and host_cores > 0 and quota >= host_cores:
        quota = None
    cpuset = raw.cpuset
    if cpuset is not None and host_cores > 0 and cpuset >= host_cores:
        cpuset = None
    memory_mb = raw.memory_bytes // 1024 // 1024 if raw.memory_bytes is not None else None
    if memory_mb is not None and host_memory_mb > 0 and memory_mb >= host_memory_mb:
        memory_mb = None
    limits = CgroupLimits(
        version=version,
        cpu_quota_cores=round(quota, 3) if quota is not None else None,
        cpuset_cores=cpuset,
        memory_limit_mb=memory_mb,
    )
    return limits, problems
