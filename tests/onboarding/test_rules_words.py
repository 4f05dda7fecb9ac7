"""The rules at their edges: each message word for word
(field, whole sentence, and the detail each interface puts its own name in front of), and
a Cardano node's minimums checked against what this machine can offer at most."""

from __future__ import annotations

import pytest

from app.onboarding import rules
from app.onboarding.errors import Problem
from app.onboarding.rules import OfferLimits, check_resources


def small_machine() -> OfferLimits:
    """4 x 1000 MHz and 8000 MB: at most 3600 MHz and 7200 MB, short of a Cardano node."""
    return OfferLimits(
        cpu_total=4000,
        memory_total=8000,
        cores_total=4,
        disk_free=100,
        gpu_indices=(0,),
        mhz_per_core=1000.0,
    )


def test_a_gpu_named_twice_is_refused_in_words() -> None:
    assert rules.check_gpus([0, 0], [0, 1]) == Problem(
        "gpus", "gpus [0, 0] names a GPU twice", "[0, 0] names a GPU twice"
    )


def test_a_gpu_that_cannot_be_checked_says_why_in_message_and_detail() -> None:
    detail = "gpu 3 cannot be checked: the GPUs could not be read (nvidia-smi timed out)"
    assert rules.check_gpus([3], [0], fault="nvidia-smi timed out") == Problem(
        "gpus", detail, detail
    )


def test_a_negative_price_is_refused_naming_the_ntx_price() -> None:
    detail = "-1.0 is not allowed; it must be 0 or more NTX per minute"
    assert rules.check_price(-1.0) == Problem("ntx_price", f"NTX price {detail}", detail)


def test_a_cardano_node_is_checked_against_what_the_machine_can_offer_at_most() -> None:
    found = check_resources(
        cpu=3000, memory=7000, cardano=True, disk=0, gpus=(), cores=None, limits=small_machine()
    )
    assert [(p.field, p.detail) for p in found] == [
        (
            "memory",
            "a Cardano node needs at least 10000 MB of memory; this machine can offer at "
            "most 7200 MB",
        ),
        (
            "cpu",
            "a Cardano node needs at least 6000 MHz of CPU; this machine can offer at most "
            "3600 MHz",
        ),
    ]


def test_a_gpu_that_does_not_exist_is_named_in_message_and_detail() -> None:
    detail = "gpu 2 does not exist; allowed indices: 0, 1"
    assert rules.check_gpus([0, 2], [1, 0]) == Problem("gpus", detail, detail)


def test_a_machine_that_can_offer_exactly_a_cardano_nodes_minimum_is_not_blamed() -> None:
    """At most 10000 MB and 6000 MHz is enough for a Cardano node: too little offered is
    the offer's fault, said with what was offered."""
    found = rules.check_cardano(True, 5000, 9000, cpu_max=6000, memory_max=10000)
    assert [p.detail for p in found] == [
        "a Cardano node needs at least 10000 MB of memory; 9000 MB offered",
        "a Cardano node needs at least 6000 MHz of CPU; 5000 MHz offered",
    ]


def test_no_channel_chosen_lists_the_channels_in_message_and_detail() -> None:
    detail = "no channel chosen; choose one of: nunet-staging, nunet-test, nunet-team, nunet-edge"
    assert rules.check_channel("  ") == Problem("channel", detail, detail)


@pytest.mark.parametrize(
    ("total", "text"),
    [
        (15576, "15576"),
        (7.0, "7"),
        (20769.12, "20769.12"),
        (10.5, "10.5"),
        (0.5, "0.5"),
        (2.001, "2"),  # rounds to 2.00: no point left dangling
    ],
)
def test_a_total_reads_whole_or_to_two_decimals_without_trailing_zeros(
    total: float, text: str
) -> None:
    assert rules.total_text(total) == text
