"""onboard and resource-config: an offer from the flags, checked, warned about, written.

Rule breaks are raised as ``RuleViolation`` and worded by the top level with the
flag the user typed; warnings (accepted, but worth a second look) go to stderr
here, before anything is asked or written.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from app.cli.args import FIELD_FLAGS, flag_for
from app.cli.exits import UsageError
from app.cli.output import print_metadata, print_pairs, warn
from app.cli.session import at_terminal, confirm, make_controller
from app.onboarding.units import decimal_text

if TYPE_CHECKING:
    from app.onboarding.controller import OnboardingController
    from app.onboarding.models import CapacityForNunet

# The offer's fields that a flag may set (their flags are in args.FIELD_FLAGS); what is
# not given stays as it is.
_FIELDS = tuple(FIELD_FLAGS)


def capacity_from_args(args: argparse.Namespace) -> CapacityForNunet:
    """The offer the flags given describe (onboard's; resource-config merges under the lock)."""
    from pydantic import ValidationError

    from app.onboarding.models import CapacityForNunet

    fields: dict[str, Any] = {}
    for name in _FIELDS:
        value = getattr(args, name, None)
        if value is not None:
            fields[name] = value
    try:
        return CapacityForNunet(**fields)
    except ValidationError as exc:
        # The flags' types already checked every value; what is left is a missing or
        # stored value of the wrong kind. Never show pydantic's own words.
        field = str(exc.errors()[0]["loc"][0]) if exc.errors()[0]["loc"] else "offer"
        raise UsageError(f"{flag_for(field)}: this value is missing or not allowed") from None


def _note_ignored(args: argparse.Namespace) -> None:
    if getattr(args, "plugin", None):
        warn(
            "note: -p/--plugin is accepted for DMS compatibility and ignored "
            "(plugins are not part of onboarding)"
        )


def print_warnings(controller: OnboardingController, capacity: CapacityForNunet) -> None:
    """Each warning on stderr, naming the flag: the offer is accepted as it is."""
    for problem in controller.warnings(capacity):
        warn(f"warning: {problem.said_as(flag_for(problem.field))}")


def _show_offer(capacity: CapacityForNunet) -> None:
    print_pairs(
        [
            ("CPU", f"{capacity.cpu} MHz"),
            ("Memory", f"{capacity.memory} MB"),
            ("Disk", f"{capacity.disk} GB"),
            ("GPUs", ",".join(map(str, capacity.gpus)) or "none"),
            ("Channel", capacity.channel),
            ("Payment address", capacity.payment_addr),
            ("NTX price", f"{decimal_text(capacity.ntx_price)} NTX/min"),
            ("Cardano", "yes" if capacity.cardano else "no"),
            ("Available to jobs", "yes" if capacity.is_available else "no"),
            ("Server mode", "yes" if capacity.server_mode else "no"),
        ],
        title="This will be onboarded:",
    )


def cmd_onboard(args: argparse.Namespace) -> int:
    from app.onboarding.errors import AlreadyOnboarded, RuleViolation

    _note_ignored(args)
    controller = make_controller(args, log=True)
    capacity = capacity_from_args(args)
    ask = not args.yes and at_terminal() and not args.json
    # The revision the user looks at, when asked: a change made meanwhile refuses.
    base = controller.revision() if ask else None
    # Refuse before warning or asking: nobody should weigh an offer that cannot be
    # onboarded. controller.onboard makes these same checks again under the lock.
    if controller.is_onboarded():
        raise AlreadyOnboarded()
    problems = controller.validate(capacity)
    if problems:
        raise RuleViolation(problems)
    print_warnings(controller, capacity)
    if ask:
        _show_offer(capacity)
        if not confirm("Onboard this machine with this offer?"):
            warn("not onboarded: cancelled")
            return 1
    metadata = controller.onboard(capacity, base_revision=base)
    print_metadata(metadata, args.json, "Onboarded", capacity)
    return 0


def cmd_resource_config(args: argparse.Namespace) -> int:
    """Change only the parts of the offer given; the merge with the stored offer happens
    inside the store's lock, so two runs at once changing different fields both stick."""
    _note_ignored(args)
    controller = make_controller(args, log=True)
    changes = {
        name: getattr(args, name) for name in _FIELDS if getattr(args, name, None) is not None
    }
    before = controller.revision()
    metadata = controller.change_offer(changes)
    offer = controller.current_offer()
    if offer is not None:
        print_warnings(controller, offer)
    # A change that would write what is stored writes nothing (no revision, no history).
    changed = controller.revision() != before
    title = "Resource configuration changed" if changed else "No change: the offer is already so"
    print_metadata(metadata, args.json, title, offer)
    return 0
