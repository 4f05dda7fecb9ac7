"""offboard: remove the onboarding, after saying what goes and what stays."""

from __future__ import annotations

import argparse

from app.cli.exits import UsageError
from app.cli.output import print_json, warn
from app.cli.session import at_terminal, confirm, make_controller


def cmd_offboard(args: argparse.Namespace) -> int:
    controller = make_controller(args, log=True)
    base = None  # the revision of the plan the user confirms: a change meanwhile refuses
    if not args.yes and not args.force:
        from app.onboarding.errors import OnboardError

        try:
            base = controller.revision()
        except OnboardError:
            base = None  # unreadable: offboard says why
    plan = controller.offboard_plan()
    if not args.yes:
        if not at_terminal():
            raise UsageError(
                "offboard removes the onboarding; confirm with --yes (no terminal to ask on)"
            )
        print("Offboarding will remove:")
        for item in plan.remove or ("nothing (not onboarded)",):
            print(f"  - {item}")
        print("and keep:")
        for item in plan.keep:
            print(f"  - {item}")
        if not confirm("Offboard this machine?"):
            warn("not offboarded: cancelled")
            return 1
    result = controller.offboard(force=args.force, base_revision=base)
    if args.json:
        print_json({"removed": result.removed, "kept": result.kept, "failed": result.failed})
    else:
        print("Offboarded." if not result.failed else "Offboarded, with problems:")
        for item in result.removed:
            print(f"  removed: {item}")
        for item in result.kept:
            print(f"  kept: {item}")
        for item in result.failed:
            print(f"  failed: {item}")
    return 1 if result.failed else 0
