"""DMS's onboarding rules as pure functions over plain numbers.

Plain numbers and no pydantic, so that ``status`` can re-check a stored offer
against today's hardware (drift) on its fast path. Every message names the
field, the value and the allowed range, because a refusal a person cannot act
on is a bug.
"""

from __future__ import annotations

from app.hardware.model import whole_mhz as whole_mhz  # re-exported: the UI may not import hardware
from app.light_record import Record
from app.onboarding.errors import Problem
from app.onboarding.state_schema import MAX_WHOLE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

CHANNELS: tuple[str, ...] = ("nunet-staging", "nunet-test", "nunet-team", "nunet-edge")
CARDANO_MIN_MEMORY_MB = 10_000
CARDANO_MIN_CPU_MHZ = 6_000


class OfferLimits(Record):
    """What the machine allows an offer to be; the TUI draws its sliders from it."""

    cpu_total: float
    """DMS's float CPU total (see ``share_bounds``); ``whole_mhz`` of it for people."""
    memory_total: int
    cores_total: int
    disk_free: int
    gpu_indices: tuple[int, ...]
    mhz_per_core: float
    gpu_fault: str | None = None
    """Why the GPUs could not be read (a GPU tool hung or failed), if they could not:
    then a GPU missing from ``gpu_indices`` may well be there."""

    @property
    def cpu_whole(self) -> int:
        """The CPU total in whole MHz, as people are shown it (and DMS's ``cpu_max``)."""
        return whole_mhz(self.cpu_total)

    @property
    def cpu_min(self) -> int:
        return share_bounds(self.cpu_total)[0]

    @property
    def cpu_max(self) -> int:
        return share_bounds(self.cpu_total)[1]

    @property
    def memory_min(self) -> int:
        return share_bounds(self.memory_total)[0]

    @property
    def memory_max(self) -> int:
        return share_bounds(self.memory_total)[1]


def share_bounds(total: float) -> tuple[int, int]:
    """DMS's bounds exactly: it refuses ``offer < int64(total/10)`` and
    ``offer > int64(total*9/10)``, each in the total's own arithmetic.

    DMS's CPU total is a float64 (the sum of each core's clock, 5192.28 MHz), so a
    float total is divided as Go divides it: ``total * 9 / 10`` is ``(total * 9) / 10``
    in float64, and Go's ``int64()`` truncates, as ``int()`` does. Rounding the total
    first moved the upper bound one MHz down (4672 instead of 4673 on 5192.28) and
    refused offers DMS accepts. DMS's memory total is a uint64, so an int total is
    divided in whole numbers, where no float rounding can move an edge.
    """
    if isinstance(total, int):
        return total // 10, total * 9 // 10
    return int(total / 10), int(total * 9 / 10)


def total_text(total: float) -> str:
    """A total as a person reads it in a bound's message: whole, or to two decimals
    when the machine's clocks add up to a fraction (the bounds are taken on that)."""
    if isinstance(total, int) or total == int(total):
        return str(int(total))
    return f"{total:.2f}".rstrip("0").rstrip(".")


def _problem(field: str, name: str, detail: str) -> Problem:
    return Problem(field, f"{name} {detail}", detail)


def check_share(field: str, unit: str, value: int, total: float) -> Problem | None:
    """10-90 % of the machine's total, inclusive, truncated as DMS truncates."""
    low, high = share_bounds(total)
    shown_total = total_text(total)
    if value < low:
        return _problem(
            field,
            field,
            f"{value} {unit} is below the minimum {low} {unit} "
            f"(10 % of {shown_total} {unit}); allowed {low}-{high} {unit}",
        )
    if value > high:
        return _problem(
            field,
            field,
            f"{value} {unit} is above the maximum {high} {unit} "
            f"(90 % of {shown_total} {unit}); allowed {low}-{high} {unit}",
        )
    return None


def check_channel(channel: str) -> Problem | None:
    if channel in CHANNELS:
        return None
    allowed = ", ".join(CHANNELS)
    if not channel.strip():
        detail = f"no channel chosen; choose one of: {allowed}"
        return Problem("channel", detail, detail)
    from app.onboarding.units import shown

    return _problem("channel", "channel", f"{shown(channel)} is not known; allowed: {allowed}")


