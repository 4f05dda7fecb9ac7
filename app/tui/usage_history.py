"""The last minute of CPU, memory and each GPU's use, drawn as one-line sparklines.

Samples arrive every ``interval`` seconds (one a second by default); the last
``seconds`` of them are kept in a ring and drawn into as many columns as fit,
each column the highest sample of its slice, so a short spike is never lost.
One block glyph per column (``▁▂▃▄▅▆▇█``) in one style, not Textual's
Sparkline with a colour per cell: the line reads the same with ``NO_COLOR`` and
costs a few dozen bytes a second on the terminal instead of hundreds.

A GPU's ring starts with its first reading and is kept while the GPU is in the
samples; a sample without GPU figures (NVML not answering) drops them all, so a
history never joins two stretches across a gap it did not see.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.hardware.live import Usage

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
        self._size = size
        self.cpu: deque[float] = deque(maxlen=size)
        self.memory: deque[float] = deque(maxlen=size)
        self.gpus: dict[int, deque[float]] = {}
        """GPU index -> its utilisation samples, in index order."""

    def add(self, usage: Usage, *, cpu_busy: float | None = None) -> None:
        """One sample; ``cpu_busy`` (the load average's share of the cores, in %) is the
        CPU figure where the caller has it, so the line and the warnings agree."""
        self.cpu.append(_pct(usage.cpu_percent if cpu_busy is None else cpu_busy))
        self.memory.append(_pct(usage.memory_percent))
        seen: set[int] = set()
        for gpu in usage.gpus[:MAX_GPU_LINES]:
            if gpu.utilisation_pct is None:
                continue
            seen.add(gpu.index)
            ring = self.gpus.setdefault(gpu.index, deque(maxlen=self._size))
            ring.append(_pct(gpu.utilisation_pct))
        for index in [i for i in self.gpus if i not in seen]:
            del self.gpus[index]
        if list(self.gpus) != sorted(self.gpus):
            self.gpus = dict(sorted(self.gpus.items()))

    def sparklines(self, width: int) -> tuple[str, str]:
        return sparkline(list(self.cpu), width), sparkline(list(self.memory), width)

    def gpu_sparklines(self, width: int) -> dict[int, str]:
        """GPU index -> its sparkline, for every GPU in the latest sample."""
        return {index: sparkline(list(ring), width) for index, ring in self.gpus.items()}


MAX_GPU_LINES = 16
"""GPUs drawn at most: a line each, and a 64-GPU box would push everything else away."""


def _pct(value: float) -> float:
    """A percentage clamped to 0-100; NaN counts as 0."""
    return max(0.0, min(100.0, value)) if value == value else 0.0
