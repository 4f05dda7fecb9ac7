"""Warnings: accepted offers worth a second look (never refusals)."""

from __future__ import annotations

from app.onboarding import advice
from app.onboarding.addresses import ETHEREUM_REFUSED_BY_DMS, TESTNET_BYRON_REFUSED_BY_DMS
from app.onboarding.advice import HostLoad, free_now_warnings
from app.onboarding.controller import OnboardingController
from app.onboarding.models import CapacityForNunet
from tests.conftest import CARDANO_MAINNET, ETH_ADDRESS
from tests.fakes import fake_machine

QUIET = HostLoad(memory_used_mb=1024, cpu_busy_mhz=0)


def offer(**kw: object) -> CapacityForNunet:
    fields: dict[str, object] = dict(
        cpu=10000, memory=8000, channel="nunet-test", payment_addr=ETH_ADDRESS
    )
    fields.update(kw)
    return CapacityForNunet(**fields)  # type: ignore[arg-type]


def test_quiet_machine_has_no_warning(controller: OnboardingController) -> None:
    capacity = offer(payment_addr=CARDANO_MAINNET)
    assert advice.warnings(controller, capacity, load=QUIET) == []
    assert controller.validate(capacity) == []


def test_an_ethereum_address_is_warned_of_as_one_dms_v0_4_159_refuses(
    controller: OnboardingController,
) -> None:
    """DMS v0.4.159 refuses every Ethereum payment address; this project accepts them
    (older DMS did, and its seed makes Ethereum wallets): a warning, never a refusal."""
    assert controller.validate(offer()) == []
    (warning,) = advice.warnings(controller, offer(), load=QUIET)
    assert warning.field == "payment_addr"
    assert warning.detail == ETHEREUM_REFUSED_BY_DMS
    assert "DMS v0.4.159 refuses Ethereum payment addresses" in warning.detail


def test_offer_above_what_is_free_now_names_the_figures() -> None:
    machine = fake_machine()  # 16384 MB, 20800 MHz
    busy = HostLoad(memory_used_mb=10000, cpu_busy_mhz=15600)
    found = free_now_warnings(10000, 8000, machine, busy)
    assert [p.field for p in found] == ["memory", "cpu"]
    assert found[0].detail.startswith("8000 MB offered, but only 6384 MB of 16384 MB are free")
    assert "only 5200 MHz of 20800 MHz are idle" in found[1].detail
    assert free_now_warnings(5200, 6384, machine, busy) == []  # exactly what is free: fine


def test_host_load_from_the_load_average() -> None:
    machine = fake_machine()  # 8 cores; available memory is 3/4 of the total
    load = advice.host_load(machine, load_average=2.0)
    assert load == HostLoad(memory_used_mb=4096, cpu_busy_mhz=5200)
    assert advice.host_load(machine, load_average=64.0).cpu_busy_mhz == 20800  # capped


def test_unchecksummed_ethereum_address_is_a_warning_not_a_refusal(
    controller: OnboardingController,
) -> None:
    capacity = offer(payment_addr=ETH_ADDRESS.lower())
    assert controller.validate(capacity) == []
    warning, dms = advice.warnings(controller, capacity, load=QUIET)
    assert dms.detail == ETHEREUM_REFUSED_BY_DMS
    assert warning.field == "payment_addr" and "no checksum" in warning.detail
    assert warning.said_as("Pay to").startswith("Pay to: this Ethereum address has no checksum")


def test_mainnet_cardano_on_nunet_test_is_accepted_without_warning(
    controller: OnboardingController,
) -> None:
    """DMS's own manual onboards addr1... on nunet-test."""
    capacity = offer(payment_addr=CARDANO_MAINNET, channel="nunet-test")
    assert controller.validate(capacity) == []
    assert advice.warnings(controller, capacity, load=QUIET) == []
    assert isinstance(controller.warnings(capacity), list)  # the real host's load


def test_a_testnet_byron_address_is_warned_of_as_one_dms_v0_4_159_refuses(
    controller: OnboardingController,
) -> None:
    """DMS v0.4.159 cannot read a testnet Byron address's network and refuses it; a
    mainnet one it accepts. Both are accepted here, the testnet one with that warning."""
    from tests.wallets.test_check_verdicts import _byron

    testnet = offer(payment_addr=_byron(1097911063))
    assert controller.validate(testnet) == []
    details = [w.detail for w in advice.warnings(controller, testnet, load=QUIET)]
    assert details[-1] == TESTNET_BYRON_REFUSED_BY_DMS
    mainnet = offer(payment_addr=_byron(None))
    details = [w.detail for w in advice.warnings(controller, mainnet, load=QUIET)]
    assert TESTNET_BYRON_REFUSED_BY_DMS not in details and details  # the legacy warning only
