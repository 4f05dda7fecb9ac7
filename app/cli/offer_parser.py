"""The offer's flags for ``onboard`` and ``resource-config``: one table, two commands.

DMS's spellings (``-n/--nunet-channel``, ``-C``, ``-u``, ``-l``, ``-p``) sit beside
ours so that a DMS-era script runs unchanged; each field's flags are its row's in
``app.onboarding.offer_fields``, and only the help is written here. Values are parsed by ``app.cli.args``
(ASCII numbers and sizes only), so a bad value is a usage error naming the flag.
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli import args as types
from app.cli.args import FIELD_FLAGS as FLAGS
from app.cli.command_table import common_options, handler


def _offer_args(p: argparse.ArgumentParser, *, onboard: bool) -> None:
    """The offer's flags, in the order ``--help`` lists them. For onboard, cpu, memory,
    channel and address are required; for resource-config every flag is optional and
    what is not given stays as it is."""
    keep = "" if onboard else "; kept when not given"
    _share_args(p, onboard=onboard, keep=keep)
    _terms_args(p, onboard=onboard, keep=keep)
    _extra_args(p, onboard=onboard, keep=keep)


def _share_args(p: argparse.ArgumentParser, *, onboard: bool, keep: str) -> None:
    """CPU and memory: the two sizes every offer has."""
    p.add_argument(
        *FLAGS["cpu"],
        type=types.cpu_mhz,
        required=onboard,
        metavar="MHZ",
        help=f"CPU to offer: MHz (5200) or GHz (2.6GHz); 10-90 %% of the total{keep}",
    )
    p.add_argument(
        *FLAGS["memory"],
        type=types.memory_mb,
        required=onboard,
        metavar="SIZE",
        help=f"memory to offer: MB (8192) or a size (8GiB, 8GB); 10-90 %% of the total{keep}",
    )


def _terms_args(p: argparse.ArgumentParser, *, onboard: bool, keep: str) -> None:
    """Where the offer is listed and paid, and whether it takes jobs."""
    p.add_argument(
        *FLAGS["channel"],
        dest="channel",
        required=onboard,
        metavar="NAME",
        help=f"nunet-staging, nunet-test, nunet-team or nunet-edge{keep}",
    )
    p.add_argument(
        *FLAGS["payment_addr"],
        dest="payment_addr",
        required=onboard,
        metavar="ADDRESS",
        help=f"payment address: Ethereum 0x... or Cardano addr1.../addr_test1...{keep}",
    )
    p.add_argument(
        *FLAGS["ntx_price"],
        dest="ntx_price",
        type=types.price,
        metavar="NTX",
        help="price in NTX per minute" + (" (default 0)" if onboard else keep),
    )
    p.add_argument(
        *FLAGS["cardano"],
        type=types.flag_bool,
        nargs="?",
        const=True,
        metavar="BOOL",
        help="run a Cardano node (needs 10000 MB and 6000 MHz); --cardano=false to stop" + keep,
    )
    _availability_args(p, onboard=onboard, keep=keep)


def _availability_args(p: argparse.ArgumentParser, *, onboard: bool, keep: str) -> None:
    """Whether the node takes jobs, and DMS's server mode."""
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        *FLAGS["is_available"][:-1],
        dest="is_available",
        action="store_const",
        const=False,
        help="do not take jobs (e.g. for maintenance)" + keep,
    )
    group.add_argument(
        FLAGS["is_available"][-1],
        dest="is_available",
        action="store_const",
        const=True,
        help="take jobs" + (" (the default)" if onboard else " again" + keep),
    )
    p.add_argument(
        *FLAGS["server_mode"],
        dest="server_mode",
        type=types.flag_bool,
        nargs="?",
        const=True,
        metavar="BOOL",
        help="server mode, as DMS (default true; -l=false to turn off)" + keep,
    )


def _extra_args(p: argparse.ArgumentParser, *, onboard: bool, keep: str) -> None:
    """Disk, GPUs and cores (optional for both commands), DMS's plugin flag, --yes."""
    p.add_argument(
        *FLAGS["disk"],
        type=types.disk_gb,
        metavar="SIZE",
        help="disk to offer: GB (100) or a size (50GiB, 100GB)" + keep,
    )
    p.add_argument(
        *FLAGS["gpus"],
        type=types.gpu_list,
        metavar="LIST",
        help="GPU indices to offer, e.g. 0,1 ('' for none)" + keep,
    )
    p.add_argument(
        *FLAGS["cores"],
        type=types.whole,
        metavar="N",
        help="cores to offer (default: as many as the CPU share spans)" + keep,
    )
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
