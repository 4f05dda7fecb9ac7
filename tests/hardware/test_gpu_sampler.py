"""Live GPU use through NVML: readings, missing values and a library that fails (fake `pynvml` only)."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from app.hardware.gpus.sampler import GpuSampler
from app.hardware.live import GpuUsage
from tests.conftest import HANG_S
from tests.hardware.boundaries import make_fake_pynvml, write

GiB = 1024**3
MiB = 1024**2


def card(**change: object) -> dict[str, object]:
    values: dict[str, object] = {
        "name": "NVIDIA L4",
        "uuid": "GPU-1",
        "total": 24 * GiB,
        "free": 21 * GiB,
        "util": 30,
        "temp": 40,
    }
    values.update(change)
    return values


def wait_for(
    sampler: GpuSampler, done: Callable[[tuple[tuple[GpuUsage, ...], str | None]], bool]
) -> tuple[tuple[GpuUsage, ...], str | None]:
    deadline = time.monotonic() + HANG_S
    answer = sampler.latest()
    while not done(answer) and time.monotonic() < deadline:
        time.sleep(0.01)
        answer = sampler.latest()
    return answer


def test_the_timing_defaults_follow_the_interval() -> None:
    fast = GpuSampler(0.001)
    assert (fast.interval, fast.idle_stop_s, fast.stale_s) == (0.05, 5.0, 3.0)
    slow = GpuSampler(2.0)
    assert (slow.interval, slow.idle_stop_s, slow.stale_s) == (2.0, 10.0, 6.0)
    given = GpuSampler(2.0, idle_stop_s=0.5, stale_s=0.25)
    assert (given.idle_stop_s, given.stale_s) == (0.5, 0.25)


def test_percentages_outside_0_to_100_are_not_drawn() -> None:
    cards = [card(util=0), card(util=100), card(util=100.5), card(util=-1)]
    sampler = GpuSampler(0.02, nvml=make_fake_pynvml(devices=cards))
    try:
        gpus, note = wait_for(sampler, lambda a: bool(a[0]))
    finally:
        sampler.close()
    assert note is None
    assert [g.utilisation_pct for g in gpus] == [0.0, 100.0, None, None]
    assert [g.index for g in gpus] == [0, 1, 2, 3]


def test_memory_in_whole_mb_and_a_card_that_is_full() -> None:
    cards = [card(total=8 * GiB + MiB - 1, free=0, used=8 * GiB + MiB - 1)]
    sampler = GpuSampler(0.02, nvml=make_fake_pynvml(devices=cards))
    try:
        gpus, _ = wait_for(sampler, lambda a: bool(a[0]))
    finally:
        sampler.close()
    assert gpus == (
        GpuUsage(index=0, utilisation_pct=30.0, memory_used_mb=8192, memory_total_mb=8192),
    )


def test_memory_a_card_cannot_report_is_none() -> None:
    sampler = GpuSampler(0.02, nvml=make_fake_pynvml(devices=[card(total=None)]))
    try:
        gpus, note = wait_for(sampler, lambda a: bool(a[0]))
    finally:
        sampler.close()
    assert note is None
    assert gpus == (
        GpuUsage(index=0, utilisation_pct=30.0, memory_used_mb=None, memory_total_mb=None),
    )


@pytest.mark.parametrize(
    ("count", "note"),
    [(65, "NVML: 65 GPUs"), (-1, "NVML: -1 GPUs")],
)
def test_an_impossible_card_count_is_given_up_on(count: int, note: str) -> None:
    nvml = make_fake_pynvml(devices=[card()])
    nvml.nvmlDeviceGetCount = lambda: count  # type: ignore[attr-defined]
    sampler = GpuSampler(0.01, nvml=nvml)
    assert wait_for(sampler, lambda a: a[1] is not None) == ((), note)
    assert nvml.state["shutdown"] == 1  # type: ignore[attr-defined]


def test_sixty_four_cards_are_sampled() -> None:
    sampler = GpuSampler(0.02, nvml=make_fake_pynvml(devices=[card() for _ in range(64)]))
    try:
        gpus, note = wait_for(sampler, lambda a: bool(a[0]))
    finally:
        sampler.close()
    assert (len(gpus), note) == (64, None)


def test_an_nvml_error_while_reading_is_said_in_words(caplog: pytest.LogCaptureFixture) -> None:
    nvml = make_fake_pynvml(devices=[card()])

    def denied(index: int) -> object:
        raise nvml.NVMLError_NoPermission()  # type: ignore[attr-defined]

    nvml.nvmlDeviceGetHandleByIndex = denied  # type: ignore[attr-defined]
    with caplog.at_level(logging.INFO, logger="app.hardware.gpus.sampler"):
        answer = wait_for(GpuSampler(0.01, nvml=nvml), lambda a: a[1] is not None)
    assert answer == ((), "NVML: no permission to read the GPUs")
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (logging.INFO, "GPU use is not sampled: NVML: no permission to read the GPUs")
    ]


def test_a_pynvml_that_fails_to_load_is_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "site" / "pynvml.py", "raise OSError('libnvidia-ml.so.1: bad ELF')\n")
    monkeypatch.delitem(sys.modules, "pynvml", raising=False)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    answer = wait_for(GpuSampler(0.01), lambda a: a[1] is not None)
    assert answer == ((), "NVML unavailable: OSError: libnvidia-ml.so.1: bad ELF")


def test_a_card_with_no_memory_used_reads_zero() -> None:
    sampler = GpuSampler(0.02, nvml=make_fake_pynvml(devices=[card(free=24 * GiB, used=0)]))
    try:
        gpus, _ = wait_for(sampler, lambda a: bool(a[0]))
    finally:
        sampler.close()
    assert gpus[0].memory_used_mb == 0
