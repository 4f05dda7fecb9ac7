"""The CPU and memory bounds are DMS v0.4.159's to the MHz, on any machine.

DMS's ``validateCapacityForNunet`` refuses

    capacity.CPU > int64(totalCPU*9/10) || capacity.CPU < int64(totalCPU/10)

where ``totalCPU`` is a float64: each logical CPU's clock added in turn
(``totalCompute += cores[i].Mhz``). ``dms_accepts_cpu`` below is that Go expression
written again, operation by operation, in float64 (Python's float): it shares no code
with the project, so the project's bounds are checked against DMS's formula, not
against themselves. Memory is a uint64 there, so its bounds are whole-number maths.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.hardware.cpu import read_cpu
from app.hardware.model import CgroupLimits
from app.hardware.usable import usable_totals
from app.onboarding.controller import OnboardingController
from app.onboarding.rules import OfferLimits, check_resources
from tests.fakes import fake_machine


def go_total(clocks: list[float]) -> float:
    """``for i := range cores { totalCompute += cores[i].Mhz }``, in float64."""
    total = 0.0
    for mhz in clocks:
        total = total + mhz
    return total


def dms_accepts_cpu(offer: int, total: float) -> bool:
    """``!(offer > int64(total*9/10) || offer < int64(total/10))``: Go evaluates
    ``total*9/10`` as ``(total*9)/10`` in float64, and ``int64()`` truncates toward zero."""
    high = math.trunc((total * 9.0) / 10.0)
    low = math.trunc(total / 10.0)
    return not (offer > high or offer < low)


def dms_accepts_memory(offer: int, total: int) -> bool:
    """The same rule on DMS's uint64 memory total: whole-number division."""
    return not (offer > total * 9 // 10 or offer < total // 10)


def candidates(total: float) -> set[int]:
    """Offers around each bound, as DMS and as every plausible wrong reading puts it
    (the total rounded or truncated first, 0.9 instead of 9/10)."""
    edges = {
        math.trunc(total / 10),
        math.trunc(total * 9 / 10),
        round(total) // 10,
        round(total) * 9 // 10,
        math.trunc(total) * 9 // 10,
        math.trunc(total * 0.9),
        math.ceil(total / 10),
    }
    return {edge + step for edge in edges for step in (-1, 0, 1) if edge + step >= 0}


def project_accepts_cpu(offer: int, limits: OfferLimits) -> bool:
    found = check_resources(
        cpu=offer,
        memory=limits.memory_min,
        cardano=False,
        disk=0,
        gpus=(),
        cores=None,
        limits=limits,
    )
    return not [p for p in found if p.field == "cpu"]


def _limits(cpu_total: float, memory_total: int = 16384) -> OfferLimits:
    return OfferLimits(
        cpu_total=cpu_total,
        memory_total=memory_total,
        cores_total=8,
        disk_free=100,
        gpu_indices=(),
        mhz_per_core=2600.0,
    )


# Totals whose tenth or nine tenths are within 1e-9 of a whole number (where one float64
# rounding decides the bound), next to plain fractional totals.
def _near(value: float, how: str) -> float:
    return {"down": math.nextafter(value, 0.0), "exact": value, "up": math.nextafter(value, 99e9)}[
        how
    ]


hows = st.sampled_from(["down", "exact", "up"])
offsets = st.sampled_from([-1e-9, -1e-12, 0.0, 1e-12, 1e-9])
near_whole_tenths = st.builds(
    lambda k, off, how: _near(k * 10 + off * 10, how), st.integers(1, 10**6), offsets, hows
)
near_whole_nine_tenths = st.builds(
    lambda k, off, how: _near((k + off) * 10 / 9, how), st.integers(1, 10**6), offsets, hows
)
fractional_totals = st.floats(min_value=1.0, max_value=1e7, allow_nan=False, allow_infinity=False)


@settings(max_examples=400, deadline=None)
@given(st.one_of(near_whole_tenths, near_whole_nine_tenths, fractional_totals))
@example(5192.28)  # 2 x 2596.14 MHz: DMS allows 519-4673, a rounded total 519-4672
@example(1009.5)  # DMS accepts 100 and refuses 909; a rounded total (1010) the opposite
@example(10399.6)
@example(13.333333333333332)  # (total*9)/10 is 11.99...; total*0.9 would be 12
def test_a_cpu_offer_is_accepted_exactly_when_dms_accepts_it(total: float) -> None:
    limits = _limits(total)
    for offer in sorted(candidates(total)):
        assert project_accepts_cpu(offer, limits) == dms_accepts_cpu(offer, total), (
            f"offer {offer} MHz on a total of {total!r} MHz"
        )


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=2**40))
def test_a_memory_offer_is_accepted_exactly_when_dms_accepts_it(total: int) -> None:
    limits = _limits(5000.0, memory_total=total)
    for offer in sorted(candidates(float(total))):
        found = check_resources(
            cpu=limits.cpu_min,
            memory=offer,
            cardano=False,
            disk=0,
            gpus=(),
            cores=None,
            limits=limits,
        )
        accepted = not [p for p in found if p.field == "memory"]
        assert accepted == dms_accepts_memory(offer, total), f"{offer} MB of {total} MB"


def _cpuinfo(clocks: list[str]) -> str:
    return "".join(
        f"processor\t: {i}\nmodel name\t: Fake CPU\ncpu MHz\t\t: {mhz}\n\n"
        for i, mhz in enumerate(clocks)
    )


# /proc/cpuinfo prints each clock with three decimals: "2596.140".
clock_texts = st.integers(min_value=400_000, max_value=6_000_000).map(
    lambda khz_thousandths: f"{khz_thousandths // 1000}.{khz_thousandths % 1000:03d}"
)


@settings(max_examples=60, deadline=None)
@given(st.lists(clock_texts, min_size=1, max_size=12))
@example(["2596.140", "2596.140"])
@example(["2599.900"] * 4)
def test_the_probed_machine_takes_dms_offers_and_refuses_the_rest(clocks: list[str]) -> None:
    """From /proc/cpuinfo to the rule: the total is DMS's float sum of the clocks as
    written, and the bounds the command line and the app use are DMS's on it."""
    with tempfile.TemporaryDirectory() as tmp:
        proc, sys_root = Path(tmp, "proc"), Path(tmp, "sys")
        proc.mkdir()
        sys_root.mkdir()
        (proc / "cpuinfo").write_text(_cpuinfo(clocks))
        cpu, problems = read_cpu(proc, sys_root)
        assert problems == []
        usable = usable_totals(cpu, 16384, CgroupLimits())
        machine = fake_machine(cores=len(clocks))._replace(cpu=cpu, usable_cpu_mhz=usable.cpu_mhz)
        limits = OnboardingController(Path(tmp, "state"), probe=lambda: machine).limits()
    total = go_total([float(text) for text in clocks])
    assert limits.cpu_total == total
    assert cpu.first_mhz == float(clocks[0])  # DMS's cpu_hz: the first CPU's clock
    for offer in sorted(candidates(total)):
        assert project_accepts_cpu(offer, limits) == dms_accepts_cpu(offer, total), (
            f"offer {offer} MHz on clocks {clocks}"
        )
