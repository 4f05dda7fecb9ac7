"""Live GPU use through NVML, with a fake `pynvml` at the boundary (no GPU needed)."""

from __future__ import annotations

import math
import sys
import threading
import time
import types
from collections.abc import Callable
from pathlib import Path

import pytest

from app.hardware import GpuUsage, sample_usage
from app.hardware.gpus.sampler import GpuSampler
from app.onboarding.controller import OnboardingController
from tests.conftest import HANG_S
from tests.fakes import fake_machine
from tests.hardware.boundaries import make_fake_pynvml

GiB = 1024**3
MakeNvml = Callable[..., types.ModuleType]


def card(util: object = 30, used_gib: int = 3, total_gib: int = 24) -> dict[str, object]:
    return {
        "name": "NVIDIA GeForce RTX 3090",
        "uuid": "GPU-1",
        "total": total_gib * GiB,
        "free": (total_gib - used_gib) * GiB,
        "util": util,
        "temp": 40,
    }


def wait_for(
    sampler: GpuSampler, done: Callable[[tuple[tuple[GpuUsage, ...], str | None]], bool]
) -> tuple[tuple[GpuUsage, ...], str | None]:
    """Ask as the Overview does until `done`. An ask never waits for NVML: where the
    "driver" is wedged (see test_nvml_that_stops_answering_is_reported_and_not_doubled)
    an ask that waited would hang, far past the bound below."""
    deadline = time.monotonic() + HANG_S
    while True:
        t0 = time.perf_counter()
        answer = sampler.latest()
        assert time.perf_counter() - t0 < HANG_S, "latest() waited for NVML"
        if done(answer) or time.monotonic() > deadline:
            return answer
        time.sleep(0.01)


def readers() -> int:
    return sum(t.name == "nvml-usage" and t.is_alive() for t in threading.enumerate())


def test_each_gpu_is_read_in_the_background() -> None:
    cards = [card(util=30, used_gib=3), card(util=75, used_gib=20, total_gib=80)]
    nvml = make_fake_pynvml(devices=cards)
    sampler = GpuSampler(0.02, nvml=nvml)
    try:
        assert sampler.latest() == ((), None)  # the first ask only starts the reader
        gpus, note = wait_for(sampler, lambda a: bool(a[0]))
        assert note is None
        assert gpus == (
            GpuUsage(index=0, utilisation_pct=30.0, memory_used_mb=3072, memory_total_mb=24576),
            GpuUsage(index=1, utilisation_pct=75.0, memory_used_mb=20480, memory_total_mb=81920),
        )
        cards[0]["util"] = 90  # the card gets busy: a later reading says so
        gpus, _ = wait_for(sampler, lambda a: bool(a[0]) and a[0][0].utilisation_pct == 90.0)
        assert gpus[0].utilisation_pct == 90.0
        assert nvml.state["init"] == 1  # one NVML session, not one a reading
    finally:
        sampler.close()


def test_unsupported_and_impossible_readings_are_none() -> None:
    cards = [card(util=None), card(util=math.nan), {**card(), "used": 99 * GiB}]
    sampler = GpuSampler(0.02, nvml=make_fake_pynvml(devices=cards))
    try:
        gpus, note = wait_for(sampler, lambda a: bool(a[0]))
        assert note is None
        assert [g.utilisation_pct for g in gpus] == [None, None, 30.0]
        assert [g.memory_used_mb for g in gpus] == [3072, 3072, None]  # used > total
    finally:
        sampler.close()


@pytest.mark.parametrize(
    ("nvml", "reason"),
    [
        (make_fake_pynvml(init_error="NVMLError_LibraryNotFound"), "NVML library not found"),
        (make_fake_pynvml(init_error="NVMLError_DriverNotLoaded"), "NVIDIA driver not loaded"),
        (make_fake_pynvml(devices=[]), "NVML found no NVIDIA GPU"),
    ],
)
def test_no_nvml_is_said_once_and_never_retried(nvml: types.ModuleType, reason: str) -> None:
    sampler = GpuSampler(0.01, nvml=nvml)
    answer = wait_for(sampler, lambda a: a[1] is not None)
    assert answer == ((), reason)
    for _ in range(20):
        assert sampler.latest() == ((), reason)
        time.sleep(0.005)
    assert nvml.state["init"] == 1  # given up on, not tried again every second


