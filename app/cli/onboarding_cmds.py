"""capacity, onboard, resource-config, status, info and offboard."""

from __future__ import annotations

import argparse
import math
import sys
from typing import TYPE_CHECKING, Any

from app.cli.output import print_json, print_pairs, warn

if TYPE_CHECKING:
    from app.hardware import MachineInfo
    from app.onboarding.controller import OnboardingController
    from app.onboarding.models import CapacityForNunet

Sub = "argparse._SubParsersAction[argparse.ArgumentParser]"


class UsageError(Exception):
    """Bad usage (exit code 2): a value of the wrong form or a missing confirmation."""


# -- argument types ----------------------------------------------------------
def non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative; 0 or more is allowed")
    return value


def non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"{text} is not allowed; a number of 0 or more is")
    return value


def gpu_list(text: str) -> tuple[int, ...]:
    if not text.strip():
        return ()
    try:
        indices = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a list of GPU indices; write e.g. 0 or 0,1"
        ) from None
    if any(i < 0 for i in indices):
        raise argparse.ArgumentTypeError("GPU indices are 0 or more")
    return indices


# -- shared helpers ------------------------------------------------------------
def make_controller(args: argparse.Namespace, *, log: bool = False) -> OnboardingController:
    """The controller for the chosen state directory, with settings and logging loaded."""
    from app.config import ConfigError, load_settings
    from app.logs import configure_logging
    from app.onboarding.controller import OnboardingController

    try:
        settings = load_settings(getattr(args, "state_dir", None))
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    controller = OnboardingController(settings.state_dir, gpu_timeout_s=settings.gpu_timeout_s)
    if log:
        configure_logging(
            controller.log_path,
            verbose=getattr(args, "verbose", False),
            level=settings.log_level,
            max_bytes=settings.log_max_bytes,
            backups=settings.log_backups,
        )
    return controller


def light_controller(args: argparse.Namespace) -> OnboardingController:
    """For read-only commands on the fast path: no pydantic-settings, no log file."""
    from app.onboarding.controller import OnboardingController
    from app.paths import resolve_state_dir

    try:
        state_dir = resolve_state_dir(getattr(args, "state_dir", None))
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return OnboardingController(state_dir)


def confirm(question: str) -> bool:
    """Ask on the terminal; False when there is none to ask."""
    if not sys.stdin.isatty():
        return False
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def _warn_unchecked(controller: OnboardingController, address: str) -> None:
    """A wallet made here whose backup was never checked is a warning, not a refusal."""
    note = controller.unchecked_address_warning(address)
    if note:
        warn(f"warning: {note}")


def _gpus_line(m: MachineInfo) -> str:
    if m.gpus.devices:
        return ", ".join(f"{g.index}: {g.name} ({g.total_vram_mb} MiB)" for g in m.gpus.devices)
    reasons = "; ".join(m.gpus.problems)
    return f"none ({reasons})" if reasons else "none"


def _when(timestamp: int) -> str:
    from datetime import UTC, datetime

    moment = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"{moment} ({timestamp})"


_UNITS = {
    "cpu": "MHz",
    "memory": "MB",
    "tot_cpu_hz": "MHz",
    "cpu_hz": "MHz",
    "ram": "MB",
    "disk": "GB",
    "ntx_price": "NTX/min",
}


def _mb(value: int) -> str:
    return f"{value} MB ({value / 1024:.1f} GiB)"


# -- capacity ----------------------------------------------------------------------
def cmd_capacity(args: argparse.Namespace) -> int:
    controller = light_controller(args)
    which = "available" if args.available else "onboarded" if args.onboarded else "full"
    if which == "full":
        m = controller.machine()
        data: dict[str, Any] = {
            "cpu": m.usable_cpu_mhz,
            "memory": m.usable_memory_mb,
            "total_cores": m.usable_cores,
        }
        if args.json:
            data.update(
                disk_free_gb=m.disk.free_gb,
                gpus=[
                    {"index": g.index, "name": g.name, "tot_vram": g.total_vram_mb}
                    for g in m.gpus.devices
                ],
            )
            print_json(data)
            return 0
        limits = controller.limits(m)
        print_pairs(
            [
                (
                    "CPU",
                    f"{m.usable_cpu_mhz} MHz ({m.usable_cores} cores x {m.cpu.mhz_per_core:.0f} MHz)",
                ),
                ("CPU you can offer", f"{limits.cpu_min}-{limits.cpu_max} MHz"),
                ("Memory", _mb(m.usable_memory_mb)),
                ("Memory you can offer", f"{limits.memory_min}-{limits.memory_max} MB"),
                ("Disk free", f"{m.disk.free_gb} GB of {m.disk.total_gb} GB ({m.disk.path})"),
                ("GPUs", _gpus_line(m)),
                *([("Container limits", "apply")] if m.limits.any else []),
            ],
            title="Machine capacity (Provisioned)",
        )
        for problem in m.problems:
            warn(f"note: {problem}")
        return 0
    if which == "available":
        resources = controller.available_resources()
        payload = None if resources is None else resources.model_dump()
    else:
        metadata = controller.get_metadata() if controller.is_onboarded() else None
        payload = (
            None
            if metadata is None
            else {
                "cpu": metadata.reserved.cpu,
                "memory": metadata.reserved.memory,
            }
        )
    if payload is None:
        from app.onboarding.errors import NotOnboarded

        raise NotOnboarded(f"showing the {which} capacity")
    if args.json:
        print_json(payload)
    else:
        print_pairs(
            ((k, f"{v} {_UNITS[k]}" if k in _UNITS else v) for k, v in payload.items()),
            title=f"{which.capitalize()} capacity",
        )
    return 0


