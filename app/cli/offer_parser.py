"""The offer's flags for ``onboard`` and ``resource-config``: one table, two commands.

DMS's spellings (``-n/--nunet-channel``, ``-C``, ``-u``, ``-l``, ``-p``) sit beside
ours so that a DMS-era script runs unchanged. Each field's flags, help and value name
are its row's in ``app.onboarding.offer_fields``: a new field is a new row, not a new
flag here. Values are parsed by ``app.cli.args`` (ASCII numbers and sizes only), so a
bad value is a usage error naming the flag.
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli import args as types
from app.cli.command_table import common_options, handler
from app.onboarding.offer_fields import READING_ORDER, OfferField


def _offer_args(p: argparse.ArgumentParser, *, onboard: bool) -> None:
    """The offer's flags, one per field of the table, in a person's reading order. For
    onboard, the required fields' flags are required and the others say their default;
    for resource-config every flag is optional and what is not given stays as it is."""
    keep = "" if onboard else "; kept when not given"
    for field in READING_ORDER:
        if field.name == "is_available":
            _availability_args(p, field, onboard=onboard, keep=keep)
            continue
        value: dict[str, Any] = {"type": types.value_type(field), "metavar": field.metavar}
        if field.kind == "flag":  # pflag's bool: -C, -C=false, --cardano=true
            value = {"type": types.flag_bool, "nargs": "?", "const": True, "metavar": "BOOL"}
        p.add_argument(
            *field.flags,
            dest=field.name,
            required=onboard and field.required,
            help=_help(field, onboard=onboard, keep=keep),
            **value,
        )
    _dms_args(p, onboard=onboard)


def _help(field: OfferField, *, onboard: bool, keep: str) -> str:
    """The row's help, escaped for argparse; onboard's optional amounts say their default."""
    text = field.help.replace("%", "%%")
    if onboard and not field.required and field.kind in ("whole", "number"):
        return f"{text} (default {field.show(field.default).split()[0]})"
    return text + keep


def _availability_args(
    p: argparse.ArgumentParser, field: OfferField, *, onboard: bool, keep: str
) -> None:
    """DMS's -u/--unavailable and our --available: one field, two ways to set it."""
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        *field.flags[:-1],
        dest=field.name,
        action="store_const",
        const=False,
        help=field.help + keep,
    )
    group.add_argument(
        field.flags[-1],
        dest=field.name,
        action="store_const",
        const=True,
        help="take jobs" + (" (the default)" if onboard else " again" + keep),
    )


def _dms_args(p: argparse.ArgumentParser, *, onboard: bool) -> None:
    """DMS's plugin flag (accepted and ignored) and --yes."""
    p.add_argument(
        "-p",
        "--plugin",
        action="append",
        metavar="NAME",
        help="DMS's plugin flag: accepted and ignored",
    )
    p.add_argument(
        "-y",
        "--yes",
        action="store_true",
        help="do not ask for confirmation"
        if onboard
        else "accepted, as by every write: nothing is asked",
    )


def register(sub: Any) -> None:
    """``onboard`` and ``resource-config``: one table of flags, required or kept."""
    p = sub.add_parser(
        "onboard",
        parents=[common_options()],
        help="offer this machine's resources to NuNet",
        description="Onboard this machine. Every rule is checked first; nothing is written on "
        "failure. DMS's flags work unchanged.",
    )
    _offer_args(p, onboard=True)
    p.set_defaults(handler=handler("app.cli.offer_cmds", "cmd_onboard"))
    p.pflag_grammar = True

    p = sub.add_parser(
        "resource-config",
        parents=[common_options()],
        help="change the onboarded offer",
        description="Change any part of the onboarded offer; what is not given stays as it is.",
    )
    _offer_args(p, onboard=False)
    p.set_defaults(handler=handler("app.cli.offer_cmds", "cmd_resource_config"))
    p.pflag_grammar = True
