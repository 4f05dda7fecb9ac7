"""The controller's own logic: the probe is made
once and reused (GPUs probed only when asked), limits come from the machine given, the
wallet defaults are DMS's, and the refusals name the action."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app.hardware import MachineInfo
from app.onboarding import identity
from app.onboarding.controller import OnboardingController
from app.onboarding.errors import NotOnboarded
from tests.conftest import HANG_S
from tests.fakes import fake_machine
from tests.hardware.boundaries import make_fake_pynvml


def test_the_probe_runs_once_until_refreshed(state_dir: Path) -> None:
    calls: list[MachineInfo] = []

    def probe() -> MachineInfo:
        calls.append(fake_machine())
        return calls[-1]

    ctl = OnboardingController(state_dir, probe=probe)
    first = ctl.machine()
    assert ctl.machine() is first and ctl.machine(gpus=False) is first and len(calls) == 1
    assert ctl.machine(refresh=True) is calls[1] and len(calls) == 2


def test_gpus_are_probed_only_when_asked(
    state_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real probe, with no GPU tool on PATH and an NVML that is not installed."""
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setitem(
        sys.modules, "pynvml", make_fake_pynvml(init_error="NVMLError_LibraryNotFound")
    )
    ctl = OnboardingController(state_dir, gpu_timeout_s=HANG_S)
    fast = ctl.machine(gpus=False)
    assert fast.gpus.probed is False and ctl.machine(gpus=False) is fast
    full = ctl.machine()
    assert full is not fast and full.gpus.probed is True
    assert "nvidia-smi not found" in full.gpus.problems
    assert ctl.machine() is full


def test_limits_come_from_the_machine_given(controller: OnboardingController) -> None:
    limits = controller.limits(fake_machine(cores=4, mhz=3000.0, gpus=2))
    assert (limits.cpu_total, limits.cores_total, limits.mhz_per_core) == (12000, 4, 3000.0)
    assert limits.gpu_indices == (0, 1) and limits.disk_free == 200
    assert controller.limits().cores_total == 8  # the controller's own machine


def test_new_wallets_default_to_mainnet_and_24_words(controller: OnboardingController) -> None:
    wallet = controller.new_wallet("cardano")
    assert wallet.network == "mainnet" and len(wallet.mnemonic.split()) == 24
    assert len(controller.new_wallet("ethereum", words=12).mnemonic.split()) == 12
    dms = controller.create_payment_address("ethereum", words=15)
    assert len(dms.mnemonic.split()) == 15 and dms.private_key.startswith("0x")


def test_reading_metadata_before_onboarding_names_the_action(
    controller: OnboardingController,
) -> None:
    with pytest.raises(NotOnboarded, match="reading the metadata"):
        controller.get_metadata()


def test_a_node_identity_alone_is_not_onboarded(controller: OnboardingController) -> None:
    controller.state_dir.mkdir(parents=True)
    identity.create_identity(controller.state_dir)
    assert controller.is_onboarded() is False