# -- onboard and resource-config -----------------------------------------------------
def _capacity_from_args(
    args: argparse.Namespace, base: CapacityForNunet | None = None
) -> CapacityForNunet:
    from pydantic import ValidationError

    from app.onboarding.models import CapacityForNunet

    fields: dict[str, Any] = {} if base is None else base.model_dump()
    fields.update(cpu=args.cpu, memory=args.memory)
    for name in ("channel", "payment_addr", "disk", "gpus", "cores"):
        value = getattr(args, name, None)
        if value is not None:
            fields[name] = value
    if args.ntx_price is not None:
        fields["ntx_price"] = args.ntx_price
    if getattr(args, "cardano", False):
        fields["cardano"] = True
    if getattr(args, "unavailable", False):
        fields["is_available"] = False
    elif base is None:
        fields["is_available"] = True
    try:
        return CapacityForNunet(**fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise UsageError(f"{'.'.join(map(str, first['loc']))}: {first['msg']}") from None


def _print_metadata(metadata: Any, as_json: bool, title: str) -> None:
    if as_json:
        print_json(metadata.model_dump(mode="json"))
        return
    print_pairs(
        [
            ("Name", metadata.name),
            ("Node id", metadata.node_id),
            ("Channel", metadata.network),
            ("Payment address", metadata.public_key),
            ("Reserved CPU", f"{metadata.reserved.cpu} MHz of {metadata.resource.cpu_max} MHz"),
            (
                "Reserved memory",
                f"{metadata.reserved.memory} MB of {metadata.resource.memory_max} MB",
            ),
            ("Left for the host", f"{metadata.available.cpu} MHz, {metadata.available.memory} MB"),
            ("Cores", metadata.resource.total_core),
            ("GPUs", ", ".join(g.name for g in metadata.gpu_info) or "none"),
            ("Cardano", "yes" if metadata.allow_cardano else "no"),
            ("NTX price", f"{metadata.ntx_price} NTX/min"),
            ("Updated", _when(metadata.update_timestamp)),
        ],
        title=title,
    )


def cmd_onboard(args: argparse.Namespace) -> int:
    from app.onboarding.errors import RuleViolation

    controller = make_controller(args, log=True)
    capacity = _capacity_from_args(args)
    _warn_unchecked(controller, capacity.payment_addr)
    base: int | None = None  # the revision the user looked at, when they are asked
    if not args.yes and sys.stdin.isatty() and not args.json:
        base = controller.revision()
        # Refuse before asking: nobody should confirm an offer that cannot be onboarded.
        # Without a question, controller.onboard makes these same checks itself.
        if controller.is_onboarded():
            from app.onboarding.errors import AlreadyOnboarded

            raise AlreadyOnboarded()
        problems = controller.validate(capacity)
        if problems:
            raise RuleViolation(problems)
        print_pairs(
            [
                ("CPU", f"{capacity.cpu} MHz"),
                ("Memory", f"{capacity.memory} MB"),
                ("Disk", f"{capacity.disk} GB"),
                ("GPUs", ",".join(map(str, capacity.gpus)) or "none"),
                ("Channel", capacity.channel),
                ("Payment address", capacity.payment_addr),
                ("NTX price", capacity.ntx_price),
                ("Cardano", capacity.cardano),
                ("Available", capacity.is_available),
            ],
            title="This will be onboarded:",
        )
        if not confirm("Onboard this machine with this offer?"):
            warn("not onboarded: cancelled")
            return 1
    metadata = controller.onboard(capacity, base_revision=base)
    _print_metadata(metadata, args.json, "Onboarded")
    return 0


def cmd_resource_config(args: argparse.Namespace) -> int:
    from app.onboarding.errors import NotOnboarded

    controller = make_controller(args, log=True)
    current = controller.current_offer()
    if current is None:  # controller.resource_config checks the rest (the identity)
        raise NotOnboarded("changing the resource configuration")
    capacity = _capacity_from_args(args, base=current)
    _warn_unchecked(controller, capacity.payment_addr)
    metadata = controller.resource_config(capacity)
    _print_metadata(metadata, args.json, "Resource configuration changed")
    return 0


# -- status and info -----------------------------------------------------------------
def cmd_status(args: argparse.Namespace) -> int:
    status = light_controller(args).status()
    if args.json:
        print_json(status.to_dict())
        return 0
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
            ("State file", status.database_path),
        ],
        title="Onboarding status",
    )
    for problem in status.problems:
        print(f"  problem: {problem.message}\n    fix: {problem.fix}")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    controller = light_controller(args)
    _print_metadata(controller.get_metadata(), args.json, "Metadata")
    return 0


