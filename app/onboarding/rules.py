"""DMS's onboarding rules as pure functions over plain numbers.

Plain numbers and no pydantic, so that ``status`` can re-check a stored offer
against today's hardware (drift) on its fast path. Every message names the
field, the value and the allowed range, because a refusal a person cannot act
on is a bug.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.onboarding.errors import Problem

CHANNELS: tuple[str, ...] = ("nunet-staging", "nunet-test", "nunet-team", "nunet-edge")
MIN_SHARE = 0.10
MAX_SHARE = 0.90
CARDANO_MIN_MEMORY_MB = 10_000
CARDANO_MIN_CPU_MHZ = 6_000


@dataclass(frozen=True)
class OfferLimits:
    """What the machine allows an offer to be; the TUI draws its sliders from it."""

    cpu_total: int
    memory_total: int
    cores_total: int
    disk_free: int
    gpu_indices: tuple[int, ...]
    mhz_per_core: float

    @property
    def cpu_min(self) -> int:
        return _ceil_share(self.cpu_total, MIN_SHARE)

    @property
    def cpu_max(self) -> int:
        return _floor_share(self.cpu_total, MAX_SHARE)

    @property
    def memory_min(self) -> int:
        return _ceil_share(self.memory_total, MIN_SHARE)

    @property
    def memory_max(self) -> int:
        return _floor_share(self.memory_total, MAX_SHARE)


def _ceil_share(total: int, share: float) -> int:
    # Integer arithmetic so that exactly 10 % of 10384 is 1038.4 -> 1039 is the
    # smallest allowed whole MHz, with no float rounding surprises at the edge.
    num = round(share * 100)
    return -(-total * num // 100)


def _floor_share(total: int, share: float) -> int:
    num = round(share * 100)
    return total * num // 100


def check_share(field: str, unit: str, value: int, total: int) -> Problem | None:
    """10-90 % of the machine's total, inclusive (DMS's min and max)."""
    low, high = _ceil_share(total, MIN_SHARE), _floor_share(total, MAX_SHARE)
    if low > high:
        return Problem(
            field,
            f"{field} cannot be offered: the machine's total of {total} {unit} is too small "
            f"(no whole {unit} lies between 10 % and 90 % of it)",
        )
    if value < low:
        return Problem(
            field,
            f"{field} {value} {unit} is below the minimum {low} {unit} "
            f"(10 % of {total} {unit}); allowed {low}-{high} {unit}",
        )
    if value > high:
        return Problem(
            field,
            f"{field} {value} {unit} is above the maximum {high} {unit} "
            f"(90 % of {total} {unit}); allowed {low}-{high} {unit}",
        )
    return None


def check_channel(channel: str) -> Problem | None:
    if channel in CHANNELS:
        return None
    allowed = ", ".join(CHANNELS)
    if not channel.strip():
        return Problem("channel", f"no channel chosen; choose one of: {allowed}")
    return Problem("channel", f"channel {channel!r} is not known; allowed: {allowed}")


def check_cardano(cardano: bool, cpu: int, memory: int) -> list[Problem]:
    if not cardano:
        return []
    problems = []
    if memory < CARDANO_MIN_MEMORY_MB:
        problems.append(
            Problem(
                "memory",
                f"a Cardano node needs at least {CARDANO_MIN_MEMORY_MB} MB of memory; "
                f"memory {memory} MB offered",
            )
        )
    if cpu < CARDANO_MIN_CPU_MHZ:
        problems.append(
            Problem(
                "cpu",
                f"a Cardano node needs at least {CARDANO_MIN_CPU_MHZ} MHz of CPU; cpu {cpu} MHz offered",
            )
        )
    return problems


def check_cores(cores: int | None, total: int) -> Problem | None:
    if cores is None or 1 <= cores <= total:
        return None
    return Problem("cores", f"cores {cores} is outside the allowed 1-{total}")


def check_price(price: float) -> Problem | None:
    if price >= 0 and price == price:  # NaN is not a price
        return None
    return Problem(
        "ntx_price", f"ntx_price {price} is not allowed; it must be 0 or more NTX per minute"
    )


def check_disk(disk: int, free: int) -> Problem | None:
    if 0 <= disk <= free:
        return None
    return Problem("disk", f"disk {disk} GB is more than the {free} GB free; allowed 0-{free} GB")


def check_gpus(requested: Sequence[int], present: Iterable[int]) -> Problem | None:
    present_set = sorted(set(present))
    missing = [i for i in requested if i not in present_set]
    if len(set(requested)) != len(requested):
        return Problem("gpus", f"gpus {list(requested)} names a GPU twice")
    if not missing:
        return None
    allowed = ", ".join(map(str, present_set)) if present_set else "none (no GPU was found)"
    return Problem("gpus", f"gpu {missing[0]} does not exist; allowed indices: {allowed}")


def check_resources(
    *,
    cpu: int,
    memory: int,
    cardano: bool,
    disk: int,
    gpus: Sequence[int],
    cores: int | None,
    limits: OfferLimits,
) -> list[Problem]:
    """The rules that depend on the hardware, shared by onboard, resource-config and drift."""
    found: list[Problem | None] = [
        check_share("cpu", "MHz", cpu, limits.cpu_total),
        check_share("memory", "MB", memory, limits.memory_total),
        check_cores(cores, limits.cores_total),
        check_disk(disk, limits.disk_free),
        check_gpus(gpus, limits.gpu_indices),
    ]
    problems = [p for p in found if p is not None]
    problems.extend(check_cardano(cardano, cpu, memory))
    return problems
