"""The disk is checked against free space when it is offered or changed, not afterwards:
jobs fill what was offered. A node onboarded with most of its free disk refused every
later change (a new channel) once its disk filled, and status called it drift."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.onboarding.controller import OnboardingController
from app.onboarding.models import CapacityForNunet
from app.onboarding.offer_file import load_target
from app.onboarding.refusals import RuleViolation
from tests.conftest import ETH_ADDRESS
from tests.fakes import fake_machine

OFFER = CapacityForNunet(
    cpu=5000, memory=8000, channel="nunet-team", payment_addr=ETH_ADDRESS, disk=190
)


def filled(state_dir: Path, free_gb: int) -> OnboardingController:
    """The same node seen again after its disk filled to ``free_gb`` GB free."""
    return OnboardingController(state_dir, probe=lambda: fake_machine(disk_free_gb=free_gb))


def test_a_standing_disk_offer_is_a_warning_once_the_disk_fills(state_dir: Path) -> None:
    filled(state_dir, 200).onboard(OFFER)
    ctl = filled(state_dir, 150)
    ctl.change_offer({"channel": "nunet-test"})  # was: "disk 190 GB is more than ..."
    offer = ctl.current_offer()
    assert offer is not None and (offer.channel, offer.disk) == ("nunet-test", 190)
    warned = [p.message for p in ctl.warnings(offer) if p.field == "disk"]
    assert warned == [
        "disk 190 GB offered, but only 150 GB are free now on /: jobs could run out of disk"
    ]
    assert not [p for p in ctl.status().problems if "disk" in p.message]


def test_a_changed_disk_is_still_checked_against_the_free_space(state_dir: Path) -> None:
    filled(state_dir, 200).onboard(OFFER)
    with pytest.raises(RuleViolation) as refused:
        filled(state_dir, 150).change_offer({"disk": 180})
    assert [p.message for p in refused.value.problems] == [
        "disk 180 GB is more than the 150 GB free; allowed 0-150 GB"
    ]


def test_apply_keeps_a_standing_disk_offer(state_dir: Path) -> None:
    """``apply`` of the file that made the offer is "no change", not a drift refusal."""
    text = (
        'cpu = 5000\nmemory = 8000\nchannel = "nunet-team"\n'
        f'address = "{ETH_ADDRESS}"\ndisk = 190\n'
    )
    assert filled(state_dir, 200).apply(load_target(text)).action == "onboard"
    assert filled(state_dir, 150).apply(load_target(text)).action == "none"
    with pytest.raises(RuleViolation, match="disk 191 GB is more than the 150 GB free"):
        filled(state_dir, 150).apply(load_target(text.replace("190", "191")))
