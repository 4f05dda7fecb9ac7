"""What changed between two offers: only the changed fields, before → after, in the file's words."""

from __future__ import annotations

from app.onboarding.changes import NO_CHANGE, describe_change, offer_changes
from app.onboarding.controller import OnboardingController
from app.onboarding.models import CapacityForNunet
from tests.conftest import ETH_ADDRESS

OFFER = CapacityForNunet(
    cpu=5000, memory=8000, channel="nunet-team", payment_addr=ETH_ADDRESS, ntx_price=0.1
)


def dump(offer: CapacityForNunet) -> dict[str, object]:
    return offer.model_dump(mode="json")


def test_a_price_only_change_names_the_price_alone() -> None:
    after = OFFER.model_copy(update={"ntx_price": 0.2})
    assert describe_change(dump(OFFER), dump(after)) == "ntx_price 0.1 → 0.2 NTX/min"


def test_each_changed_field_in_the_offer_files_words_and_units() -> None:
    after = OFFER.model_copy(
        update={"cpu": 6000, "gpus": (0, 1), "is_available": False, "payment_addr": "addr1x"}
    )
    assert offer_changes(dump(OFFER), dump(after)) == [
        "cpu 5000 → 6000 MHz",
        "address " + ETH_ADDRESS + " → addr1x",
        "available true → false",
        "gpus none → 0,1",
    ]  # in the order of the stored offer (the table of offer fields)


def test_the_same_offer_is_no_change() -> None:
    assert describe_change(dump(OFFER), dump(OFFER)) == NO_CHANGE


def test_history_of_a_price_only_resource_config_names_the_price(
    controller: OnboardingController,
) -> None:
    controller.onboard(OFFER)
    seen = controller.revision()
    controller.resource_config(OFFER.model_copy(update={"ntx_price": 0.25}))
    last = controller.history()[-1]
    assert (last["action"], last["detail"]) == (
        "resource-config",
        "ntx_price 0.1 → 0.25 NTX/min",
    )
    assert controller.changes_since(seen)[0].startswith(
        "resource-config (ntx_price 0.1 → 0.25 NTX/min) at "
    )


def test_values_are_written_as_an_offer_file_writes_them() -> None:
    before = {"cores": None, "ntx_price": 2.0, "payment_addr": "", "disk": 5}
    after = {"cores": 3, "ntx_price": 1e20, "payment_addr": "addr1x", "disk": 5}
    assert offer_changes(before, after) == [
        "ntx_price 2 → 1e+20 NTX/min",  # a whole float without ".0"; repr's exponent kept
        "address none → addr1x",
        "cores none → 3",
    ]  # disk, unchanged between two changed fields, is left out and the rest still said


def test_a_field_one_side_lacks_is_none_there_and_one_neither_has_is_left_out() -> None:
    old = {"cpu": 5000, "memory": 8000}
    new = {"cpu": 5000, "disk": 10, "ntx_price": 0.5}
    assert describe_change(old, new) == (
        "memory 8000 → none MB, ntx_price none → 0.5 NTX/min, disk none → 10 GB"
    )
    assert describe_change(None, {"cpu": 1}) == "cpu none → 1 MHz"
