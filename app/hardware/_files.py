"""Small readers for kernel pseudo-files.

/proc and /sys files vanish, deny access or hold garbage inside containers; every
reader here turns that into ``None`` so the probes can say *which* fact is missing
instead of raising.
"""

from __future__ import annotations

from pathlib import Path


def read_text(path: Path) -> str | None:
    """The file's text, or None when it cannot be read for any OS reason."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except (OSError, ValueError):
        return None


def read_first_line(path: Path) -> str | None:
    """The stripped first line (most /sys and cgroup files hold one value)."""
    text = read_text(path)
    if text is None:
        return None
    lines = text.strip().splitlines()
    return lines[0].strip() if lines else ""


def read_int(path: Path) -> int | None:
    """An integer file such as cpuinfo_max_freq; None when absent or not a number."""
    line = read_first_line(path)
    if line is None:
        return None
    try:
        return int(line)
    except ValueError:
        return None
