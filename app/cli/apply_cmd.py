"""``nunet-onboard apply FILE|-``: converge this node to a declarative offer.

The fleet command: Ansible's ``nunet.onboard.offer`` module runs it on every node
with ``--json``. Exit codes: 0 the node is as the file says (changed or not), 1 a
rule or the state refuses it, 2 the file (or the command line) is wrong.

Planning uses the light controller (no pydantic-settings, no log file) so that a
re-run that changes nothing costs about what ``status`` does; only when something
is to be written are the settings and the log file loaded, and the plan made
again from the state as it is then, so what is written is what was planned.
"""

from __future__ import annotations

import sys

from app.cli.exits import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, UsageError
from app.cli.output import PROG, error, print_json, print_pairs, warn
from app.cli.session import at_terminal, make_controller
from app.onboarding.offer_fields import FIELDS

TYPE_CHECKING = False
if TYPE_CHECKING:  # a fleet runs apply on every node: it loads no typing, argparse or pathlib
    import argparse
    from typing import Any

    from app.onboarding.offer_file import Target
    from app.onboarding.plan import Plan


def register(sub: Any) -> None:
    """Add ``apply`` to the ``nunet-onboard`` subcommands."""
    from app.cli.command_table import common_options  # --json, --state-dir, -v as every command

    p = sub.add_parser(
        "apply",
        parents=[common_options()],
        help="converge this node to a declarative offer (TOML or JSON; for fleets)",
        description=(
            "Read a declarative offer (TOML, or JSON) and do only what is needed for this node "
            "to match it: onboard, resource-config, offboard, or nothing. cpu, memory and disk "
            'may be percentages of this machine\'s usable total ("60%"). Never makes a wallet.'
        ),
        epilog="Exit codes: 0 the node is as the file says, 1 refused by a rule or the state, 2 bad file.",
    )
    p.add_argument("file", metavar="FILE", help="the offer file, or - to read it from stdin")
    p.add_argument(
        "--check", action="store_true", help="plan only: say what would change, write nothing"
    )
    p.set_defaults(handler=cmd_apply)


def cmd_apply(args: argparse.Namespace) -> int:
    from app.onboarding.errors import OnboardError

    try:
        target = _read_target(args.file)
        # The settings (not the light controller) so that the GPU probe honours
        # gpu_timeout_s; one controller, so that a change does not probe again.
        # A check writes nothing, not even the log.
        controller = make_controller(args, log=not args.check)
        plan = controller.apply(target, check=args.check)
    except UsageError as exc:
        error(str(exc))
        return EXIT_USAGE
    except OnboardError as exc:
        error(str(exc))
        return EXIT_REFUSED
    _report(plan, args)
    return EXIT_OK


def _read_target(file: str) -> Target:
    from app.onboarding.offer_file import MAX_FILE_BYTES, TargetError, load_target
    from app.safe_read import Refused, TooLarge, read_file, read_stream
    from app.shown import shown_path

    name = "stdin" if file == "-" else shown_path(file)
    if file == "-":
        _check_stdin()
    try:
        if file == "-":
            raw = read_stream(sys.stdin.buffer, MAX_FILE_BYTES, what="stdin")
        else:  # a FIFO or a device is refused, not waited on or read for ever
            raw = read_file(file, MAX_FILE_BYTES, what="the offer file", shown=name, follow=True)
    except TooLarge as exc:
        raise UsageError(f"{exc}; an offer is a few lines") from None
    except Refused as exc:  # a FIFO, a device, a directory
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot read {name}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{name} is not UTF-8 text (byte {exc.start})") from None
    try:
        return load_target(text, name=name)
    except TargetError as exc:
        raise UsageError(str(exc)) from None


STDIN_HINT = f"give the offer on stdin ({PROG} apply - < offer.toml) or as a FILE"


def _check_stdin() -> None:
    """``-`` reads stdin to its end: refuse at once when there is nothing to read
    (``<&-`` leaves ``sys.stdin`` None). At a terminal the read would wait, saying
    nothing; a person may mean to paste an offer there, so it is read, after a line
    that says how to end it (or to give a FILE)."""
    if sys.stdin is None:
        raise UsageError(f"stdin is closed; {STDIN_HINT}")
    if at_terminal():
        warn(
            "reading the offer from the terminal: type or paste it, then Ctrl-D on a line "
            f"of its own (Ctrl-C to stop; {PROG} apply FILE reads a file)"
        )


def _report(plan: Plan, args: argparse.Namespace) -> None:
    if args.json:
        print_json(plan.to_dict())
        return
    for note in plan.warnings:
        warn(f"warning: {note}")
    if not plan.changed:
        print("No change: this node is as the file says.")
        return
    print(f"Would {plan.action}:" if args.check else f"Applied: {plan.action}")
    keys = sorted(set(plan.before) | set(plan.after), key=lambda k: FILE_KEYS.get(k, k))
    rows = [
        (FILE_KEYS.get(key, key), f"{_value(plan.before, key)} -> {_value(plan.after, key)}")
        for key in keys
        if plan.before.get(key) != plan.after.get(key)
    ]
    if rows:
        print_pairs(rows)


FILE_KEYS = {f.name: f.file_key for f in FIELDS if f.file_key}
"""The stored offer's names that the offer file spells otherwise: a person reads the
plan in the words of the file they wrote (``--json`` keeps the stored names)."""


def _value(offer: dict[str, Any], key: str) -> str:
    """As the file writes it: ``true``, ``0, 1``; ``-`` for absent, ``none`` for no GPU."""
    if key not in offer:
        return "-"
    value = offer[key]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value)) or "none"
    if value is None:
        return "-"
    return str(value)
