"""Fixtures shared by every part's tests: state directories, controllers, addresses."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.onboarding.controller import OnboardingController
from tests.fakes import FakeHost, fake_machine

# Published vectors (the Hardhat account #0; CIP-19's type-00 base addresses), so tests do not
# depend on our own wallet code to make addresses.
ETH_ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
CARDANO_MAINNET = "addr1qx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer3n0d3vllmyqwsx5wktcd8cc3sq835lu7drv2xwl2wywfgse35a3x"
CARDANO_TESTNET = "addr_test1qz2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer3n0d3vllmyqwsx5wktcd8cc3sq835lu7drv2xwl2wywfgs68faae"


HANG_S = 30.0
"""The only wall-clock bound a test may assert: long enough that nothing but a hang reaches
it on a loaded machine (what is meant to take milliseconds, or a wait of a second or two).
How fast something is belongs in benchmarks/, not here."""

# DMS MetadataV2's keys, in its order: `info --json` must print exactly these.
DMS_METADATA_KEYS = [
    "name",
    "update_timestamp",
    "resource",
    "available",
    "reserved",
    "network",
    "public_key",
    "node_id",
    "allow_cardano",
    "gpu_info",
    "dashboard",
    "ntx_price",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under mutmut, while it tests one mutant: the quickest tests first.

    mutmut runs a mutant's tests with -x, so a killed mutant costs only the tests up to
    the first that fails; in file order, a slow race test often came first. The same
    tests run, in the order of the durations mutmut recorded (mutants/mutmut-stats.json).
    Elsewhere (MUTANT_UNDER_TEST unset, or mutmut's own stats, clean and forced-fail
    runs) the order is left alone.
    """
    mutant = os.environ.get("MUTANT_UNDER_TEST")
    if mutant == "":  # mutmut's clean run, in the process that each mutant's run is
        _mutmut_durations()  # forked from: read the durations once, not in every fork
    if "__mutmut_" not in (mutant or ""):
        return
    durations = _mutmut_durations()
    items.sort(key=lambda item: durations.get(item.nodeid, 0.0))


_MUTMUT_DURATIONS: dict[str, float] = {}


def _mutmut_durations() -> dict[str, float]:
    """The test durations mutmut recorded (its working directory is mutants/)."""
    if not _MUTMUT_DURATIONS:
        with contextlib.suppress(OSError, ValueError, KeyError):
            stats = json.loads(Path("mutmut-stats.json").read_text(encoding="utf-8"))
            _MUTMUT_DURATIONS.update(stats["duration_by_test"])
    return _MUTMUT_DURATIONS


@pytest.fixture(autouse=True)
def _isolated_config(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """No test reads the developer's config file or state directory."""
    cfg = tmp_path_factory.mktemp("config")
    (cfg / "config.toml").write_text("")  # a named config file must exist
    monkeypatch.setenv("NUNET_ONBOARD_CONFIG", str(cfg / "config.toml"))
    monkeypatch.setenv("NUNET_ONBOARD_STATE_DIR", str(cfg / "default-state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(cfg / "xdg-data"))


@pytest.fixture(autouse=True)
def _idle_host(monkeypatch: pytest.MonkeyPatch) -> None:
    """The host's load average reads 0: every write's warnings include "the CPU is busy
    now" from it, and no test may depend on how busy the machine running it is. A test
    of the busy warning gives its own (``load_average=`` or its own ``getloadavg``)."""
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))


@pytest.fixture
def fake_host(
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> FakeHost:
    """The real probe, here and in any command run in a subprocess, reads `FakeHost`.

    ``FakeHost()`` unless the test parametrizes this fixture (indirect) with another.
    In this process the two boundaries that no directory can stand for are patched:
    ``os.statvfs`` (the disk) and ``pynvml`` (absent, so NVML finds no GPU).
    """
    host: FakeHost = getattr(request, "param", FakeHost())
    root = tmp_path_factory.mktemp("host")
    host.write(root)
    for name, value in host.environment(root).items():
        monkeypatch.setenv(name, value)
    figures = host.statvfs()
    monkeypatch.setattr(os, "statvfs", lambda path: figures)
    monkeypatch.setitem(sys.modules, "pynvml", None)
    return host


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from this checkout, once a session (the packaging test installs it
    outside the checkout; the Ansible role copies it to the node and installs it)."""
    out = tmp_path_factory.mktemp("wheel")
    build = tmp_path_factory.mktemp("wheel-build")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(out),
            str(Path(__file__).resolve().parents[1]),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=build,
    )
    assert result.returncode == 0, result.stderr
    (built,) = out.glob("nunet_onboard-*.whl")
    return built


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    return tmp_path / "state"


@pytest.fixture
def controller(state_dir: Path) -> OnboardingController:
    """A controller on a tmp state dir with an 8-core 2600 MHz, 16 GiB, one-GPU machine."""
    return OnboardingController(state_dir, probe=lambda: fake_machine())


@contextlib.contextmanager
def read_only_dir() -> Iterator[Path]:
    """A directory that this process cannot write to, even as root.

    Root ignores mode bits, so as root this is a tmpfs remounted read-only; as
    another user, mode 0500 is enough.
    """
    base = Path(tempfile.mkdtemp(prefix="nunet-ro-"))
    if os.geteuid() != 0:
        base.chmod(0o500)
        try:
            yield base
        finally:
            base.chmod(0o700)
            base.rmdir()
        return
    with tmpfs(
        "1m", refused="cannot make a read-only directory as root here (mount refused)"
    ) as mounted:
        yield mounted


@contextlib.contextmanager
def tmpfs(size: str, *, refused: str) -> Iterator[Path]:
    """A fresh tmpfs of ``size`` (root only), unmounted and removed afterwards; the test is
    skipped with ``refused`` where this machine does not allow the mount."""
    base = Path(tempfile.mkdtemp(prefix="nunet-tmpfs-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(base)], capture_output=True
    )
    if mounted.returncode != 0:
        base.rmdir()
        pytest.skip(refused)
    try:
        yield base
    finally:
        subprocess.run(["umount", "-l", str(base)], capture_output=True)
        base.rmdir()


def remount_read_only(path: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["mount", "-o", "remount,ro", str(path)], check=True)
    else:
        path.chmod(0o500)
