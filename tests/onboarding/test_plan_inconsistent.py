"""apply says what is inconsistent in the same words as status, the damaged key included."""

from __future__ import annotations

import pytest

from app.onboarding.controller import OnboardingController
from app.onboarding.errors import StateError
from app.onboarding.models import CapacityForNunet
from app.onboarding.offer_file import load_target
from tests.conftest import ETH_ADDRESS

OFFER = f'cpu = "50%"\nmemory = "50%"\nchannel = "nunet-team"\naddress = "{ETH_ADDRESS}"\n'


def onboarded(controller: OnboardingController) -> OnboardingController:
    controller.onboard(
        CapacityForNunet(cpu=6000, memory=8000, channel="nunet-team", payment_addr=ETH_ADDRESS)
    )
    return controller


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        ("garble", "does not hold a usable key (empty or damaged)"),
        ("remove", "is missing"),
    ],
)
def test_a_damaged_or_missing_key_is_named_as_status_names_it(
    controller: OnboardingController, damage: str, words: str
) -> None:
    onboarded(controller)
    if damage == "garble":
        controller.key_path.write_bytes(b"-----BEGIN PRIVATE KEY-----\nnot a key\n")
    else:
        controller.key_path.unlink()
    problem = controller.status().problems[0].message
    assert words in problem
    with pytest.raises(StateError) as refused:
        controller.apply(load_target(OFFER), check=True)
    assert f"the onboarding state is inconsistent ({problem})" in str(refused.value)
