"""The Overview's GPU sparklines, fed by the real sampler through a fake `pynvml`."""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from app.hardware.live import GpuUsage, Usage
from app.onboarding.controller import OnboardingController
from app.tui.app import NunetOnboardApp
from app.tui.usage_history import UsageHistory
from tests.conftest import HANG_S
from tests.fakes import fake_machine
from tests.hardware.boundaries import make_fake_pynvml
from tests.tui.conftest import SIZE, settle

GiB = 1024**3


def app_with_nvml(state_dir: Path, *, gpus: int) -> NunetOnboardApp:
    """The app as it runs: the controller's own usage sampling, a fake machine probe.

    A sample each 15 s keeps four in the minute's ring; the test takes them by hand."""
    controller = OnboardingController(
        state_dir, probe=lambda: fake_machine(gpus=gpus), load_average=lambda: 0.0
    )
    return NunetOnboardApp(controller, usage_interval=15, export_kdf="pbkdf2", rng=random.Random(4))


def panel(app: NunetOnboardApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def sample_until(pilot: Pilot[Any], done: str, times: int = 1) -> str:
    """Take samples as the timer does until `done` shows in the usage panel, then `times` more."""
    app = pilot.app
    deadline = time.monotonic() + HANG_S
    while done not in panel(app, "#usage-panel") and time.monotonic() < deadline:
        app.screen.sample()  # type: ignore[attr-defined]
        await pilot.pause(0.02)
    for _ in range(times - 1):
        app.screen.sample()  # type: ignore[attr-defined]
    await pilot.pause()
    return panel(app, "#usage-panel")


def card(util: int, used_gib: int) -> dict[str, object]:
    return {
        "name": "NVIDIA GeForce RTX 3090",
        "uuid": "GPU-1",
        "total": 24 * GiB,
        "free": (24 - used_gib) * GiB,
        "util": util,
        "temp": 40,
    }


async def test_one_sparkline_per_gpu(state_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cards = [card(util=100, used_gib=3), card(util=0, used_gib=1)]
    monkeypatch.setitem(sys.modules, "pynvml", make_fake_pynvml(devices=cards))
    app = app_with_nvml(state_dir, gpus=2)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        usage = await sample_until(pilot, "GPU 1", times=3)
        lines = usage.splitlines()
        gpu0 = next(line for line in lines if line.startswith("GPU 0"))
        gpu1 = next(line for line in lines if line.startswith("GPU 1"))
        assert "100 % " in gpu0 and gpu0.rstrip().endswith("███")
        assert "  0 % " in gpu1 and gpu1.rstrip().endswith("▁▁▁")
        assert lines[-1].endswith("MB in use")  # the host's memory figure stays last
        gpus = panel(app, "#gpu-panel")
        assert "3.0 of 24 GiB in use" in gpus and "1.0 of 24 GiB in use" in gpus
        assert "% busy" not in gpus  # the live busy figure is the usage line's

        cards[0]["util"] = 0  # GPU 0 goes idle: its line falls, GPU 1's does not move
        usage = await sample_until(pilot, "GPU 0    0 %")
        gpu0 = next(line for line in usage.splitlines() if line.startswith("GPU 0"))
        assert gpu0.rstrip().endswith("█▁")


async def test_without_nvml_the_gpus_get_one_line_saying_why(
    state_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nvml = make_fake_pynvml(init_error="NVMLError_DriverNotLoaded")
    monkeypatch.setitem(sys.modules, "pynvml", nvml)
    app = app_with_nvml(state_dir, gpus=1)  # the probe saw a GPU (say, by nvidia-smi)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        usage = await sample_until(pilot, "GPUs:", times=5)
        assert "GPUs: NVIDIA driver not loaded" in usage and "GPU 0" not in usage
        assert nvml.state["init"] == 1  # said once; NVML is not asked again each second


async def test_a_machine_without_gpus_shows_no_gpu_line(
    state_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(
        sys.modules, "pynvml", make_fake_pynvml(init_error="NVMLError_LibraryNotFound")
    )
    app = app_with_nvml(state_dir, gpus=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        deadline = time.monotonic() + HANG_S
        while app.sample_usage().gpu_note is None and time.monotonic() < deadline:
            await pilot.pause(0.02)  # until the sampler has given up on NVML
        assert app.sample_usage().gpu_note == "NVML library not found"
        app.screen.sample()  # type: ignore[attr-defined]
        await pilot.pause()
        usage = panel(app, "#usage-panel")
        assert "GPU" not in usage and "MB in use" in usage


def test_history_keeps_a_ring_per_gpu_and_drops_it_on_a_gap() -> None:
    history = UsageHistory(seconds=4, interval=1)
    busy = (GpuUsage(1, 100.0, 10, 100), GpuUsage(0, 0.0, 10, 100))
    for _ in range(6):
        history.add(Usage(10.0, 20.0, 100, gpus=busy))
    assert list(history.gpus) == [0, 1]  # drawn in index order
    assert history.gpu_sparklines(4) == {0: "▁▁▁▁", 1: "████"}
    history.add(Usage(10.0, 20.0, 100, gpus=(GpuUsage(0, None, None, None),)))
    assert history.gpus == {}  # no figure this second: no line joined across the gap
    history.add(Usage(10.0, 20.0, 100, gpus=(GpuUsage(0, math_nan(), 1, 2),)))
    assert history.gpu_sparklines(3) == {0: "  ▁"}


def math_nan() -> float:
    return float("nan")