# -- offboard ------------------------------------------------------------------------
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
        if not sys.stdin.isatty():
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


# -- registration --------------------------------------------------------------------
def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "capacity",
        parents=[common],
        help="the machine's capacity, or what is onboarded",
        description="Show the machine's total capacity (default), the available resources, or the onboarded offer.",
    )
    group = p.add_mutually_exclusive_group()
    group.add_argument("--full", action="store_true", help="the machine's usable total (default)")
    group.add_argument("--available", action="store_true", help="what the node offers to jobs")
    group.add_argument("--onboarded", action="store_true", help="what is reserved for NuNet")
    p.set_defaults(handler=cmd_capacity)

    def offer_args(p: argparse.ArgumentParser, *, full: bool) -> None:
        p.add_argument(
            "-c",
            "--cpu",
            type=non_negative_int,
            required=True,
            metavar="MHZ",
            help="CPU to offer, MHz (10-90 %% of the total)",
        )
        p.add_argument(
            "-m",
            "--memory",
            type=non_negative_int,
            required=True,
            metavar="MB",
            help="memory to offer, MB (10-90 %% of the total)",
        )
        p.add_argument(
            "-x",
            "--ntx-price",
            type=non_negative_float,
            metavar="NTX",
            help="price in NTX per minute (default 0)",
        )
        if not full:
            return
        p.add_argument(
            "-n",
            "--channel",
            required=True,
            metavar="NAME",
            help="nunet-staging, nunet-test, nunet-team or nunet-edge",
        )
        p.add_argument(
            "-a",
            "--address",
            dest="payment_addr",
            required=True,
            metavar="ADDRESS",
            help="payment address (Ethereum 0x... or Cardano addr1.../addr_test1...)",
        )
        p.add_argument(
            "--cardano",
            action="store_true",
            help="run a Cardano node (needs 10000 MB and 6000 MHz)",
        )
        p.add_argument(
            "--unavailable", action="store_true", help="onboard but do not take jobs yet"
        )
        p.add_argument("--disk", type=non_negative_int, metavar="GB", help="disk to offer, GB")
        p.add_argument(
            "--gpus", type=gpu_list, metavar="LIST", help="GPU indices to offer, e.g. 0,1"
        )
        p.add_argument(
            "--cores",
            type=non_negative_int,
            metavar="N",
            help="cores to offer (default: as many as the CPU share spans)",
        )
        p.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")

    p = sub.add_parser(
        "onboard",
        parents=[common],
        help="offer this machine's resources to NuNet",
        description="Onboard this machine. Every rule is checked first; nothing is written on failure.",
    )
    offer_args(p, full=True)
    p.set_defaults(handler=cmd_onboard)

    p = sub.add_parser(
        "resource-config",
        parents=[common],
        help="change the onboarded offer",
        description="Change the CPU, memory and price of an onboarded machine; the rest of the offer stays.",
    )
    offer_args(p, full=False)
    p.set_defaults(handler=cmd_resource_config)

    p = sub.add_parser("status", parents=[common], help="onboarding status and problems found")
    p.set_defaults(handler=cmd_status)

    p = sub.add_parser("info", parents=[common], help="the stored metadata (DMS MetadataV2)")
    p.set_defaults(handler=cmd_info)

    p = sub.add_parser(
        "offboard",
        parents=[common],
        help="remove the onboarding",
        description="Remove the offer, metadata, available resources and node identity. Wallet files are kept.",
    )
    p.add_argument(
        "--force", action="store_true", help="go on past errors (corrupt or inconsistent state)"
    )
    p.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(handler=cmd_offboard)
