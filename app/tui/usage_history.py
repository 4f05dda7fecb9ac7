"""The last minute of CPU and memory use, drawn as one-line sparklines.

Samples arrive every ``interval`` seconds (one a second by default); the last
``seconds`` of them are kept in a ring and drawn into as many columns as fit,
each column the highest sample of its slice, so a short spike is never lost.
One block glyph per column (``▁▂▃▄▅▆▇█``) in one style, not Textual's
Sparkline with a colour per cell: the line reads the same with ``NO_COLOR`` and
costs a few dozen bytes a second on the terminal instead of hundreds.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.hardware.model import Usage

HISTORY_S = 60
BLOCKS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float], width: int) -> str:
    """``values`` (0-100, oldest first) squeezed into ``width`` columns, right-aligned."""
    if width <= 0:
        return ""
    if not values:
        return " " * width
    columns: list[float] = []
    if len(values) <= width:
        columns = list(values)
    else:
        for i in range(width):
            start = i * len(values) // width
            end = max(start + 1, (i + 1) * len(values) // width)
            columns.append(max(values[start:end]))
    top = len(BLOCKS) - 1
    line = "".join(BLOCKS[min(top, max(0, round(v / 100 * top)))] for v in columns)
    return line.rjust(width)


class UsageHistory:
    """A ring of recent samples."""

    def __init__(self, *, seconds: float = HISTORY_S, interval: float = 1.0) -> None:
        size = max(2, min(600, round(seconds / max(interval, 0.01))))
        self.cpu: deque[float] = deque(maxlen=size)
        self.memory: deque[float] = deque(maxlen=size)

    def add(self, usage: Usage) -> None:
        self.cpu.append(max(0.0, min(100.0, usage.cpu_percent)))
        self.memory.append(max(0.0, min(100.0, usage.memory_percent)))

    def sparklines(self, width: int) -> tuple[str, str]:
        return sparkline(list(self.cpu), width), sparkline(list(self.memory), width)
