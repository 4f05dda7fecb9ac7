"""An offer of less than one core's clock is allowed (DMS's bound is 10 % of the total)
but its records count 0 virtual CPUs: a warning says so (found by a QA pass)."""

from __future__ import annotations

from pathlib import Path

from app.onboarding.advice import HostLoad
from app.onboarding.controller import OnboardingController
from app.onboarding.models import CapacityForNunet
from tests.conftest import ETH_ADDRESS
from tests.fakes import fake_machine

IDLE = HostLoad(memory_used_mb=0, cpu_busy_mhz=0)


def cpu_warnings(state_dir: Path, cpu: int) -> list[str]:
    from app.onboarding import advice

    ctl = OnboardingController(state_dir, probe=lambda: fake_machine(cores=8, mhz=2600.0))
    offer = CapacityForNunet(cpu=cpu, memory=4000, channel="nunet-team", payment_addr=ETH_ADDRESS)
    return [p.message for p in advice.warnings(ctl, offer, load=IDLE) if p.field == "cpu"]


def test_less_than_one_core_is_a_warning_naming_the_clock(state_dir: Path) -> None:
    assert cpu_warnings(state_dir, 2599) == [
        "cpu 2599 MHz is less than one core (2600 MHz), so the records count 0 virtual CPUs "
        "(DMS's vcpu is the offer divided by one core's clock)"
    ]


def test_one_core_or_more_is_no_warning(state_dir: Path) -> None:
    assert cpu_warnings(state_dir, 2600) == []
    assert cpu_warnings(state_dir, 5000) == []
