"""Every way in to a write (onboard, resource-config, apply, the app's review) prepares the
offer the same way: the same problems, the same warnings, one read of the state."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.onboarding.controller import OnboardingController
from app.onboarding.errors import NotOnboarded
from app.onboarding.models import CapacityForNunet
from app.onboarding.offer_file import load_target
from app.onboarding.offer_ops import prepare
from app.onboarding.refusals import AlreadyOnboarded
from tests.conftest import ETH_ADDRESS
from tests.fakes import fake_machine

TWO_CORES = fake_machine(cores=2, mhz=2600.0, gpus=0)
FILE = f"""
cpu = "30%"
memory = "50%"
channel = "nunet-team"
address = "{ETH_ADDRESS}"
"""


def controller(state_dir: Path, load: float = 2.0) -> OnboardingController:
    """Two cores at 2600 MHz, both busy (a load average of 2)."""
    return OnboardingController(state_dir, probe=lambda: TWO_CORES, load_average=lambda: load)


def as_file_offer(ctl: OnboardingController) -> CapacityForNunet:
    """The offer FILE resolves to on this machine, as onboard's flags would give it."""
    plan = ctl.apply(load_target(FILE), check=True)
    return CapacityForNunet(**{**plan.after, "gpus": tuple(plan.after["gpus"])})


def count_reads(ctl: OnboardingController, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that grows by one at each read of state.json from now on."""
    reads: list[int] = []
    real_read = ctl.store.read

    def counted() -> dict[str, object]:
        reads.append(1)
        return real_read()

    monkeypatch.setattr(ctl.store, "read", counted)
    return reads


def test_apply_warns_of_what_onboard_warns_of(state_dir: Path) -> None:
    """30 % of two cores is below one core and the CPU is busy: onboard warns of both, so
    apply (and the Ansible module reading its JSON) must too."""
    ctl = controller(state_dir)
    offer = as_file_offer(ctl)
    onboard_said = [w.message for w in ctl.prepare(offer, "onboard").warnings]
    assert any("less than one core" in m for m in onboard_said)
    assert any("are idle now" in m for m in onboard_said)
    plan = ctl.apply(load_target(FILE), check=True)
    assert plan.action == "onboard"
    assert len(plan.warnings) == len(onboard_said)
    for message, said in zip(onboard_said, plan.warnings, strict=True):
        assert said == message.replace("cpu 1560 MHz", "cpu 30% = 1560 MHz")


def test_apply_of_a_change_warns_as_resource_config_does(state_dir: Path) -> None:
    quiet = controller(state_dir, load=0.0)
    quiet.apply(load_target(FILE.replace("30%", "80%")))
    busy = controller(state_dir)
    changed = busy.prepare_change({"cpu": 1560})
    plan = busy.apply(load_target(FILE), check=True)
    assert plan.action == "resource-config"
    cpu_said = [w.message for w in changed.warnings if w.field == "cpu"]
    assert len(cpu_said) == 2
    assert [w for w in plan.warnings if w.startswith("cpu")] == [
        m.replace("cpu 1560 MHz", "cpu 30% = 1560 MHz") for m in cpu_said
    ]
    assert len(plan.warnings) == len(changed.warnings)


def test_a_write_that_is_applied_reports_the_warnings_it_planned(state_dir: Path) -> None:
    ctl = controller(state_dir)
    planned = ctl.apply(load_target(FILE), check=True)
    done = ctl.apply(load_target(FILE))
    assert done.warnings == planned.warnings != ()
    assert ctl.is_onboarded()


def test_prepare_reads_the_state_once_and_gives_its_revision(
    state_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctl = controller(state_dir, load=0.0)
    ctl.apply(load_target(FILE))
    offer = ctl.current_offer()
    assert offer is not None
    reads = count_reads(ctl, monkeypatch)
    prepared = ctl.prepare(offer.model_copy(update={"ntx_price": 0.5}), "resource-config")
    assert len(reads) == 1
    assert prepared.revision == 1 and prepared.problems == ()


def test_onboard_prepared_once_reads_the_state_only_under_the_lock_again(
    state_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Onboard's three checks of "already onboarded" were three reads before the lock;
    prepared once, the commit reads only under the lock."""
    ctl = controller(state_dir, load=0.0)
    offer = as_file_offer(ctl)
    prepared = ctl.prepare(offer, "onboard")
    reads = count_reads(ctl, monkeypatch)
    ctl.onboard(offer, prepared=prepared)
    assert len(reads) <= 2


def test_prepare_refuses_a_machine_in_the_wrong_state(state_dir: Path) -> None:
    ctl = controller(state_dir, load=0.0)
    offer = as_file_offer(ctl)
    with pytest.raises(NotOnboarded):
        ctl.prepare(offer, "resource-config")
    ctl.onboard(offer)
    with pytest.raises(AlreadyOnboarded):
        ctl.prepare(offer, "onboard")
    # The app's live form checks the offer alone, whatever the state.
    assert prepare(ctl, offer).problems == ()
