"""How the command line speaks: aligned tables for people, JSON for scripts, one-line errors."""

from __future__ import annotations

import json
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any

PROG = "nunet-onboard"


class _QuietStdout:
    """stdout that, once its reader has gone (``| head -1``), drops the rest quietly.

    The command then runs to its end and exits with its own code (a script with
    ``pipefail`` still learns whether ``status --check`` passed); nothing prints
    "Broken pipe" or a traceback, at exit either, because fd 1 is pointed at
    /dev/null as soon as the pipe is found closed.
    """

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.broken = False

    def _drop(self) -> None:
        self.broken = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._inner.fileno())
            os.close(devnull)
        except (OSError, ValueError):
            pass

    def write(self, text: str) -> int:
        if not self.broken:
            try:
                return int(self._inner.write(text))
            except BrokenPipeError:
                self._drop()
        return len(text)

    def flush(self) -> None:
        if not self.broken:
            try:
                self._inner.flush()
            except BrokenPipeError:
                self._drop()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def guard_stdout() -> None:
    """Install the quiet stdout (once)."""
    if not isinstance(sys.stdout, _QuietStdout) and sys.stdout is not None:
        sys.stdout = _QuietStdout(sys.stdout)


def when(timestamp: int) -> str:
    from datetime import UTC, datetime

    moment = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"{moment} ({timestamp})"


def print_metadata(metadata: Any, as_json: bool, title: str, offer: Any | None = None) -> None:
    """DMS's Metadata: its JSON for scripts, labelled rows with units for people. With the
    ``offer``, its two switches that DMS's metadata does not hold follow (availability
    and server mode), so that ``resource-config -u`` shows what it changed."""
    from app.onboarding.units import decimal_text  # not at the top: status loads this module

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
            ("GPUs of the machine", ", ".join(g.name for g in metadata.gpu_info) or "none"),
            ("Cardano", "yes" if metadata.allow_cardano else "no"),
            ("NTX price", f"{decimal_text(metadata.ntx_price)} NTX/min"),
            *(
                []
                if offer is None
                else [
                    ("Available to jobs", "yes" if offer.is_available else "no"),
                    ("Server mode", "yes" if offer.server_mode else "no"),
                ]
            ),
            ("Updated", when(metadata.update_timestamp)),
        ],
        title=title,
    )


def print_json(data: Any) -> None:
    """The document in one write: ``json.dump`` would write each of its hundreds of
    pieces through the stdout guard (and, unbuffered, as a system call each)."""
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")


def print_pairs(pairs: Iterable[tuple[str, Any]], title: str | None = None) -> None:
    """A two-column table: a label and its value."""
    rows = [(label, "-" if value is None or value == "" else str(value)) for label, value in pairs]
    if title:
        print(title)
    width = max((len(label) for label, _ in rows), default=0)
    for label, value in rows:
        print(f"  {label.ljust(width)}  {value}")


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    cells = [
        [str(h) for h in headers],
        *[["-" if c is None else str(c) for c in row] for row in rows],
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def error(message: str) -> None:
    """One line on stderr: what was wrong and what is allowed."""
    flat = " ".join(str(message).split())
    print(f"{PROG}: error: {flat}", file=sys.stderr)


def warn(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr)
