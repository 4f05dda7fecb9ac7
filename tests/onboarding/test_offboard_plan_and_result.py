"""What offboarding says it will do and what it did:
the plan names each thing removed and kept (with numbers and paths a person can check),
the result matches it, and the refusals say what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.onboarding.controller import OnboardingController
from app.onboarding.errors import NotOnboarded, StateCorrupt, StateError
from app.onboarding.models import CapacityForNunet
from app.onboarding.refusals import StateChanged
from tests.conftest import ETH_ADDRESS

HARDHAT = "test test test test test test test test test test test junk"


def offer(**kw: object) -> CapacityForNunet:
    fields: dict[str, object] = dict(
        cpu=10000, memory=8000, channel="nunet-team", payment_addr=ETH_ADDRESS, ntx_price=0.5
    )
    fields.update(kw)
    return CapacityForNunet(**fields)  # type: ignore[arg-type]


def test_the_plan_of_an_onboarded_machine(controller: OnboardingController, tmp_path: Path) -> None:
    wallet = controller.restore_wallet("cardano", HARDHAT, network="testnet")
    exported = controller.export_wallet(wallet, tmp_path / "keys")
    controller.onboard(offer())
    plan = controller.offboard_plan()
    assert plan.onboarded is True and plan.removes_identity is True
    assert plan.remove == (
        f"the offer and metadata (cpu 10000 MHz, memory 8000 MB, channel nunet-team) "
        f"in {controller.state_path}",
        "the available resources record",
        f"DMS's metadata file {controller.metadata_path}",
        f"the node identity {controller.key_path}",
    )
    assert plan.keep[0] == "1 wallet record(s) (public addresses only)"
    assert [k for k in plan.keep if k.startswith("exported key file ")] == [
        f"exported key file {p}" for p in exported
    ]
    assert "the history of actions" in plan.keep
    assert plan.keep[-1] == f"the log files in {controller.log_path.parent}"


def test_a_state_file_that_is_a_directory_is_moved_aside_without_the_advice_to_force(
    controller: OnboardingController,
) -> None:
    """The store's message says "or run 'offboard --force'"; the forced offboard itself
    must not tell the user to run what they just ran: it moves the directory aside."""
    controller.onboard(offer())
    controller.state_path.unlink()
    controller.state_path.mkdir()
    plan = controller.offboard_plan()
    result = controller.offboard(force=True)
    reason = f"the state file {controller.state_path} is a directory; move it away"
    assert plan.remove[0] == (
        f"the state file {controller.state_path}, which cannot be read ({reason}): "
        "a directory is moved aside, a link, FIFO or device removed (never followed)"
    )
    assert result.failed == ()
    assert result.removed == (
        f"the state file {controller.state_path}, a directory (moved aside to "
        f"{controller.state_path}.moved-aside)",
        f"DMS's metadata file {controller.metadata_path}",
        f"the node identity {controller.key_path}",
    )


def test_the_plan_of_a_fresh_machine(controller: OnboardingController) -> None:
    plan = controller.offboard_plan()
    assert (plan.onboarded, plan.removes_identity, plan.remove) == (False, False, ())
    assert plan.keep == (f"the log files in {controller.log_path.parent}",)


def test_the_plan_of_a_corrupt_state_keeps_a_copy(controller: OnboardingController) -> None:
    controller.state_dir.mkdir(parents=True)
    controller.state_path.write_text("[]")
    plan = controller.offboard_plan()
    assert plan.remove == (f"the unreadable state file {controller.state_path}",)
    assert plan.keep[0].startswith(f"a copy of it at {controller.state_dir}/state.json.unreadable-")


def test_offboarding_removes_what_the_plan_said(controller: OnboardingController) -> None:
    controller.onboard(offer())
    seen = controller.revision()
    result = controller.offboard(base_revision=seen)
    assert result.removed == (
        "the offer, metadata and available resources",
        f"the node identity {controller.key_path}",
    )
    assert result.failed == () and result.kept == controller.offboard_plan().keep
    state = controller.store.read()
    assert (state["offer"], state["metadata"], state["available_resources"]) == (None, None, None)
    assert (state["history"][-1]["action"], state["history"][-1]["detail"]) == ("offboard", "")
    assert not controller.key_path.exists()


def test_a_forced_offboard_is_marked_in_the_history(controller: OnboardingController) -> None:
    controller.onboard(offer())
    assert controller.offboard(force=True).failed == ()
    assert controller.history()[-1]["detail"] == "forced"


def test_offboarding_from_a_stale_read_is_refused(controller: OnboardingController) -> None:
    controller.onboard(offer())
    seen = controller.revision()
    controller.resource_config(offer(cpu=12000))
    with pytest.raises(StateChanged):
        controller.offboard(base_revision=seen)
    assert controller.is_onboarded()


def test_refusals_without_force(controller: OnboardingController) -> None:
    with pytest.raises(NotOnboarded, match="offboarding"):
        controller.offboard()
    controller.onboard(offer())
    controller.key_path.unlink()
    with pytest.raises(StateError, match=r"inconsistent.*offboard --force"):
        controller.offboard()
    controller.state_path.write_text("{")
    with pytest.raises(StateCorrupt):
        controller.offboard()


def test_force_clears_a_corrupt_state_and_says_where_the_copy_is(
    controller: OnboardingController,
) -> None:
    controller.onboard(offer())
    controller.state_path.write_text("{")
    result = controller.offboard(force=True)
    assert result.failed == ()
    assert result.removed[0].startswith("the unreadable state file (kept at ")
    assert result.removed[1:] == (
        f"DMS's metadata file {controller.metadata_path}",
        f"the node identity {controller.key_path}",
    )
    assert not controller.state_path.exists() and not controller.key_path.exists()
    assert not controller.metadata_path.exists()
