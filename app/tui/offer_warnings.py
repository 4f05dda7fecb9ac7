"""Warnings for the review: things an offer may do, but that a person should see first.

Nothing here refuses: DMS accepts all of these, so they are warnings, shown in
the review before writing. The controller's own ``warnings(capacity)`` is
used when it exists (another change adds it); the app adds what it can see
itself: an Ethereum address without a checksum, a host that already uses more
memory than it would keep, a Cardano address of another network than the
channel's usual one. Runs in the form's validation worker (it may sample usage
and check an address), never on the event loop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.tui.field_messages import in_words

if TYPE_CHECKING:
    from collections.abc import Callable

    from app.hardware.model import Usage
    from app.onboarding.controller import OnboardingController
    from app.onboarding.models import CapacityForNunet
    from app.onboarding.rules import OfferLimits


def offer_warnings(
    controller: OnboardingController,
    capacity: CapacityForNunet,
    limits: OfferLimits | None,
    usage: Callable[[], Usage],
) -> list[str]:
    """Sentences, each with the field's label and what to do; [] when nothing is unusual."""
    found: list[str] = []
    ask: Any = getattr(controller, "warnings", None)
    if callable(ask):
        found.extend(in_words(str(getattr(p, "message", p))) for p in ask(capacity))
    found.extend(_address_warnings(controller, capacity))
    if limits is not None:
        found.extend(_memory_warning(usage, capacity, limits))
    unique: list[str] = []
    for warning in found:
        if warning not in unique:
            unique.append(warning)
    return unique


def _address_warnings(controller: OnboardingController, capacity: CapacityForNunet) -> list[str]:
    address = capacity.payment_addr.strip()
    check = controller.check_address(address)
    if not check.valid:
        return []
    if check.chain == "ethereum":
        digits = address[2:]
        if digits == digits.lower() or digits == digits.upper():
            return [
                "Pay to has no checksum (all one case), so a typo in it would not be caught: "
                "copy the address from your wallet to be sure."
            ]
        return []
    on_channel = controller.check_address(address, channel=capacity.channel)
    if check.network and not on_channel.valid:
        return [
            f"Pay to is a Cardano {check.network} address, unusual on {capacity.channel}: "
            "check that it is the address you mean to be paid at."
        ]
    return []


def _memory_warning(
    usage: Callable[[], Usage], capacity: CapacityForNunet, limits: OfferLimits
) -> list[str]:
    try:
        used = usage().memory_used_mb
    except Exception:  # noqa: BLE001 - no sample, no warning; the offer is still valid
        return []
    keeps = limits.memory_total - capacity.memory
    if used <= keeps:
        return []
    return [
        f"The host uses {used} MB of memory now but would keep {keeps} MB: it may run short. "
        "Offer less Memory, or stop what uses it."
    ]
