"""apply's planning and doing, for every current state against every target, on a real
JSON store in a tmp dir (the fake machine: 8 x 2600 MHz, 16384 MB, 500 GB disk, 1 GPU)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.onboarding import identity
from app.onboarding.controller import OnboardingController
from app.onboarding.errors import StateError
from app.onboarding.models import CapacityForNunet
from app.onboarding.offer_file import Target, load_target
from app.onboarding.plan import Current, carry_out, make_plan, plan_apply
from app.onboarding.refusals import RuleViolation, StateChanged
from tests.conftest import ETH_ADDRESS
from tests.fakes import fake_machine

WANTED = f"""
state = "onboarded"
cpu = "50%"
memory = "60%"
disk = "10%"
channel = "nunet-team"
address = "{ETH_ADDRESS}"
ntx_price = 1.5
"""
# 50 % of 20800 MHz, 60 % of 16384 MB, 10 % of 500 GB.
RESOLVED = {"cpu": 10400, "memory": 9830, "disk": 50}
OTHER = CapacityForNunet(cpu=3000, memory=4000, channel="nunet-test", payment_addr=ETH_ADDRESS)

STATES = [
    "absent",
    "same",
    "different",
    "metadata-without-key",
    "key-without-metadata",
    "unreadable",
]
BROKEN = {"metadata-without-key", "unreadable"}
"""A key the state does not name is not broken: an interrupted write left it, and the
action (or, when there is none, apply's mending) puts it right without force."""


def target(*, state: str = "onboarded", force: bool = False) -> Target:
    text = WANTED.replace('state = "onboarded"', f'state = "{state}"')
    return load_target(text + ("force = true\n" if force else ""))


def arrange(ctl: OnboardingController, condition: str) -> None:
    if condition == "same":
        ctl.apply(target())
    elif condition in ("different", "metadata-without-key"):
        ctl.onboard(OTHER)
        if condition == "metadata-without-key":
            ctl.key_path.unlink()
    elif condition == "key-without-metadata":
        ctl.store.ensure_dir()
        identity.create_identity(ctl.state_dir)
    elif condition == "unreadable":
        ctl.store.ensure_dir()
        ctl.state_path.write_text("{not json")


def snapshot(ctl: OnboardingController) -> tuple[bytes | None, bool]:
    path = ctl.state_path
    return (path.read_bytes() if path.exists() else None, ctl.key_path.exists())


# (condition, target state) -> the action, for targets without force; BROKEN ones refuse.
EXPECTED = {
    ("absent", "onboarded"): "onboard",
    ("absent", "offboarded"): "none",
    ("same", "onboarded"): "none",
    ("same", "offboarded"): "offboard",
    ("different", "onboarded"): "resource-config",
    ("different", "offboarded"): "offboard",
    ("key-without-metadata", "onboarded"): "onboard",
    ("key-without-metadata", "offboarded"): "none",
}


@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
@pytest.mark.parametrize("wanted", ["onboarded", "offboarded"])
@pytest.mark.parametrize("condition", STATES)
def test_every_state_against_every_target(
    controller: OnboardingController, condition: str, wanted: str, force: bool
) -> None:
    arrange(controller, condition)
    before = snapshot(controller)
    goal = target(state=wanted, force=force)

    if condition in BROKEN and not force:
        # Reported, never cleaned without force = true; nothing is touched.
        with pytest.raises(StateError, match="set force = true in the file"):
            controller.apply(goal, check=True)
        with pytest.raises(
            StateError, match=condition.split("-")[0] if condition != "unreadable" else "unreadable"
        ):
            controller.apply(goal)
        assert snapshot(controller) == before
        return

    expected = EXPECTED.get((condition, wanted)) or (
        "onboard" if wanted == "onboarded" else "offboard"
    )
    preview = controller.apply(goal, check=True)
    assert preview.action == expected
    assert preview.changed == (expected != "none")
    assert snapshot(controller) == before, "--check wrote something"
    if wanted == "onboarded":
        assert {k: preview.after[k] for k in RESOLVED} == RESOLVED
        assert preview.after["ntx_price"] == 1.5
    else:
        assert preview.after == {}
    if condition == "different":
        assert (preview.before["cpu"], preview.before["channel"]) == (3000, "nunet-test")
    if condition in BROKEN:
        assert any("cleaned up first" in w for w in preview.warnings)

    done = controller.apply(goal)
    assert done.action == expected
    status = controller.status()
    assert status.problems == ()
    assert status.onboarded == (wanted == "onboarded")
    assert identity.key_present(controller.state_dir) == (wanted == "onboarded")
    if wanted == "onboarded":
        offer = controller.current_offer()
        assert offer is not None
        assert (offer.cpu, offer.memory, offer.disk, offer.channel) == (
            10400,
            9830,
            50,
            "nunet-team",
        )
        metadata = controller.get_metadata()
        assert metadata.available.cpu == 20800 - 10400  # recomputed, as resource-config does
    # Idempotent: the second run changes nothing and writes nothing.
    settled = snapshot(controller)
    again = controller.apply(goal)
    assert (again.action, again.changed) == ("none", False)
    assert snapshot(controller) == settled


def test_make_plan_is_pure_and_before_after_are_the_offers() -> None:
    offer = {"cpu": 1, "memory": 2}
    current = Current("onboarded", offer, revision=7)
    plan = make_plan(current, {"cpu": 1, "memory": 3}, force=False)
    assert (plan.action, plan.before, plan.after, plan.revision) == (
        "resource-config",
        offer,
        {"cpu": 1, "memory": 3},
        7,
    )
    assert plan.to_dict().keys() == {"changed", "action", "before", "after", "warnings"}
    assert make_plan(Current("absent"), None, force=False).to_dict() == {
        "changed": False,
        "action": "none",
        "before": {},
        "after": {},
        "warnings": [],
    }


def test_a_rule_the_machine_cannot_meet_names_this_machines_bounds(
    controller: OnboardingController,
) -> None:
    greedy = load_target(WANTED.replace('"60%"', '"95%"'))
    with pytest.raises(RuleViolation) as info:
        controller.apply(greedy, check=True)
    assert str(info.value) == (
        "memory 95% = 15564 MB is above the maximum 14745 MB (90 % of 16384 MB); "
        "allowed 1638-14745 MB"
    )
    with pytest.raises(RuleViolation):
        controller.apply(greedy)
    assert not controller.state_path.exists()


def test_the_full_rules_run_before_anything_is_written(controller: OnboardingController) -> None:
    bad_address = load_target(WANTED.replace(ETH_ADDRESS, "0x1234"))
    with pytest.raises(RuleViolation, match="payment address is not valid"):
        controller.apply(bad_address, check=True)
    cardano = load_target(WANTED.replace('"50%"', '"20%"') + "cardano = true\n")
    with pytest.raises(RuleViolation, match="a Cardano node needs at least 6000 MHz"):
        controller.apply(cardano)
    assert not controller.state_path.exists() and not controller.key_path.exists()


def test_a_percentage_re_resolves_when_the_hardware_changes(state_dir: Path) -> None:
    OnboardingController(state_dir, probe=lambda: fake_machine()).apply(target())
    smaller = OnboardingController(state_dir, probe=lambda: fake_machine(memory_mb=8192))
    plan = smaller.apply(target())
    assert plan.action == "resource-config"
    assert (plan.before["memory"], plan.after["memory"]) == (9830, 4915)
    assert smaller.status().problems == ()


def test_an_absolute_offer_the_machine_no_longer_meets_is_refused(state_dir: Path) -> None:
    fixed = load_target(WANTED.replace('"60%"', "12000"))
    OnboardingController(state_dir, probe=lambda: fake_machine()).apply(fixed)
    smaller = OnboardingController(state_dir, probe=lambda: fake_machine(memory_mb=8192))
    with pytest.raises(RuleViolation, match="memory 12000 MB is above the maximum 7372 MB"):
        smaller.apply(fixed, check=True)


def test_a_change_between_plan_and_write_refuses_cleanly(controller: OnboardingController) -> None:
    controller.onboard(OTHER)
    planned = plan_apply(controller, target())
    assert planned.plan.action == "resource-config"
    controller.resource_config(OTHER.model_copy(update={"cpu": 3100}))  # the app, meanwhile
    with pytest.raises(StateChanged, match="resource-config"):
        carry_out(controller, planned)
    offer = controller.current_offer()
    assert offer is not None and offer.cpu == 3100


def test_offboarding_keeps_wallet_records_and_never_makes_a_wallet(
    controller: OnboardingController,
) -> None:
    controller.apply(target())
    assert controller.wallets() == []
    controller.apply(target(state="offboarded"))
    assert not controller.is_onboarded() and not controller.key_path.exists()
    assert [h["action"] for h in controller.history()] == ["onboard", "offboard"]
