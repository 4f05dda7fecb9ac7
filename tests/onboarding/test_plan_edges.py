"""apply's plan at its edges: how each state is classified
(and what the refusal says about it), the stored offer as the plan compares it, drift on
the no-change path, warnings, stale plans, and the log lines a run leaves. A real JSON
store in a tmp dir and the fake machine (8 x 2600 MHz, 16384 MB, 200 GB free, 1 GPU)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.hardware import GpuReport
from app.onboarding.addresses import ETHEREUM_REFUSED_BY_DMS
from app.onboarding.controller import OnboardingController
from app.onboarding.errors import StateError
from app.onboarding.models import CapacityForNunet
from app.onboarding.offer_file import load_target
from app.onboarding.plan import Current, carry_out, offer_view, plan_apply, read_current
from app.onboarding.refusals import RuleViolation, StateChanged
from tests.conftest import ETH_ADDRESS, HANG_S
from tests.fakes import fake_machine
from tests.onboarding.log_lines import logged

FILE = f"""
cpu = 5000
memory = 8000
channel = "nunet-team"
address = "{ETH_ADDRESS}"
"""
OTHER = CapacityForNunet(cpu=3000, memory=4000, channel="nunet-test", payment_addr=ETH_ADDRESS)


def edit_state(ctl: OnboardingController, change: Any) -> None:
    """Edit state.json by hand, as a person (or an older version) might have left it."""
    data = json.loads(ctl.state_path.read_text())
    change(data)
    ctl.state_path.write_text(json.dumps(data))


# -- classifying the state -------------------------------------------------------------------
def test_a_fresh_node_and_an_offboarded_one_are_absent_at_their_revision(
    controller: OnboardingController,
) -> None:
    assert read_current(controller) == Current("absent", None, 0, None)
    controller.onboard(OTHER)
    controller.offboard()
    assert controller.revision() > 0
    assert read_current(controller) == Current("absent", None, controller.revision(), None)


def test_an_onboarded_node_is_its_offer_at_its_revision(controller: OnboardingController) -> None:
    controller.onboard(OTHER)
    current = read_current(controller)
    assert current == Current(
        "onboarded", offer_view(OTHER.model_dump(mode="json")), controller.revision()
    )
    assert current.offer is not None and current.offer["cpu"] == 3000


def test_metadata_without_its_key_is_inconsistent_and_says_which(
    controller: OnboardingController,
) -> None:
    controller.onboard(OTHER)
    controller.key_path.unlink()
    problem = f"the metadata is present but the node identity {controller.key_path} is missing"
    current = read_current(controller)
    assert current == Current(
        "inconsistent",
        offer_view(OTHER.model_dump(mode="json")),
        controller.revision(),
        problem,
    )
    with pytest.raises(StateError) as refused:
        controller.apply(load_target(FILE))
    assert str(refused.value) == (
        f"the onboarding state is inconsistent ({problem}); nothing was done: set force = true "
        "in the file to clean it up (as 'nunet-onboard offboard --force' does) and apply again"
    )


def test_a_key_with_an_offer_but_no_metadata_is_absent_and_onboard_replaces_the_key(
    controller: OnboardingController,
) -> None:
    """The state says what is true: without metadata the node is not onboarded, and the
    key is what an interrupted write left (no force needed)."""
    controller.onboard(OTHER)
    edit_state(controller, lambda s: s.update(metadata=None))
    assert read_current(controller) == Current("absent", None, controller.revision())
    plan = controller.apply(load_target(FILE))
    assert plan.action == "onboard" and not plan.clean_first
    assert controller.status().problems == ()


def test_an_unreadable_state_file_is_named_in_the_refusal(
    controller: OnboardingController,
) -> None:
    controller.store.ensure_dir()
    controller.state_path.write_text("{not json")
    current = read_current(controller)
    assert (current.condition, current.offer, current.revision) == ("unreadable", None, 0)
    assert current.problem is not None
    assert current.problem.startswith(
        f"the state file {controller.state_path} cannot be read (not valid JSON"
    )


def test_a_state_file_that_is_a_directory_is_unreadable(controller: OnboardingController) -> None:
    controller.store.ensure_dir()
    controller.state_path.mkdir()
    problem = f"the state file {controller.state_path} is a directory; move it away"
    current = read_current(controller)
    assert (current.condition, current.offer, current.revision) == ("unreadable", None, 0)
    assert current.problem is not None and current.problem.startswith(problem)
    with pytest.raises(StateError) as refused:
        controller.apply(load_target(FILE), check=True)
    assert str(refused.value).startswith(f"the onboarding state is unreadable ({problem}")


# -- the stored offer as the plan compares it ------------------------------------------------
def test_a_stored_offer_without_the_optional_fields_takes_the_models_defaults() -> None:
    bare = {"cpu": 5000, "memory": 8000, "channel": "nunet-team", "payment_addr": ETH_ADDRESS}
    view = offer_view(bare)
    assert view == {
        **CapacityForNunet.model_validate(bare).model_dump(mode="json"),
        "gpus": [],
    }
    assert view == {
        "memory": 8000,
        "cpu": 5000,
        "ntx_price": 0.0,
        "channel": "nunet-team",
        "payment_addr": ETH_ADDRESS,
        "cardano": False,
        "server_mode": True,
        "is_available": True,
        "disk": 0,
        "gpus": [],
        "cores": None,
    }
    assert list(view) == list(CapacityForNunet.model_fields)
    assert offer_view({**bare, "gpus": [1, 0]})["gpus"] == [1, 0]
    assert offer_view({**bare, "gpus": None})["gpus"] == []


def test_an_offer_stored_without_server_mode_is_not_a_change(
    controller: OnboardingController,
) -> None:
    """The model reads a missing server_mode as true (DMS's default), so apply must too."""
    controller.apply(load_target(FILE))
    edit_state(controller, lambda s: s["offer"].pop("server_mode"))
    offer = controller.current_offer()
    assert offer is not None and offer.server_mode is True
    assert controller.apply(load_target(FILE), check=True).action == "none"


# -- drift on the no-change path ---------------------------------------------------------------
def test_an_unchanged_offer_with_more_cores_than_the_machine_is_refused(state_dir: Path) -> None:
    fixed = load_target(FILE + "cores = 8\n")
    OnboardingController(state_dir, probe=lambda: fake_machine()).apply(fixed)
    # Half the cores at twice the clock: the same MHz, so the offer is unchanged.
    fewer = OnboardingController(state_dir, probe=lambda: fake_machine(cores=4, mhz=5200.0))
    with pytest.raises(RuleViolation) as refused:
        fewer.apply(fixed, check=True)
    assert str(refused.value) == "cores 8 is outside the allowed 1-4"


def test_an_unchanged_cardano_offer_below_its_minimum_is_refused(
    controller: OnboardingController,
) -> None:
    controller.apply(load_target(FILE))
    edit_state(controller, lambda s: s["offer"].update(cardano=True))
    with pytest.raises(RuleViolation, match="a Cardano node needs at least 6000 MHz of CPU"):
        controller.apply(load_target(FILE + "cardano = true\n"), check=True)


def test_a_refusal_keeps_each_problems_field_and_detail(
    controller: OnboardingController,
) -> None:
    greedy = load_target(FILE.replace("memory = 8000", 'memory = "95%"'))
    with pytest.raises(RuleViolation) as refused:
        controller.apply(greedy, check=True)
    (problem,) = refused.value.problems
    assert problem.field == "memory"
    assert problem.message.startswith("memory 95% = 15564 MB is above the maximum 14745 MB")
    assert problem.detail == (
        "15564 MB is above the maximum 14745 MB (90 % of 16384 MB); allowed 1638-14745 MB"
    )


def test_a_change_the_rules_refuse_is_refused_by_check_too(
    controller: OnboardingController,
) -> None:
    controller.onboard(OTHER)
    greedy = load_target(FILE.replace("memory = 8000", 'memory = "95%"'))
    with pytest.raises(RuleViolation, match="memory 95% = 15564 MB is above the maximum"):
        controller.apply(greedy, check=True)


# -- warnings --------------------------------------------------------------------------------
def test_the_resolved_offers_warnings_reach_the_plan(state_dir: Path) -> None:
    ctl = OnboardingController(
        state_dir, probe=lambda: fake_machine(gpus=0), load_average=lambda: 0.0
    )
    lower = ETH_ADDRESS.lower()
    text = FILE.replace(ETH_ADDRESS, lower) + 'gpus = "all"\n'
    plan = ctl.apply(load_target(text), check=True)
    assert plan.to_dict()["warnings"] == [
        'gpus = "all" but this machine has no GPU (NVML library not found; nvidia-smi not '
        "found); none offered",
        "payment address: this Ethereum address has no checksum (all one case), so a typo "
        "would not be caught: check it character by character",
        f"payment address: {ETHEREUM_REFUSED_BY_DMS}",
    ]


def test_a_node_already_so_still_hears_of_an_unchecksummed_address(state_dir: Path) -> None:
    """The plan that writes nothing runs no wallet library; the cheap hint stands in."""
    ctl = OnboardingController(
        state_dir, probe=lambda: fake_machine(gpus=0), load_average=lambda: 0.0
    )
    lower = ETH_ADDRESS.lower()
    ctl.apply(load_target(FILE.replace(ETH_ADDRESS, lower)))
    plan = ctl.apply(load_target(FILE.replace(ETH_ADDRESS, lower)), check=True)
    assert plan.action == "none"
    assert plan.warnings == (
        f"address {lower} has no EIP-55 checksum (all one case), so a typo in it would not be "
        "caught; prefer the checksummed form",
        ETHEREUM_REFUSED_BY_DMS,
    )


def test_a_forced_clean_up_notes_it_before_the_offers_warnings(state_dir: Path) -> None:
    ctl = OnboardingController(state_dir, probe=lambda: fake_machine(gpus=0))
    ctl.onboard(OTHER)
    ctl.key_path.unlink()
    plan = ctl.apply(load_target(FILE + 'gpus = "all"\nforce = true\n'), check=True)
    assert plan.action == "onboard" and plan.clean_first is True
    assert len(plan.warnings) == 3
    assert plan.warnings[0].startswith("the state was inconsistent (the metadata is present ")
    assert plan.warnings[1].startswith('gpus = "all" but this machine has no GPU')
    assert plan.warnings[2] == f"payment address: {ETHEREUM_REFUSED_BY_DMS}"


# -- carrying out a stale plan -----------------------------------------------------------------
def test_an_onboard_planned_before_another_change_is_refused(
    controller: OnboardingController,
) -> None:
    planned = plan_apply(controller, load_target(FILE))
    assert planned.plan.action == "onboard"
    controller.onboard(OTHER)  # someone else, meanwhile: onboarded and offboarded again
    controller.offboard()
    with pytest.raises(StateChanged):
        carry_out(controller, planned)
    assert not controller.is_onboarded()


def test_an_offboard_planned_before_another_change_is_refused(
    controller: OnboardingController,
) -> None:
    controller.apply(load_target(FILE))
    planned = plan_apply(controller, load_target('state = "offboarded"\n'))
    assert planned.plan.action == "offboard"
    controller.resource_config(OTHER)  # the app, meanwhile
    with pytest.raises(StateChanged):
        carry_out(controller, planned)
    assert controller.is_onboarded()
    offer = controller.current_offer()
    assert offer is not None and offer.cpu == 3000


# -- the log a run leaves --------------------------------------------------------------------
def test_the_log_names_what_apply_did_and_nothing_for_no_change(
    controller: OnboardingController,
) -> None:
    with logged() as lines:
        controller.apply(load_target(FILE))
    assert [line for line in lines if line.startswith("apply")] == ["apply: onboard"]
    with logged() as lines:
        assert controller.apply(load_target(FILE)).action == "none"
    assert [line for line in lines if line.startswith("apply")] == []


def test_the_log_says_when_a_forced_offboard_only_cleaned_up(
    controller: OnboardingController,
) -> None:
    controller.onboard(OTHER)
    controller.key_path.unlink()
    with logged() as lines:
        plan = controller.apply(load_target('state = "offboarded"\nforce = true\n'))
    assert (plan.action, plan.clean_first) == ("offboard", True)
    assert [line for line in lines if line.startswith("apply")] == [
        "apply: cleaned up an inconsistent or unreadable state"
    ]
    assert not controller.metadata_path.exists() and not controller.is_onboarded()


def test_a_clean_up_that_fails_says_what_could_not_be_removed(state_dir: Path) -> None:
    from tests.conftest import read_only_dir
    from tests.onboarding.test_state_dir import remount_read_only, remount_read_only_back

    with read_only_dir() as base:
        remount_read_only_back(base)
        ctl = OnboardingController(base / "state", probe=lambda: fake_machine())
        ctl.onboard(OTHER)
        ctl.key_path.unlink()
        remount_read_only(base)
        with pytest.raises(StateError) as refused:
            ctl.apply(load_target(FILE + "force = true\n"))
        message = str(refused.value)
        assert message.startswith("the broken state could not be cleaned up: worked without ")
        # each failure, "; "-joined; the state still names the metadata, so it stays
        assert "; DMS's metadata file was kept: the state file could not be written" in message
        assert ctl.metadata_path.exists()


# -- the GPU tools run only when the offer names GPUs ------------------------------------------
PERCENT_FILE = f"""
cpu = "50%"
memory = "50%"
channel = "nunet-team"
address = "{ETH_ADDRESS}"
"""


def test_apply_runs_the_gpu_tools_only_for_an_offer_with_gpus(
    state_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real probe; NVML (the machine boundary) faked with one card, no GPU tool on PATH."""
    import sys

    from tests.hardware.boundaries import make_fake_pynvml

    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    card = {"name": "NVIDIA RTX", "uuid": "GPU-1", "total": 2**34, "free": 2**34, "util": 0}
    nvml = make_fake_pynvml(devices=[{**card, "temp": 30}])
    monkeypatch.setitem(sys.modules, "pynvml", nvml)

    with_gpus = OnboardingController(state_dir, gpu_timeout_s=HANG_S)
    plan = with_gpus.apply(load_target(PERCENT_FILE + 'gpus = "all"\n'), check=True)
    assert plan.after["gpus"] == [0] and not [w for w in plan.warnings if "GPU" in w]
    assert f"payment address: {ETHEREUM_REFUSED_BY_DMS}" in plan.warnings
    assert nvml.state["init"] == 1  # type: ignore[attr-defined]

    # Onboarding without GPUs still lists every card in gpu_info (as DMS and the app do),
    # so the write probes them; a run that finds nothing to change does not.
    OnboardingController(state_dir, gpu_timeout_s=HANG_S).apply(load_target(PERCENT_FILE))
    assert nvml.state["init"] == 2  # type: ignore[attr-defined]
    metadata = json.loads((state_dir / "metadataV2.json").read_text())
    assert [g["name"] for g in metadata["gpu_info"]] == ["NVIDIA RTX"]
    again = OnboardingController(state_dir, gpu_timeout_s=HANG_S).apply(load_target(PERCENT_FILE))
    assert again.action == "none"
    assert nvml.state["init"] == 2  # type: ignore[attr-defined]  # no change: no probe
    OnboardingController(state_dir, gpu_timeout_s=HANG_S).change_offer({"ntx_price": 1.0})
    metadata = json.loads((state_dir / "metadataV2.json").read_text())
    assert [g["name"] for g in metadata["gpu_info"]] == ["NVIDIA RTX"]


def test_a_gpu_tool_that_hangs_keeps_the_recorded_gpu_info_of_an_offer_without_gpus(
    state_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every write reads the GPUs for gpu_info. When they cannot be read (a hung
    nvidia-smi), an offer without GPUs keeps the recorded list, as one with GPUs does:
    a change of the price must not empty gpu_info."""
    import stat
    import sys

    from tests.hardware.boundaries import make_fake_pynvml

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    card = {"name": "NVIDIA RTX", "uuid": "GPU-1", "total": 2**34, "free": 2**34, "util": 0}
    monkeypatch.setitem(sys.modules, "pynvml", make_fake_pynvml(devices=[{**card, "temp": 30}]))
    OnboardingController(state_dir, gpu_timeout_s=HANG_S).apply(load_target(PERCENT_FILE))

    monkeypatch.setitem(
        sys.modules, "pynvml", make_fake_pynvml(init_error="NVMLError_LibraryNotFound")
    )
    tool = bin_dir / "nvidia-smi"
    tool.write_text("#!/bin/sh\nexec /bin/sleep 30\n")
    tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    OnboardingController(state_dir, gpu_timeout_s=0.5).change_offer({"ntx_price": 2.0})
    metadata = json.loads((state_dir / "metadataV2.json").read_text())
    assert metadata["ntx_price"] == 2.0
    assert [g["name"] for g in metadata["gpu_info"]] == ["NVIDIA RTX"]


def test_apply_keeps_gpus_it_cannot_read_while_changing_the_price_as_resource_config_does(
    state_dir: Path,
) -> None:
    """The plan is checked as the write is (one prepare step): a GPU tool that fails does
    not make an unchanged GPU offer look like a missing GPU."""
    gpu_file = FILE + "gpus = [0]\n"
    OnboardingController(state_dir, probe=lambda: fake_machine()).apply(load_target(gpu_file))
    broken = fake_machine(gpus=0)._replace(gpus=GpuReport(faults=("nvidia-smi timed out",)))
    ctl = OnboardingController(state_dir, probe=lambda: broken)
    before = ctl.get_metadata()
    plan = ctl.apply(load_target(gpu_file + "ntx_price = 0.5\n"))
    assert plan.action == "resource-config"
    after = ctl.get_metadata()
    assert (after.ntx_price, after.gpu_info) == (0.5, before.gpu_info)
    assert len(after.gpu_info) == 1
    with pytest.raises(RuleViolation, match="gpu 0 cannot be checked"):
        ctl.apply(load_target(FILE + "gpus = [0, 1]\n"))
