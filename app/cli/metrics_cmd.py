"""metrics: the node's onboarding in Prometheus's text format, for the monitoring a fleet runs.

A provider with many nodes already runs Prometheus and node_exporter; its textfile
collector reads ``*.prom`` files from one directory, so ``metrics --textfile DIR``
writing ``DIR/nunet_onboard.prom`` on a timer puts every node's offer and health on
the same dashboards and alerts as the rest of the machine. The format is written by
the Python client library (prometheus-client), which is imported here only: ``status``
never loads it.

Names follow Prometheus's rules: base units (hertz, bytes, seconds), ``_info`` for
the series that only carries labels, no unit in a label. A state that cannot be read
is a problem counted in ``nunet_onboard_problems``, never a failed scrape: the command
exits 0 whenever it printed or wrote the metrics.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from app.cli.exits import EXIT_OK, UsageError

if TYPE_CHECKING:  # the parser imports this module to build its table: the rest comes later
    import argparse

    from prometheus_client import CollectorRegistry

    from app.onboarding.reader import StateReader
    from app.onboarding.status import OnboardingStatus

PREFIX = "nunet_onboard"
TEXTFILE_NAME = f"{PREFIX}.prom"
"""node_exporter's textfile collector reads only files whose names end in ``.prom``."""
SETTING_PROBLEM = "setting"
"""The kind counted for a bad setting (a config file or variable that status warned about)."""

HERTZ_PER_MHZ = 1_000_000
BYTES_PER_MB = 1024**2  # DMS's MB is bytes / 1024 / 1024
BYTES_PER_GB = 1024**3  # the offer's disk GB is bytes / 1024**3


def register(sub: Any) -> None:
    from app.cli.command_table import common_options, handler

    p = sub.add_parser(
        "metrics",
        parents=[common_options(json=False)],
        help="the node's onboarding as Prometheus metrics",
        description="Print the node's onboarding (whether it is onboarded, what it offers, "
        "the machine's totals, the problems found) in Prometheus's text format; with "
        "--textfile, write them for node_exporter's textfile collector instead.",
    )
    p.add_argument(
        "--textfile",
        metavar="DIR",
        help=f"write DIR/{TEXTFILE_NAME} atomically (node_exporter's "
        "--collector.textfile.directory) instead of printing",
    )
    p.set_defaults(handler=handler("app.cli.metrics_cmd", "cmd_metrics"))


def cmd_metrics(args: argparse.Namespace) -> int:
    from app.cli.session import light_session

    directory = _textfile_dir(args.textfile) if args.textfile else None
    reader, bad_settings = light_session(args)
    registry = build_registry(reader, bad_settings=bad_settings)
    if directory is None:
        from prometheus_client import generate_latest

        sys.stdout.write(generate_latest(registry).decode("utf-8"))
        return EXIT_OK
    from prometheus_client import write_to_textfile

    target = os.path.join(directory, TEXTFILE_NAME)
    try:  # a temporary file in DIR, then a rename: the collector never reads half a file
        write_to_textfile(target, registry)
    except OSError as exc:
        raise UsageError(f"--textfile {directory}: cannot write {target}: {exc.strerror}") from None
    return EXIT_OK


def _textfile_dir(directory: str) -> str:
    """The directory given to ``--textfile``, checked before anything is read."""
    if not os.path.isdir(directory):
        raise UsageError(
            f"--textfile {directory}: not a directory; give the directory that node_exporter's "
            "--collector.textfile.directory reads"
        )
    return directory


def build_registry(reader: StateReader, *, bad_settings: bool = False) -> CollectorRegistry:
    """Every metric of this node, read once, in a registry of their own."""
    from prometheus_client import CollectorRegistry, Gauge, Info

    from app.cli.parse_argv import version
    from app.onboarding.status import PROBLEM_KINDS

    registry = CollectorRegistry(auto_describe=True)

    def gauge(name: str, text: str, value: float) -> None:
        Gauge(f"{PREFIX}_{name}", text, registry=registry).set(value)

    status = reader.status()
    offer, history = _offer_and_history(reader, status)
    gauge(
        "onboarded", "1 when the node is onboarded (metadata and node identity).", status.onboarded
    )
    gauge("available", "1 when the onboarded node is available to jobs.", status.is_available)
    if offer is not None:
        _offer_gauges(gauge, offer)
    _machine_gauges(gauge, reader)
    problems = Gauge(
        f"{PREFIX}_problems",
        "Problems that status finds, by kind (setting: a bad configuration value).",
        ["kind"],
        registry=registry,
    )
    counted = {kind: 0 for kind in (*PROBLEM_KINDS, SETTING_PROBLEM)}
    for problem in status.problems:
        counted[problem.kind] = counted.get(problem.kind, 0) + 1
    counted[SETTING_PROBLEM] += int(bad_settings)
    for kind, count in counted.items():
        problems.labels(kind=kind).set(count)
    changed = _last_change(history)
    if changed is not None:
        gauge("last_change_timestamp_seconds", "When the state last changed (Unix time).", changed)
    Info(PREFIX, "The node's channel, node id and this tool's version.", registry=registry).info(
        {"channel": status.channel or "", "node_id": status.node_id or "", "version": version()}
    )
    return registry


def _offer_and_history(
    reader: StateReader, status: OnboardingStatus
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The stored offer (when onboarded) and the history; nothing when the state is unreadable
    (status has already counted that as a problem)."""
    from app.onboarding.errors import StateError

    try:
        state = reader.store.read()
    except StateError:
        return None, []
    offer = state.get("offer") if status.onboarded else None
    return offer, list(state.get("history") or [])


def _offer_gauges(gauge: Any, offer: dict[str, Any]) -> None:
    gauge("offer_cpu_hertz", "CPU offered to NuNet.", int(offer.get("cpu", 0)) * HERTZ_PER_MHZ)
    gauge(
        "offer_memory_bytes", "Memory offered to NuNet.", int(offer.get("memory", 0)) * BYTES_PER_MB
    )
    gauge("offer_disk_bytes", "Disk offered to NuNet.", int(offer.get("disk", 0)) * BYTES_PER_GB)
    gauge("offer_gpus", "GPUs offered to NuNet.", len(offer.get("gpus") or ()))
    gauge("offer_price_ntx_per_minute", "The price asked, in NTX per minute.", offer["ntx_price"])


def _machine_gauges(gauge: Any, reader: StateReader) -> None:
    """The machine's usable totals (a container's limits applied), read as status reads them:
    without the GPU tools, which may take seconds."""
    from app.onboarding.rules import whole_mhz

    machine = reader.fit_machine()
    # Whole MHz, as people are shown it (the float total of the clocks is DMS's, for its bounds).
    cpu_hertz = whole_mhz(machine.usable_cpu_mhz) * HERTZ_PER_MHZ
    gauge("machine_cpu_hertz", "The machine's usable CPU.", cpu_hertz)
    gauge("machine_cores", "The machine's usable cores.", machine.usable_cores)
    gauge(
        "machine_memory_bytes",
        "The machine's usable memory.",
        machine.usable_memory_mb * BYTES_PER_MB,
    )
    gauge(
        "machine_disk_free_bytes",
        "Free space of the data partition.",
        machine.disk.free_gb * BYTES_PER_GB,
    )


def _last_change(history: list[dict[str, Any]]) -> float | None:
    """The time of the newest history entry, or None when there is none (or it is unreadable)."""
    from datetime import datetime

    for entry in reversed(history):
        try:
            return datetime.fromisoformat(str(entry.get("time"))).timestamp()
        except ValueError:
            continue
    return None