def test_nvml_not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pynvml", None)  # `import pynvml` raises ImportError
    sampler = GpuSampler(0.01)
    answer = wait_for(sampler, lambda a: a[1] is not None)
    assert answer == ((), "NVML unavailable: nvidia-ml-py is not installed")


def test_a_broken_binding_is_a_reason_not_a_traceback(capfd: pytest.CaptureFixture[str]) -> None:
    nvml = make_fake_pynvml(devices=[card()])
    nvml.nvmlDeviceGetCount = lambda: "two"  # type: ignore[attr-defined]
    sampler = GpuSampler(0.01, nvml=nvml)
    gpus, note = wait_for(sampler, lambda a: a[1] is not None)
    assert gpus == () and note is not None and note.startswith("NVML failed: ValueError")
    assert nvml.state["shutdown"] == 1
    assert capfd.readouterr().err == ""


def test_nvml_that_stops_answering_is_reported_and_not_doubled() -> None:
    release = threading.Event()
    nvml = make_fake_pynvml(devices=[card()])
    calls = {"n": 0}
    real = nvml.nvmlDeviceGetUtilizationRates  # type: ignore[attr-defined]

    def wedged(handle: int) -> object:
        calls["n"] += 1
        if calls["n"] > 1:  # the first reading lands, the second blocks in the "driver"
            release.wait(HANG_S * 2)  # until the test lets it go
        return real(handle)

    nvml.nvmlDeviceGetUtilizationRates = wedged  # type: ignore[attr-defined]
    before = readers()
    sampler = GpuSampler(0.02, nvml=nvml, stale_s=0.3)
    try:
        assert wait_for(sampler, lambda a: bool(a[0]))[1] is None
        answer = wait_for(sampler, lambda a: a[1] is not None)
        assert answer == ((), "NVML has not answered for 0.3 s")
        assert readers() == before + 1  # still the one stuck reader, no second beside it
        release.set()  # the driver comes back: so do the figures
        assert wait_for(sampler, lambda a: bool(a[0]))[1] is None
    finally:
        release.set()
        sampler.close()


def test_the_reader_stops_when_nobody_asks_and_starts_again() -> None:
    nvml = make_fake_pynvml(devices=[card()])
    sampler = GpuSampler(0.02, nvml=nvml, idle_stop_s=0.1)
    wait_for(sampler, lambda a: bool(a[0]))
    deadline = time.monotonic() + HANG_S
    while nvml.state["shutdown"] == 0 and time.monotonic() < deadline:
        time.sleep(0.02)  # nobody asks: the reader shuts NVML down and ends
    assert nvml.state == {"init": 1, "shutdown": 1}
    assert sampler.latest() == ((), None)  # a stale reading is not shown after a restart
    assert wait_for(sampler, lambda a: bool(a[0]))[0][0].utilisation_pct == 30.0
    assert nvml.state["init"] == 2
    sampler.close()


def test_sample_usage_carries_the_gpus() -> None:
    sampler = GpuSampler(0.02, nvml=make_fake_pynvml(devices=[card(util=55)]))
    try:
        wait_for(sampler, lambda a: bool(a[0]))
        usage = sample_usage(sampler)
        assert [g.utilisation_pct for g in usage.gpus] == [55.0] and usage.gpu_note is None
        plain = sample_usage()
        assert plain.gpus == () and plain.gpu_note is None
    finally:
        sampler.close()


def test_the_controller_samples_gpus_through_nvml(tmp_path: Path, fake_nvml: MakeNvml) -> None:
    fake_nvml(devices=[card(util=12)])
    controller = OnboardingController(tmp_path / "state", probe=fake_machine)
    deadline = time.monotonic() + HANG_S
    usage = controller.usage()
    while not usage.gpus and time.monotonic() < deadline:
        time.sleep(0.01)
        usage = controller.usage()
    assert [(g.index, g.utilisation_pct) for g in usage.gpus] == [(0, 12.0)]
