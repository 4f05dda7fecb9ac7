"""Changing the offer at its edges: pydantic's refusals in
a person's words, a change on a half-onboarded node, GPUs that cannot be read while the
offer keeps them (the stored GPU records stay, the log says why), and the log lines of
each change. The real store; the fake machine's GPU tool fails where a test says so."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from app.hardware.model import GpuReport
from app.onboarding.controller import OnboardingController
from app.onboarding.errors import NotOnboarded, Problem, StateError
from app.onboarding.models import CapacityForNunet
from app.onboarding.records import describe
from app.onboarding.refusals import RuleViolation
from tests.conftest import ETH_ADDRESS
from tests.fakes import fake_machine
from tests.onboarding.log_lines import logged

OFFER = CapacityForNunet(cpu=5000, memory=8000, channel="nunet-team", payment_addr=ETH_ADDRESS)
NOT_ONBOARDED = (
    "this machine is not onboarded, so changing the resource configuration is not possible; "
    "onboard first"
)


WHOLE_MHZ = "a whole number of MHz, 0 or more"


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"cpu": -1}, ("cpu", "cpu: the value -1 is not allowed; allowed: " + WHOLE_MHZ)),
        (
            {"gpus": [0, -1]},
            (
                "gpus",
                "gpus.1: the value -1 is not allowed; allowed: a list of GPU indices (0, 1, ...)",
            ),
        ),
        (
            {"bogus": 1},
            ("bogus", "bogus: the value 1 is not allowed; it is not a field of the offer"),
        ),
        (
            {"cpu": "x" * 100},
            ("cpu", f"cpu: the value '{'x' * 39} is not allowed; allowed: {WHOLE_MHZ}"),
        ),
    ],
    ids=["negative", "nested", "unknown", "long"],
)
def test_a_change_the_model_refuses_names_the_field_and_value(
    controller: OnboardingController, changes: dict[str, object], problem: tuple[str, str]
) -> None:
    controller.onboard(OFFER)
    revision = controller.revision()
    with pytest.raises(RuleViolation) as refused:
        controller.change_offer(changes)
    ((field, message),) = [(p.field, p.message) for p in refused.value.problems]
    assert (field, message) == problem
    assert message == f"{message.split(':')[0]}: {refused.value.problems[0].detail}"
    assert controller.revision() == revision


def test_changing_the_offer_of_a_node_never_onboarded(controller: OnboardingController) -> None:
    with pytest.raises(NotOnboarded) as refused:
        controller.change_offer({"cpu": 6000})
    assert str(refused.value) == NOT_ONBOARDED


def test_a_change_on_metadata_without_its_key_is_not_onboarded(
    controller: OnboardingController,
) -> None:
    controller.onboard(OFFER)
    controller.key_path.unlink()
    revision = controller.revision()
    with pytest.raises(NotOnboarded) as refused:
        controller.change_offer({"cpu": 6000})
    assert str(refused.value) == NOT_ONBOARDED
    with pytest.raises(NotOnboarded) as also:
        controller.resource_config(OFFER.model_copy(update={"cpu": 1}))  # also breaks a rule
    assert str(also.value) == NOT_ONBOARDED
    assert controller.revision() == revision


def test_the_log_names_each_field_changed(
    controller: OnboardingController,
) -> None:
    controller.onboard(OFFER)
    with logged() as lines:
        controller.change_offer({"cpu": 6000, "memory": 9000})
    assert lines == ["resource-config: cpu 6000, memory 9000"]
    changed = OFFER.model_copy(update={"cpu": 7000})
    with logged() as lines:
        controller.resource_config(changed)
    assert lines == [f"resource-config: {describe(changed)}"]


def test_gpus_that_cannot_be_read_are_kept_as_they_were(
    state_dir: Path,
) -> None:
    with_gpu = OFFER.model_copy(update={"gpus": (0,)})
    before = OnboardingController(state_dir, probe=lambda: fake_machine()).onboard(with_gpu)
    broken = fake_machine(gpus=0)._replace(
        gpus=GpuReport(faults=("nvidia-smi timed out", "NVML failed"))
    )
    ctl = OnboardingController(state_dir, probe=lambda: broken)
    with logged(logging.WARNING) as warned:
        after = ctl.resource_config(with_gpu.model_copy(update={"cpu": 6000}))
    assert after.gpu_info == before.gpu_info and len(after.gpu_info) == 1
    assert warned == [
        "GPUs could not be read (nvidia-smi timed out; NVML failed); the offered GPUs are kept"
    ]
    again = ctl.change_offer({"cpu": 6500})
    assert again.gpu_info == before.gpu_info
    # A change of the GPUs themselves needs them readable, and says why it cannot check.
    with pytest.raises(
        RuleViolation, match=r"gpu 0 cannot be checked: the GPUs could not be read \(nvidia-smi"
    ):
        ctl.resource_config(with_gpu.model_copy(update={"gpus": (0, 1)}))


def test_onboarding_beside_a_key_the_state_does_not_name_replaces_it(
    controller: OnboardingController,
) -> None:
    """A key without metadata is what an onboard killed before its commit leaves: the
    state says the machine is not onboarded, so the next onboard replaces the key."""
    from app.onboarding import identity

    controller.store.ensure_dir()
    leftover = identity.create_identity(controller.state_dir)
    metadata = controller.onboard(OFFER)
    assert metadata.node_id != leftover
    assert identity.load_peer_id(controller.state_dir) == metadata.node_id
    assert controller.status().problems == ()


def test_validate_names_cores_price_and_an_empty_address(
    controller: OnboardingController,
) -> None:
    bad = CapacityForNunet.model_construct(
        **{**OFFER.model_dump(), "cores": 9, "ntx_price": -1.0, "payment_addr": "  "}
    )
    problems = controller.validate(bad)
    assert [p.field for p in problems] == ["cores", "ntx_price", "payment_addr"]
    detail = "is empty; give an Ethereum (0x...) or Cardano (addr1...) address"
    assert problems[-1] == Problem("payment_addr", f"payment address {detail}", detail)


def test_onboarding_logs_the_node_and_the_offer_and_keeps_the_offer_in_the_history(
    controller: OnboardingController,
) -> None:
    with logged() as lines:
        metadata = controller.onboard(OFFER)
    assert f"onboarded: node {metadata.node_id}, {describe(OFFER)}" in lines
    (entry,) = controller.store.read()["history"]
    assert (entry["action"], entry["detail"]) == ("onboard", describe(OFFER))


def test_onboarding_where_the_state_names_a_key_that_is_gone_says_to_force(
    controller: OnboardingController,
) -> None:
    controller.onboard(OFFER)
    controller.key_path.unlink()
    revision = controller.revision()
    with pytest.raises(StateError) as refused:
        controller.onboard(OFFER)
    assert str(refused.value) == (
        "the onboarding state is inconsistent (see 'nunet-onboard status'); run "
        "'nunet-onboard offboard --force' first"
    )
    assert refused.value.fix == "run 'nunet-onboard offboard --force', then onboard again"
    assert controller.revision() == revision


def test_a_directory_where_the_key_goes_refuses_onboarding_and_writes_nothing(
    controller: OnboardingController,
) -> None:
    controller.store.ensure_dir()
    controller.key_path.mkdir()
    with pytest.raises(StateError) as refused:
        controller.onboard(OFFER)
    assert str(refused.value) == (
        f"cannot create the node identity: Is a directory ({controller.key_path}); nothing "
        "was written"
    )
    assert controller.key_path.is_dir() and not controller.is_onboarded()
    assert controller.revision() == 0


def test_metadata_without_an_offer_cannot_be_changed(controller: OnboardingController) -> None:
    controller.onboard(OFFER)
    data = json.loads(controller.state_path.read_text())
    data["offer"] = None
    controller.state_path.write_text(json.dumps(data))
    with pytest.raises(NotOnboarded) as refused:
        controller.change_offer({"cpu": 6000})
    assert str(refused.value) == NOT_ONBOARDED


def test_a_change_without_gpus_keeps_the_recorded_gpus_when_they_cannot_be_read(
    state_dir: Path,
) -> None:
    before = OnboardingController(state_dir, probe=lambda: fake_machine()).onboard(OFFER)
    assert len(before.gpu_info) == 1  # every write records the machine's GPUs
    broken = fake_machine(gpus=0)._replace(gpus=GpuReport(faults=("nvidia-smi timed out",)))
    ctl = OnboardingController(state_dir, probe=lambda: broken)
    with logged(logging.WARNING) as warned:
        after = ctl.change_offer({"cpu": 6000})
    assert after.gpu_info == before.gpu_info
    assert warned == ["GPUs could not be read (nvidia-smi timed out); the recorded GPUs are kept"]
