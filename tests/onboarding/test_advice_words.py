"""Warnings word for word and at their edges: each warning's full message (as
the CLI prints it), the host's load on a one-core machine or an idle one, the load average
the OS gives (the machine boundary), and the wallet-made-here warning in an offer's list."""

from __future__ import annotations

import os

import pytest

from app.onboarding import advice
from app.onboarding.addresses import ETHEREUM_REFUSED_BY_DMS
from app.onboarding.advice import HostLoad, free_now_warnings
from app.onboarding.controller import OnboardingController
from app.onboarding.errors import Problem
from app.onboarding.models import CapacityForNunet
from tests.conftest import CARDANO_MAINNET, ETH_ADDRESS
from tests.fakes import fake_machine

QUIET = HostLoad(memory_used_mb=0, cpu_busy_mhz=0)
HARDHAT = "test test test test test test test test test test test junk"  # account 0 = ETH_ADDRESS


def test_a_network_other_than_the_addresses_is_warned_of(
    controller: OnboardingController,
) -> None:
    detail = (
        f"{CARDANO_MAINNET[:10]}... is a mainnet address, not testnet; check that this is the "
        "one meant"
    )
    assert advice.address_warnings(controller, CARDANO_MAINNET, network="testnet") == [
        Problem("payment_addr", f"payment address: {detail}", detail)
    ]
    assert advice.address_warnings(controller, CARDANO_MAINNET) == []
    assert advice.address_warnings(controller, "  ") == []
    assert advice.address_warnings(controller, "0x1234") == []  # invalid: a refusal elsewhere


def test_the_free_now_warnings_say_the_field_first() -> None:
    machine = fake_machine()  # 16384 MB, 20800 MHz
    busy = HostLoad(memory_used_mb=10000, cpu_busy_mhz=15600)
    memory, cpu = free_now_warnings(10000, 8000, machine, busy)
    assert memory.message == f"memory {memory.detail}"
    assert cpu.message == f"cpu {cpu.detail}"
    assert cpu.detail == (
        "10000 MHz offered, but only 5200 MHz of 20800 MHz are idle now (about 15600 MHz "
        "busy by the 1-minute load average): jobs could leave the host short of CPU"
    )


def test_the_load_of_a_one_core_machine() -> None:
    one = fake_machine(cores=1, mhz=3000.0)
    assert advice.host_load(one, load_average=0.5).cpu_busy_mhz == 1500
    assert advice.host_load(one, load_average=5.0).cpu_busy_mhz == 3000


def test_an_idle_machine_with_all_its_memory_free_has_no_load() -> None:
    machine = fake_machine()
    idle = machine._replace(memory=machine.memory._replace(available_mb=machine.memory.total_mb))
    assert advice.host_load(idle, load_average=0.0) == HostLoad(0, 0)
    assert advice.host_load(idle, load_average=0.5).cpu_busy_mhz == 1300  # 0.5 of 8 x 2600
    assert advice.host_load(idle, load_average=-1.0).cpu_busy_mhz == 0


def test_the_one_minute_load_average_is_the_one_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "getloadavg", lambda: (2.0, 4.0, 6.0))
    assert advice.host_load(fake_machine()).cpu_busy_mhz == 5200  # 2 of 8 cores busy


def test_no_load_average_reads_as_an_idle_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    def unavailable() -> tuple[float, float, float]:
        raise OSError("no load average here")

    monkeypatch.setattr(os, "getloadavg", unavailable)
    assert advice.host_load(fake_machine()).cpu_busy_mhz == 0


def test_an_offer_to_a_wallet_whose_backup_was_never_checked_is_warned_of(
    controller: OnboardingController,
) -> None:
    controller.restore_wallet("ethereum", HARDHAT)
    # As a wallet made here is first recorded, before its words are typed back:
    controller.store.update(lambda s: s["wallets"][0].update(backup_checked=False))
    capacity = CapacityForNunet(
        cpu=10000, memory=8000, channel="nunet-test", payment_addr=ETH_ADDRESS
    )
    detail = (
        f"the wallet {ETH_ADDRESS} was made here but its backup was never checked: "
        "if its words are lost, so is everything paid to it"
    )
    dms = ETHEREUM_REFUSED_BY_DMS  # any Ethereum address: DMS v0.4.159 refuses them
    assert advice.warnings(controller, capacity, load=QUIET) == [
        Problem("payment_addr", f"payment address: {dms}", dms),
        Problem("payment_addr", f"payment address: {detail}", detail),
    ]
