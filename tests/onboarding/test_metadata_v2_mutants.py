"""metadataV2.json at the edges mutation testing found unchecked: a file that cannot be
read is reported with the system's reason in words, and Go's form of a zero float."""

from __future__ import annotations

from app.onboarding import metadata_v2
from app.onboarding.controller import OnboardingController
from app.onboarding.models import CapacityForNunet
from tests.conftest import ETH_ADDRESS

OFFER = CapacityForNunet(cpu=5000, memory=8000, channel="nunet-team", payment_addr=ETH_ADDRESS)


def test_a_metadata_file_that_cannot_be_read_says_why_in_words(
    controller: OnboardingController,
) -> None:
    controller.onboard(OFFER)
    controller.metadata_path.unlink()
    controller.metadata_path.mkdir()
    (problem,) = controller.status().problems
    assert problem.kind == "metadata_file"
    assert problem.message.startswith(
        f"{controller.metadata_path} cannot be read (Is a directory); it is derived from "
    )


def test_zero_is_written_as_go_writes_it() -> None:
    assert metadata_v2._go_float(0.0) == "0"
