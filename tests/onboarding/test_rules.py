"""DMS's rules at their edges: exactly 10 % and 90 %, one unit either side."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.onboarding import rules
from app.onboarding.rules import OfferLimits, check_resources

TOTAL_MHZ = 10384  # 10 % = 1038.4, 90 % = 9345.6
TOTAL_MB = 16000  # 10 % = 1600 exactly, 90 % = 14400 exactly


def limits(**kw: object) -> OfferLimits:
    base: dict[str, object] = dict(
        cpu_total=TOTAL_MHZ,
        memory_total=TOTAL_MB,
        cores_total=4,
        disk_free=100,
        gpu_indices=(0, 1),
        mhz_per_core=2596.0,
    )
    base.update(kw)
    return OfferLimits(**base)  # type: ignore[arg-type]


def problems(**kw: object) -> list[str]:
    offer: dict[str, object] = dict(
        cpu=5000, memory=8000, cardano=False, disk=0, gpus=(), cores=None
    )
    offer.update(kw)
    return [p.field for p in check_resources(limits=limits(), **offer)]  # type: ignore[arg-type]


def test_bounds_are_truncated_as_dms_truncates() -> None:
    lim = limits()
    assert (lim.cpu_min, lim.cpu_max) == (1038, 9345)
    assert (lim.memory_min, lim.memory_max) == (1600, 14400)


@pytest.mark.parametrize(
    ("cpu", "ok"), [(1037, False), (1038, True), (9345, True), (9346, False), (0, False)]
)
def test_cpu_edges(cpu: int, ok: bool) -> None:
    assert ("cpu" not in problems(cpu=cpu)) is ok


@pytest.mark.parametrize(
    ("memory", "ok"), [(1599, False), (1600, True), (14400, True), (14401, False)]
)
def test_memory_edges_exactly_10_and_90_percent(memory: int, ok: bool) -> None:
    assert ("memory" not in problems(memory=memory)) is ok


def test_message_names_value_minimum_and_total() -> None:
    problem = rules.check_share("cpu", "MHz", 500, TOTAL_MHZ)
    assert problem is not None
    assert problem.message == (
        "cpu 500 MHz is below the minimum 1038 MHz (10 % of 10384 MHz); allowed 1038-9345 MHz"
    )
    assert problem.said_as("-c/--cpu").startswith("-c/--cpu: 500 MHz is below the minimum 1038")
    high = rules.check_share("memory", "MB", 15000, TOTAL_MB)
    assert high is not None and "above the maximum 14400 MB (90 % of 16000 MB)" in high.message


@pytest.mark.parametrize(
    ("cpu", "memory", "expected"),
    [
        (6000, 10000, []),
        (5999, 10000, ["cpu"]),
        (6000, 9999, ["memory"]),
        (5999, 9999, ["memory", "cpu"]),
    ],
)
def test_cardano_minimums(cpu: int, memory: int, expected: list[str]) -> None:
    found = rules.check_cardano(True, cpu, memory)
    assert [p.field for p in found] == expected
    assert rules.check_cardano(False, 1, 1) == []


def test_cardano_message_says_what_is_needed() -> None:
    (problem,) = rules.check_cardano(True, 6000, 9000)
    assert "at least 10000 MB" in problem.message and "9000 MB offered" in problem.message


@pytest.mark.parametrize("channel", ["nunet-staging", "nunet-test", "nunet-team", "nunet-edge"])
def test_each_channel_is_accepted(channel: str) -> None:
    assert rules.check_channel(channel) is None


@pytest.mark.parametrize("channel", ["nunet-prod", "", " ", "NUNET-TEST", "nunet-test "])
def test_other_channels_are_refused_with_the_list(channel: str) -> None:
    problem = rules.check_channel(channel)
    assert problem is not None
    assert "nunet-staging, nunet-test, nunet-team, nunet-edge" in problem.message


@pytest.mark.parametrize(
    ("cores", "ok"), [(None, True), (0, False), (1, True), (4, True), (5, False)]
)
def test_cores_between_one_and_total(cores: int | None, ok: bool) -> None:
    assert ("cores" not in problems(cores=cores)) is ok


@pytest.mark.parametrize(("disk", "ok"), [(0, True), (100, True), (101, False)])
def test_disk_within_free_space(disk: int, ok: bool) -> None:
    assert ("disk" not in problems(disk=disk)) is ok


@pytest.mark.parametrize(
    ("gpus", "ok"), [((), True), ((0,), True), ((0, 1), True), ((2,), False), ((0, 0), False)]
)
def test_gpu_indices_must_exist(gpus: tuple[int, ...], ok: bool) -> None:
    assert ("gpus" not in problems(gpus=gpus)) is ok


def test_missing_gpu_message_lists_the_ones_present() -> None:
    problem = rules.check_gpus([3], [0, 1])
    assert problem is not None and problem.message == "gpu 3 does not exist; allowed indices: 0, 1"
    none = rules.check_gpus([0], [])
    assert none is not None and "no GPU was found" in none.message


@pytest.mark.parametrize(
    ("price", "ok"),
    [
        (0.0, True),
        (0.5, True),
        (-0.01, False),
        (float("nan"), False),
        (9223372036854774784.0, True),  # the largest float below 2^63
        (2.0**63, False),  # the state file could not hold it
        (float("inf"), False),
    ],
)
def test_price_not_negative(price: float, ok: bool) -> None:
    assert (rules.check_price(price) is None) is ok


def test_a_price_too_large_to_record_says_the_limit() -> None:
    """It used to pass every check and fail at the write with the state file's words."""
    problem = rules.check_price(1e19)
    assert problem is not None and problem.field == "ntx_price"
    assert problem.message == (
        "NTX price 1e+19 is too large; it must be at most 9.2e+18 NTX per minute"
    )


def test_empty_channel_says_none_was_chosen() -> None:
    problem = rules.check_channel("")
    assert problem is not None and problem.message.startswith("no channel chosen; choose one of:")


@given(total=st.integers(min_value=0, max_value=10**12), offer=st.integers(min_value=0))
def test_share_rule_is_dms_integer_formula(total: int, offer: int) -> None:
    """Refused exactly when DMS refuses: offer < int(total/10) or offer > int(total*9/10)."""
    offer = offer % (total + 2)
    dms_refuses = offer < int(total / 10) if total < 2**52 else offer < total // 10
    dms_refuses = dms_refuses or offer > total * 9 // 10
    assert (rules.check_share("cpu", "MHz", offer, total) is not None) is dms_refuses


@pytest.mark.parametrize(
    ("total", "low", "high"),
    [(24105, 2410, 21694), (10384, 1038, 9345), (16000, 1600, 14400), (9, 0, 8), (1, 0, 0)],
)
def test_edges_on_several_totals(total: int, low: int, high: int) -> None:
    """Both edges accepted, one unit beyond refused, and the message names the bounds."""
    assert rules.share_bounds(total) == (low, high)
    assert rules.check_share("memory", "MB", low, total) is None
    assert rules.check_share("memory", "MB", high, total) is None
    above = rules.check_share("memory", "MB", high + 1, total)
    assert above is not None and f"allowed {low}-{high} MB" in above.message
    if low > 0:
        below = rules.check_share("memory", "MB", low - 1, total)
        assert below is not None and f"below the minimum {low} MB" in below.message


def test_cardano_minimum_out_of_reach_says_so() -> None:
    found = rules.check_cardano(True, 3000, 12000, cpu_max=4401, memory_max=14000)
    assert [p.detail for p in found] == [
        "a Cardano node needs at least 6000 MHz of CPU; this machine can offer at most 4401 MHz"
    ]
