"""The controller facade at its edges: the names it
re-exports, reads before onboarding, a stale change_offer, what changed since a revision
(the Allocate screen's notice), export refusals that pass each argument on, and warnings
with the load average given to the controller."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.hardware.model import GpuReport, MachineInfo
from app.onboarding import controller as controller_module
from app.onboarding import offboarding, records
from app.onboarding.controller import OnboardingController
from app.onboarding.errors import NotOnboarded
from app.onboarding.models import CapacityForNunet
from app.onboarding.refusals import StateChanged, WalletError
from tests.conftest import ETH_ADDRESS
from tests.fakes import fake_machine

HARDHAT = "test test test test test test test test test test test junk"  # account 0 = ETH_ADDRESS
OFFER = CapacityForNunet(cpu=5000, memory=8000, channel="nunet-team", payment_addr=ETH_ADDRESS)


def test_the_re_exported_names_are_the_modules_own() -> None:
    assert controller_module.OffboardPlan is offboarding.OffboardPlan
    assert controller_module.OffboardResult is offboarding.OffboardResult
    assert controller_module.public_wallet_facts is records.public_wallet_facts
    with pytest.raises(AttributeError) as missing:
        controller_module.OffboardPlans  # noqa: B018
    assert str(missing.value) == (
        "module 'app.onboarding.controller' has no attribute 'OffboardPlans'"
    )


def test_before_onboarding_there_is_no_offer_and_no_resources(
    controller: OnboardingController,
) -> None:
    assert controller.current_offer() is None
    assert controller.available_resources() is None
    with pytest.raises(NotOnboarded) as refused:
        controller.get_metadata()
    assert str(refused.value) == (
        "this machine is not onboarded, so reading the metadata is not possible; onboard first"
    )


def test_a_stale_change_offer_is_refused_and_changes_nothing(
    controller: OnboardingController,
) -> None:
    controller.onboard(OFFER)
    seen = controller.revision()
    controller.change_offer({"cpu": 6000})
    with pytest.raises(StateChanged):
        controller.change_offer({"memory": 9000}, base_revision=seen)
    offer = controller.current_offer()
    assert offer is not None and (offer.cpu, offer.memory) == (6000, 8000)


def test_changes_since_a_revision_in_a_persons_words(controller: OnboardingController) -> None:
    controller.onboard(OFFER)
    seen = controller.revision()
    assert controller.changes_since(seen) == []
    controller.change_offer({"cpu": 6000})
    controller.offboard()
    changes = controller.changes_since(seen)
    assert len(changes) == 2
    config, offboard = controller.history()[-2:]
    assert offboard["detail"] == ""
    assert changes == [
        f"resource-config ({config['detail']}) at {config['time']}",
        f"offboard at {offboard['time']}",
    ]
    assert changes[0].startswith("resource-config (cpu 5000 → 6000 MHz) at ")
    assert changes[1].startswith("offboard at ")
    assert len(controller.changes_since(0)) == 3


def test_an_export_passes_the_password_and_the_default_kdf_on(
    controller: OnboardingController, tmp_path: Path
) -> None:
    """Refused before any key derivation (seconds): a keystore for the address is there."""
    wallet = controller.restore_wallet("ethereum", HARDHAT)
    keys = tmp_path / "keys"
    keys.mkdir(mode=0o700)
    earlier = keys / f"UTC--2026-01-01T00-00-00.000000000Z--{ETH_ADDRESS.lower()[2:]}.json"
    earlier.write_text("{}")
    with pytest.raises(WalletError) as refused:
        controller.export_wallet(wallet, keys, "a password")
    assert str(refused.value).startswith(f"refusing to export again: {keys} already holds")
    with pytest.raises(WalletError) as unknown:
        controller.export_wallet(wallet, keys, "a password", kdf="md5")
    assert str(unknown.value) == "invalid kdf 'md5': choose one of scrypt, pbkdf2"


def test_warnings_use_the_load_average_given(state_dir: Path) -> None:
    busy = OnboardingController(state_dir, probe=lambda: fake_machine(), load_average=lambda: 8.0)
    (cpu,) = [w for w in busy.warnings(OFFER) if w.field == "cpu"]
    assert cpu.message == (
        "cpu 5000 MHz offered, but only 0 MHz of 20800 MHz are idle now (about 20800 MHz "
        "busy by the 1-minute load average): jobs could leave the host short of CPU"
    )
    idle = OnboardingController(state_dir, probe=lambda: fake_machine(), load_average=lambda: 0.0)
    assert [w.field for w in idle.warnings(OFFER)] == ["payment_addr"]  # an Ethereum one


def test_a_history_entry_without_a_revision_is_not_a_change_since(
    controller: OnboardingController,
) -> None:
    """An entry written before revisions were recorded counts as revision 0."""
    import json

    controller.store.update(lambda s: None)
    data = json.loads(controller.state_path.read_text())
    data["history"] = [{"action": "old", "time": "t0"}]
    controller.state_path.write_text(json.dumps(data))
    assert controller.changes_since(0) == []


# -- the machine status checks against ---------------------------------------------------------
def test_without_a_probe_status_reads_the_capacity_of_the_state_dirs_disk(
    tmp_path: Path, fake_host: object
) -> None:
    """No probe given and none run yet: the GPU-less Capacity of this machine, its disk the
    one the state directory is on (not psutil's whole MachineInfo)."""
    from app.hardware.probe import Capacity

    ctl = OnboardingController(tmp_path / "state")
    fit = ctl.fit_machine()
    assert type(fit) is Capacity
    assert [p for p in fit.problems if "disk" in p] == []
    assert (fit.disk.total_gb, fit.disk.free_gb) == (457, 173)  # the fake host's statvfs


def test_a_machine_already_probed_is_the_one_status_checks_against(tmp_path: Path) -> None:
    ctl = OnboardingController(tmp_path / "state")
    probed = ctl.machine(gpus=False)
    assert ctl.fit_machine() is probed


def test_status_never_probes_the_gpus_again(state_dir: Path) -> None:
    """A probe whose GPUs were not probed (as the app's first, fast one) is asked once:
    checking the offer against it does not go back for the GPUs."""
    calls: list[int] = []

    def probe() -> MachineInfo:
        calls.append(1)
        return fake_machine()._replace(gpus=GpuReport(probed=False))

    ctl = OnboardingController(state_dir, probe=probe)
    first = ctl.fit_machine()
    assert ctl.fit_machine() is first
    assert not first.gpus.probed and len(calls) == 1


def test_the_limits_say_why_the_gpus_could_not_be_read_and_nothing_when_they_could(
    controller: OnboardingController,
) -> None:
    assert controller.limits().gpu_fault is None
    broken = fake_machine(gpus=0)._replace(
        gpus=GpuReport(faults=("nvidia-smi timed out", "NVML failed"))
    )
    assert controller.limits(broken).gpu_fault == "nvidia-smi timed out; NVML failed"
