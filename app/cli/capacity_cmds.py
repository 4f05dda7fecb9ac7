"""capacity: the machine's total and what may be offered, the available resources, or the offer."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from app.cli.output import print_json, print_pairs, warn
from app.cli.session import light_controller
from app.onboarding.units import decimal_text, mb_text

if TYPE_CHECKING:
    from app.hardware import MachineInfo
    from app.onboarding.controller import OnboardingController


def _gpus_line(m: MachineInfo) -> str:
    if m.gpus.devices:
        return ", ".join(f"{g.index}: {g.name} ({g.total_vram_mb} MiB)" for g in m.gpus.devices)
    reasons = "; ".join(m.gpus.problems)
    return f"none ({reasons})" if reasons else "none"


def _full(controller: OnboardingController, as_json: bool) -> dict[str, Any] | None:
    """The machine's usable total and what may be offered; the JSON, or None once shown."""
    m = controller.machine()
    limits = controller.limits(m)
    if as_json:
        return {
            "cpu": limits.cpu_whole,
            # The float total DMS's bounds are taken on (the clocks summed): 5192.28 MHz.
            "cpu_exact": m.usable_cpu_mhz,
            "memory": m.usable_memory_mb,
            "total_cores": m.usable_cores,
            "disk_free_gb": m.disk.free_gb,
            "gpus": [
                {"index": g.index, "name": g.name, "tot_vram": g.total_vram_mb}
                for g in m.gpus.devices
            ],
            # The same ranges the table shows, so a script need not redo DMS's arithmetic.
            "allowed": {
                "cpu": {"min": limits.cpu_min, "max": limits.cpu_max, "unit": "MHz"},
                "memory": {"min": limits.memory_min, "max": limits.memory_max, "unit": "MB"},
                "cores": {"min": 1, "max": limits.cores_total},
                "disk": {"min": 0, "max": limits.disk_free, "unit": "GB"},
                "gpus": list(limits.gpu_indices),
            },
        }
    print_pairs(
        [
            (
                "CPU",
                f"{limits.cpu_whole} MHz ({m.usable_cores} cores x {m.cpu.mhz_per_core:.0f} MHz)",
            ),
            ("CPU you can offer", f"{limits.cpu_min}-{limits.cpu_max} MHz"),
            ("Memory", mb_text(m.usable_memory_mb)),
            ("Memory you can offer", f"{limits.memory_min}-{limits.memory_max} MB"),
            ("Cores you can offer", f"1-{limits.cores_total}"),
            ("Disk free", f"{m.disk.free_gb} GB of {m.disk.total_gb} GB ({m.disk.path})"),
            ("Disk you can offer", f"0-{limits.disk_free} GB"),
            ("GPUs", _gpus_line(m)),
            *([("Container limits", "apply")] if m.limits.any else []),
        ],
        title="Machine capacity (Provisioned)",
    )
    for problem in m.problems:
        warn(f"note: {problem}")
    return None


# DMS's AvailableResources fields, as labelled rows with units.
_AVAILABLE_ROWS = (
    ("tot_cpu_hz", "CPU offered", "MHz"),
    ("cpu_no", "Cores", ""),
    ("cpu_hz", "Clock per core", "MHz"),
    ("vcpu", "Virtual CPUs", ""),
    ("ram", "Memory offered", "MB"),
    ("disk", "Disk offered", "GB"),
    ("ntx_price", "NTX price", "NTX/min"),
)


def _available(controller: OnboardingController, as_json: bool) -> dict[str, Any] | None:
    from app.onboarding.errors import NotOnboarded

    resources = controller.available_resources()
    if resources is None:
        raise NotOnboarded("showing the available capacity")
    data: dict[str, Any] = resources.model_dump()
    if as_json:
        return data
    print_pairs(
        (
            (
                label,
                f"{data[key]:g} {unit}".rstrip()
                if key == "cpu_hz"
                else f"{decimal_text(data[key])} {unit}"
                if key == "ntx_price"
                else f"{data[key]} {unit}".rstrip(),
            )
            for key, label, unit in _AVAILABLE_ROWS
        ),
        title="Available capacity (what the node offers to jobs)",
    )
    return None


def _onboarded(controller: OnboardingController, as_json: bool) -> dict[str, Any] | None:
    from app.onboarding.errors import NotOnboarded

    if not controller.is_onboarded():
        raise NotOnboarded("showing the onboarded capacity")
    metadata = controller.get_metadata()
    payload = {"cpu": metadata.reserved.cpu, "memory": metadata.reserved.memory}
    if as_json:
        return payload
    print_pairs(
        [("CPU", f"{payload['cpu']} MHz"), ("Memory", mb_text(payload["memory"]))],
        title="Onboarded capacity (reserved for NuNet)",
    )
    return None


# DMS's order when several are asked for (``capacity -fao``): full, onboarded, available.
_VIEWS = (("full", _full), ("onboarded", _onboarded), ("available", _available))


def cmd_capacity(args: argparse.Namespace) -> int:
    """One view, or several in DMS's order (``-f``, the default, ``-o``, ``-a``); with
    --json several are one object keyed by view, one is that view's object alone."""
    controller = light_controller(args)
    asked = [(name, show) for name, show in _VIEWS if getattr(args, name)] or [_VIEWS[0]]
    found: dict[str, Any] = {}
    for number, (name, show) in enumerate(asked):
        if number and not args.json:
            print()
        found[name] = show(controller, args.json)
    if args.json:
        print_json(found[asked[0][0]] if len(asked) == 1 else found)
    return 0
