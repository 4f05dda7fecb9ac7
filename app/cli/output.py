"""How the command line speaks: aligned tables for people, JSON for scripts, one-line errors."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

PROG = "nunet-onboard"


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, default=str)
    sys.stdout.write("\n")


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
