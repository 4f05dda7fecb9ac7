"""Fakes for the hardware boundaries: /proc text, a fake `pynvml`, process checks."""

from __future__ import annotations

import os
import types
from pathlib import Path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def v2_tree(tmp_path: Path, own: str = "/") -> tuple[Path, Path]:
    """A cgroup v2 mount at tmp_path/cgroup and a /proc whose process sits in ``own``;
    returns (cgroup root, proc root), for the test to write the limit files into."""
    root, proc = tmp_path / "cgroup", tmp_path / "proc"
    write(root / "cgroup.controllers", "cpuset cpu io memory pids\n")
    write(proc / "self/cgroup", f"0::{own}\n")
    return root, proc


def v1_tree(
    tmp_path: Path, own: str = "/docker/abc", *, cpu_link: bool = False
) -> tuple[Path, Path]:
    """cgroup v1 with the cpu hierarchy mounted as "cpu,cpuacct", the process in ``own``
    of each hierarchy; returns (cgroup root, proc root). ``cpu_link`` adds what most
    distributions also mount: a "cpu" link to "cpu,cpuacct" and the hybrid "0::/" line."""
    root, proc = tmp_path / "cgroup", tmp_path / "proc"
    unified = "0::/\n" if cpu_link else ""
    write(
        proc / "self/cgroup",
        f"12:memory:{own}\n4:cpu,cpuacct:{own}\n3:cpuset:{own}\n1:name=systemd:{own}\n" + unified,
    )
    for hierarchy in ("cpu,cpuacct", "memory", "cpuset"):
        (root / hierarchy / own.lstrip("/")).mkdir(parents=True)
    if cpu_link:
        (root / "cpu").symlink_to("cpu,cpuacct")
    return root, proc


def cpuinfo_x86(n: int = 4, mhz: float = 2600.0, cores: int = 2) -> str:
    """n logical CPUs on one package, hyper-threaded onto `cores` cores."""
    blocks = []
    for i in range(n):
        blocks.append(
            f"processor\t: {i}\nvendor_id\t: GenuineIntel\n"
            f"model name\t: Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz\n"
            f"cpu MHz\t\t: {mhz:.3f}\nphysical id\t: 0\ncore id\t\t: {i % cores}\n"
            f"cpu cores\t: {cores}\n"
        )
    return "\n".join(blocks) + "\n"


class FakeNVMLError(Exception):
    def __init__(self, value: int) -> None:
        super().__init__(value)
        self.value = value

    def __str__(self) -> str:
        return f"NVML error {self.value}"


def make_fake_pynvml(
    *,
    init_error: str | None = None,
    devices: list[dict[str, object]] | None = None,
) -> types.ModuleType:
    """A stand-in for nvidia-ml-py's `pynvml` with the calls the probe makes.

    `init_error` names an NVMLError subclass nvmlInit raises ("NVMLError_LibraryNotFound").
    Each card is a dict (name, uuid, total, free, util, temp, optionally used) read at
    every call, so a test changes a card's figures by changing its dict; None means
    "not supported" (NVMLError_NotSupported).
    """
    mod = types.ModuleType("pynvml")
    codes = {
        "NVMLError_LibraryNotFound": 12,
        "NVMLError_DriverNotLoaded": 9,
        "NVMLError_NoPermission": 4,
        "NVMLError_NotSupported": 3,
        "NVMLError_Unknown": 999,
    }
    mod.NVMLError = FakeNVMLError  # type: ignore[attr-defined]
    for name, code in codes.items():
        cls = type(
            name,
            (FakeNVMLError,),
            {"__init__": lambda self, c=code: FakeNVMLError.__init__(self, c)},
        )
        setattr(mod, name, cls)
    mod.NVML_TEMPERATURE_GPU = 0  # type: ignore[attr-defined]
    cards = devices if devices is not None else []
    state = {"init": 0, "shutdown": 0}
    mod.state = state  # type: ignore[attr-defined]

    def nvmlInit() -> None:
        state["init"] += 1
        if init_error:
            raise getattr(mod, init_error)()

    def nvmlShutdown() -> None:
        state["shutdown"] += 1

    def get(h: int, key: str) -> object:
        value = cards[h][key]
        if value is None:
            raise mod.NVMLError_NotSupported()  # type: ignore[attr-defined]
        return value

    mod.nvmlInit = nvmlInit  # type: ignore[attr-defined]
    mod.nvmlShutdown = nvmlShutdown  # type: ignore[attr-defined]
    mod.nvmlSystemGetDriverVersion = lambda: "550.54.14"  # type: ignore[attr-defined]
    mod.nvmlDeviceGetCount = lambda: len(cards)  # type: ignore[attr-defined]
    mod.nvmlDeviceGetHandleByIndex = lambda i: i  # type: ignore[attr-defined]
    mod.nvmlDeviceGetName = lambda h: get(h, "name")  # type: ignore[attr-defined]
    mod.nvmlDeviceGetUUID = lambda h: get(h, "uuid")  # type: ignore[attr-defined]

    def memory(h: int) -> types.SimpleNamespace:
        total, free = get(h, "total"), get(h, "free")
        used = cards[h].get("used", total - free)  # type: ignore[operator]
        return types.SimpleNamespace(total=total, free=free, used=used)

    mod.nvmlDeviceGetMemoryInfo = memory  # type: ignore[attr-defined]
    mod.nvmlDeviceGetUtilizationRates = lambda h: types.SimpleNamespace(  # type: ignore[attr-defined]
        gpu=get(h, "util"), memory=0
    )
    mod.nvmlDeviceGetTemperature = lambda h, sensor: get(h, "temp")  # type: ignore[attr-defined]
    return mod


def pid_alive(pid: int) -> bool:
    """True while `pid` runs (a zombie waiting for its reaper counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"
