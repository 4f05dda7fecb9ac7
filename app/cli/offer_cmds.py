"""onboard and resource-config: an offer from the flags, checked, warned about, written.

Rule breaks are raised as ``RuleViolation`` and worded by the top level with the
flag the user typed; warnings (accepted, but worth a second look) go to stderr
here, before anything is asked or written.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from app.cli.args import FIELD_FLAGS, flag_for
from app.cli.exits import UsageError
from app.cli.output import print_metadata, print_pairs, warn
from app.cli.session import at_terminal, confirm, make_controller

if TYPE_CHECKING:
    from app.onboarding.errors import Problem
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
        from app.onboarding.offer_fields import refused_values

        first = refused_values(exc.errors())[0]
        raise UsageError(first.said_as(flag_for(first.field))) from None


def _note_ignored(args: argparse.Namespace) -> None:
    if getattr(args, "plugin", None):
        warn(
            "note: -p/--plugin is accepted for DMS compatibility and ignored "
            "(plugins are not part of onboarding)"
        )


def print_warnings(warnings: Iterable[Problem]) -> None:
    """Each warning on stderr, naming the flag: the offer is accepted as it is."""
    for problem in warnings:
        warn(f"warning: {problem.said_as(flag_for(problem.field))}")


def _show_offer(capacity: CapacityForNunet) -> None:
    """Every field of the offer, in a person's reading order, as the table shows it."""
    from app.onboarding.offer_fields import READING_ORDER

    print_pairs(
        [(f.words, f.show(getattr(capacity, f.name))) for f in READING_ORDER],
        title="This will be onboarded:",
    )


def cmd_onboard(args: argparse.Namespace) -> int:
    _note_ignored(args)
    controller = make_controller(args, log=True)
    capacity = capacity_from_args(args)
    ask = not args.yes and at_terminal() and not args.json
    # One read of the state: refused before warning or asking (nobody should weigh an
    # offer that cannot be onboarded); the commit checks again under the lock.
    prepared = controller.prepare(capacity, "onboard")
    prepared.refuse()
    print_warnings(prepared.warnings)
    if ask:
        _show_offer(capacity)
        if not confirm("Onboard this machine with this offer?"):
            warn("not onboarded: cancelled")
            return 1
    # The revision the user looked at, when asked: a change made meanwhile refuses.
    base = prepared.revision if ask else None
    metadata = controller.onboard(capacity, base_revision=base, prepared=prepared)
    print_metadata(metadata, args.json, "Onboarded", capacity)
    return 0


def cmd_resource_config(args: argparse.Namespace) -> int:
    """Change only the parts of the offer given; the merge with the stored offer happens
    inside the store's lock, so two runs at once changing different fields both stick.
    Nothing is asked (``--yes`` is taken, as by every write, and changes nothing)."""
    _note_ignored(args)
    controller = make_controller(args, log=True)
    changes = {
        name: getattr(args, name) for name in _FIELDS if getattr(args, name, None) is not None
    }
    prepared = controller.prepare_change(changes)
    prepared.refuse()
    print_warnings(prepared.warnings)
    metadata = controller.change_offer(changes, prepared=prepared)
    offer = controller.current_offer()
    # A change that would write what is stored writes nothing (no revision, no history).
    changed = controller.revision() != prepared.revision
    title = "Resource configuration changed" if changed else "No change: the offer is already so"
    print_metadata(metadata, args.json, title, offer)
    return 0
