"""Status in each state the machine can be in, field by field (DMS's OnboardingStatus
plus the problems found and their fixes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.onboarding import identity
from app.onboarding.controller import OnboardingController
from app.onboarding.errors import NotOnboarded
from app.onboarding.models import CapacityForNunet
from app.onboarding.refusals import StateChanged
from app.onboarding.status import StatusProblem, machine_uuid
from tests.conftest import ETH_ADDRESS
from tests.fakes import fake_machine

FORCE = "run 'nunet-onboard offboard --force' to start clean"


def offer(**kw: object) -> CapacityForNunet:
    fields: dict[str, object] = dict(
        cpu=10000, memory=8000, channel="nunet-team", payment_addr=ETH_ADDRESS, ntx_price=0.5
    )
    fields.update(kw)
    return CapacityForNunet(**fields)  # type: ignore[arg-type]


def test_a_fresh_machine(controller: OnboardingController) -> None:
    status = controller.status()
    assert (status.onboarded, status.error, status.is_available, status.problems) == (
        False,
        None,
        False,
        (),
    )
    # DMS's metadata file is metadataV2.json (derived); the state file is what counts.
    assert status.metadata_path == str(controller.state_dir / "metadataV2.json")
    assert status.database_path == str(controller.state_path)
    assert status.notes == ()
    assert status.machine_uuid == machine_uuid()
    assert (status.channel, status.node_id, status.payment_addr, status.reserved_cpu) == (
        None,
        None,
        None,
        None,
    )


def test_an_onboarded_machine(controller: OnboardingController) -> None:
    metadata = controller.onboard(offer())
    status = controller.status()
    assert status.onboarded is True and status.error is None and status.problems == ()
    assert status.is_available is True and status.channel == "nunet-team"
    assert status.payment_addr == ETH_ADDRESS and status.node_id == metadata.node_id
    assert (status.reserved_cpu, status.reserved_memory) == (10000, 8000)
    data = status.to_dict()
    assert data["onboarded"] is True and data["problems"] == []
    assert data["database_path"] == str(controller.state_path)


def test_an_unavailable_node_says_so(controller: OnboardingController) -> None:
    controller.onboard(offer(is_available=False))
    assert controller.status().is_available is False


def test_a_corrupt_state_file(controller: OnboardingController) -> None:
    controller.state_dir.mkdir(parents=True)
    controller.state_path.write_text("{not json")
    status = controller.status()
    assert status.onboarded is False and status.is_available is False
    (problem,) = status.problems
    assert problem.kind == "corrupt" and problem.fix == FORCE
    assert problem.message.startswith(f"the state file {controller.state_path} cannot be read")
    assert status.error is not None and status.error.startswith(problem.message)
    assert status.error.endswith(FORCE)
    assert status.to_dict()["problems"] == [
        {"kind": "corrupt", "message": problem.message, "fix": FORCE}
    ]


def test_an_unreadable_state_file(controller: OnboardingController) -> None:
    controller.state_path.mkdir(parents=True)  # a directory where the file should be
    status = controller.status()
    assert status.onboarded is False
    path = controller.state_path
    message = (
        f"the state file {path} is a directory; move it away "
        "(or run 'nunet-onboard offboard --force', which leaves it and removes the rest)"
    )
    assert status.problems == (
        StatusProblem("unreadable", message, f"move the directory {path} away"),
    )
    assert status.error == message


def test_metadata_without_the_node_identity(controller: OnboardingController) -> None:
    controller.onboard(offer())
    controller.key_path.unlink()
    status = controller.status()
    assert status.onboarded is False and status.is_available is False
    (problem,) = status.problems
    assert problem == StatusProblem(
        "inconsistent",
        f"the metadata is present but the node identity {controller.key_path} is missing",
        "run 'nunet-onboard offboard --force', then onboard again",
    )
    assert status.error == problem.message
    assert status.channel == "nunet-team"  # what is known is still shown


def test_a_node_identity_without_metadata_is_a_leftover_not_a_problem(
    controller: OnboardingController,
) -> None:
    controller.state_dir.mkdir(parents=True)
    identity.create_identity(controller.state_dir)
    status = controller.status()
    assert (status.onboarded, status.problems) == (False, ())
    assert status.notes == (
        f"a node identity {controller.key_path} is left from an interrupted onboard or "
        "offboard (the state file names none, so this machine is not onboarded); the next "
        "onboard replaces it, and offboard or apply removes it",
    )


def test_a_directory_in_the_place_of_the_key_is_a_problem_force_mends(
    controller: OnboardingController,
) -> None:
    controller.key_path.mkdir(parents=True)
    (problem,) = controller.status().problems
    assert (problem.kind, problem.message, problem.fix) == (
        "inconsistent",
        f"{controller.key_path} is a directory, where no node identity should be (the state "
        "names none)",
        "run 'nunet-onboard offboard --force', then onboard again",
    )
    assert controller.offboard(force=True).failed == ()
    assert controller.status().problems == ()


def test_drift_names_the_rule_and_the_way_out(state_dir: Path) -> None:
    OnboardingController(state_dir, probe=lambda: fake_machine()).onboard(offer())
    smaller = OnboardingController(state_dir, probe=lambda: fake_machine(cores=4))
    status = smaller.status()
    assert status.onboarded is True
    assert [p.kind for p in status.problems] == ["drift"]
    problem = status.problems[0]
    assert problem.message.startswith("the offer no longer fits this machine: cpu 10000 MHz")
    assert "resource-config" in problem.fix
    assert status.error == problem.message


def test_resource_config_refuses_a_stale_form_and_logs_the_change(
    controller: OnboardingController,
) -> None:
    controller.onboard(offer())
    seen = controller.revision()
    controller.resource_config(offer(cpu=12000), base_revision=seen)
    with pytest.raises(StateChanged):
        controller.resource_config(offer(cpu=11000), base_revision=seen)
    last = controller.history()[-1]
    assert last["action"] == "resource-config" and last["detail"] == "cpu 10000 → 12000 MHz"
    assert controller.store.read()["offer"]["cpu"] == 12000


def test_resource_config_on_metadata_without_identity_is_refused(
    controller: OnboardingController,
) -> None:
    controller.onboard(offer())
    controller.key_path.unlink()
    with pytest.raises(NotOnboarded, match="changing the resource configuration"):
        controller.resource_config(offer(cpu=12000))
