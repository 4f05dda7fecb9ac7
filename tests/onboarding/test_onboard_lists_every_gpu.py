"""An offer without GPUs still lists every GPU of the machine in the metadata's gpu_info.

DMS and the app record all the machine's cards whether offered or not, so onboarding
probes the GPUs even when the offer names none. The real probe runs, with NVML (the
machine's boundary) faked with two cards and no GPU tool on PATH.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app.onboarding.controller import OnboardingController
from app.onboarding.models import CapacityForNunet
from tests.conftest import ETH_ADDRESS
from tests.hardware.boundaries import make_fake_pynvml

CARDS = [
    {"name": f"NVIDIA RTX {n}", "uuid": f"GPU-{n}", "total": 2**34, "free": 2**33, "util": 0}
    for n in (1, 2)
]


def test_a_cpu_only_offer_records_every_gpu_of_the_machine(
    state_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_tools = tmp_path / "bin"
    no_tools.mkdir()
    monkeypatch.setenv("PATH", str(no_tools))
    nvml = make_fake_pynvml(devices=[{**card, "temp": 30} for card in CARDS])
    monkeypatch.setitem(sys.modules, "pynvml", nvml)
    # Half of whatever this machine has: the offer only has to be allowed here.
    limits = OnboardingController(state_dir, gpu_timeout_s=5.0).limits()
    offer = CapacityForNunet(
        cpu=limits.cpu_total // 2,
        memory=limits.memory_total // 2,
        channel="nunet-team",
        payment_addr=ETH_ADDRESS,
    )

    metadata = OnboardingController(state_dir, gpu_timeout_s=5.0).onboard(offer)

    assert not offer.gpus
    assert [(g.name, g.uuid) for g in metadata.gpu_info] == [
        ("NVIDIA RTX 1", "GPU-1"),
        ("NVIDIA RTX 2", "GPU-2"),
    ]
