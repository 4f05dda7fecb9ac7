"""A resource-config, or a change of the offer, that changes nothing writes nothing.

No new revision and no history entry: a repeated `resource-config` must not push real
entries out of the history, nor make an open app's review stale. Real controller, real
JSON store in a tmp directory, the fake machine of tests/fakes.py; the clock is moved
on an hour (the system clock is the boundary), since only the time stamp would differ.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.onboarding.controller import OnboardingController
from app.onboarding.models import CapacityForNunet
from tests.conftest import ETH_ADDRESS

OFFER = CapacityForNunet(cpu=5000, memory=8000, channel="nunet-team", payment_addr=ETH_ADDRESS)


def test_the_same_offer_an_hour_later_leaves_the_state_file_as_it_was(
    controller: OnboardingController, state_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    onboarded = controller.onboard(OFFER)
    before = (state_dir / "state.json").read_bytes()
    revision, history = controller.revision(), controller.history()
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 3600)

    again = controller.resource_config(OFFER)
    changed = controller.change_offer({"cpu": OFFER.cpu})

    assert (state_dir / "state.json").read_bytes() == before
    assert controller.revision() == revision and controller.history() == history
    assert again == onboarded and changed == onboarded
