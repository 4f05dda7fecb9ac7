"""status and info: what is onboarded, and what is wrong with it."""

from __future__ import annotations

from app.cli.output import print_json, print_metadata, print_pairs
from app.cli.session import light_controller, light_session

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse

    from app.onboarding.reader import StateReader


def cmd_status(args: argparse.Namespace) -> int:
    """DMS's status plus problems; with ``--check``, the exit code says whether all is well
    (a bad setting, warned about on stderr, fails it too: the commands that write refuse it)."""
    controller, bad_settings = light_session(args)
    status = controller.status()
    failing = args.check and (not status.onboarded or bool(status.problems) or bad_settings)
    if args.json:
        print_json(status.to_dict())
        return 1 if failing else 0
    print_pairs(
        [
            ("Onboarded", "yes" if status.onboarded else "no"),
            ("Available to jobs", "yes" if status.is_available else "no"),
            ("Channel", status.channel),
            ("Node id", status.node_id),
            ("Payment address", status.payment_addr),
            (
                "Reserved",
                None
                if status.reserved_cpu is None
                else f"{status.reserved_cpu} MHz, {status.reserved_memory} MB",
            ),
            ("Machine UUID", status.machine_uuid),
            *([("Last change", change)] if (change := last_change(controller)) else []),
            ("State file", status.database_path),
            ("Metadata file", status.metadata_path),
        ],
        title="Onboarding status",
    )
    for problem in status.problems:
        print(f"  problem: {problem.message}\n    fix: {problem.fix}")
    for note in status.notes:
        print(f"  note: {note}")
    return 1 if failing else 0


def last_change(reader: StateReader) -> str | None:
    """The newest history entry: what was done, and what it changed (only what changed)."""
    try:
        history = reader.history()
    except Exception:  # noqa: BLE001 - an unreadable state is a problem status reports already
        return None
    if not history:
        return None
    entry = history[-1]
    detail = f": {entry['detail']}" if entry.get("detail") else ""
    return f"{entry.get('action')}{detail} ({str(entry.get('time', ''))[:19]})"


def cmd_info(args: argparse.Namespace) -> int:
    controller = light_controller(args)
    print_metadata(controller.get_metadata(), args.json, "Metadata")
    return 0