def check_cardano(
    cardano: bool,
    cpu: int,
    memory: int,
    *,
    cpu_max: int | None = None,
    memory_max: int | None = None,
) -> list[Problem]:
    """A Cardano node's minimums; when the machine cannot reach them at all, say so."""
    if not cardano:
        return []
    problems = []
    if memory < CARDANO_MIN_MEMORY_MB:
        detail = f"a Cardano node needs at least {CARDANO_MIN_MEMORY_MB} MB of memory; "
        if memory_max is not None and memory_max < CARDANO_MIN_MEMORY_MB:
            detail += f"this machine can offer at most {memory_max} MB"
        else:
            detail += f"{memory} MB offered"
        problems.append(Problem("memory", detail, detail))
    if cpu < CARDANO_MIN_CPU_MHZ:
        detail = f"a Cardano node needs at least {CARDANO_MIN_CPU_MHZ} MHz of CPU; "
        if cpu_max is not None and cpu_max < CARDANO_MIN_CPU_MHZ:
            detail += f"this machine can offer at most {cpu_max} MHz"
        else:
            detail += f"{cpu} MHz offered"
        problems.append(Problem("cpu", detail, detail))
    return problems


def check_cores(cores: int | None, total: int) -> Problem | None:
    if cores is None or 1 <= cores <= total:
        return None
    return _problem("cores", "cores", f"{cores} is outside the allowed 1-{total}")


def check_price(price: float) -> Problem | None:
    if price > MAX_WHOLE:  # the state file holds numbers below 2^63 (DMS's int64)
        return _problem(
            "ntx_price",
            "NTX price",
            f"{price:g} is too large; it must be at most {float(MAX_WHOLE):.1e} NTX per minute",
        )
    if price >= 0 and price == price:  # NaN is not a price
        return None
    return _problem(
        "ntx_price",
        "NTX price",
        f"{price} is not allowed; it must be 0 or more NTX per minute",
    )


def check_disk(disk: int, free: int) -> Problem | None:
    if 0 <= disk <= free:
        return None
    return _problem(
        "disk", "disk", f"{disk} GB is more than the {free} GB free; allowed 0-{free} GB"
    )


def check_gpus(
    requested: Sequence[int], present: Iterable[int], fault: str | None = None
) -> Problem | None:
    """Each GPU named must be present. ``fault`` is why the GPUs could not be read: then
    a missing one is "cannot be checked", not "does not exist", and the reason is given."""
    present_set = sorted(set(present))
    missing = [i for i in requested if i not in present_set]
    if len(set(requested)) != len(requested):
        return _problem("gpus", "gpus", f"{list(requested)} names a GPU twice")
    if not missing:
        return None
    if fault:
        detail = f"gpu {missing[0]} cannot be checked: the GPUs could not be read ({fault})"
        return Problem("gpus", detail, detail)
    allowed = ", ".join(map(str, present_set)) if present_set else "none (no GPU was found)"
    detail = f"gpu {missing[0]} does not exist; allowed indices: {allowed}"
    return Problem("gpus", detail, detail)


def check_resources(
    *,
    cpu: int,
    memory: int,
    cardano: bool,
    disk: int,
    gpus: Sequence[int],
    cores: int | None,
    limits: OfferLimits,
    stored_disk: int | None = None,
) -> list[Problem]:
    """The rules that depend on the hardware, shared by onboard, resource-config and drift.

    The disk is checked against the free space when it is offered or changed, not
    when it is ``stored_disk`` already: jobs fill what was offered, so free space
    falling below a standing offer is expected, and refusing it blocked unrelated
    changes (a new channel) on a busy node. DMS has no disk rule; it is a warning
    then (``advice.warnings``).
    """
    found: list[Problem | None] = [
        check_share("cpu", "MHz", cpu, limits.cpu_total),
        check_share("memory", "MB", memory, limits.memory_total),
        check_cores(cores, limits.cores_total),
        None if disk == stored_disk else check_disk(disk, limits.disk_free),
        check_gpus(gpus, limits.gpu_indices, limits.gpu_fault),
    ]
    problems = [p for p in found if p is not None]
    problems.extend(
        check_cardano(cardano, cpu, memory, cpu_max=limits.cpu_max, memory_max=limits.memory_max)
    )
    return problems
