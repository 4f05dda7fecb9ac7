"""The CPU figures of the records, as DMS v0.4.159's ``Onboard`` writes them.

``CPUMax = int64(totalCpu)`` (truncated), ``Available.CPU = int64(totalCpu) - CPU``,
``CpuHz = Hz_per_cpu()`` (the first logical CPU's clock, ``cores[0].Mhz``) and
``Vcpu = int(math.Floor(float64(CPU) / Hz_per_cpu()))``.
"""

from __future__ import annotations

from app.onboarding.models import CapacityForNunet
from app.onboarding.records import build_records
from tests.conftest import ETH_ADDRESS
from tests.fakes import fake_machine


def offer(cpu: int) -> CapacityForNunet:
    return CapacityForNunet(cpu=cpu, memory=4096, channel="nunet-team", payment_addr=ETH_ADDRESS)


def test_cpu_max_and_the_available_cpu_truncate_the_float_total() -> None:
    machine = fake_machine(cores=4, mhz=2599.9)  # 10399.6 MHz
    metadata, _ = build_records(machine, offer(5000), "node")
    assert metadata.resource.cpu_max == 10399  # not 10400
    assert metadata.available.cpu == 10399 - 5000


def test_cpu_hz_is_the_first_cpus_clock_and_vcpu_is_go_floor_of_the_division() -> None:
    """Cores with different clocks (first 2000.2 MHz, average 2100): DMS records the
    first. 10001 / 2000.2 is 5.0 in float64 (the exact quotient is a hair under 5), so
    Go's ``math.Floor`` gives 5 where Python's ``//`` would give 4."""
    plain = fake_machine(cores=8, mhz=2100.0)
    machine = plain._replace(cpu=plain.cpu._replace(first_mhz=2000.2))
    _, resources = build_records(machine, offer(10001), "node")
    assert resources.cpu_hz == 2000.2
    assert resources.vcpu == 5
