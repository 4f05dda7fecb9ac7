"""Operating system, kernel, distribution and host name for the overview."""

from __future__ import annotations

import platform
import shlex
import socket
from collections.abc import Sequence
from pathlib import Path

from app.hardware._files import read_text
from app.hardware.model import OsInfo

OS_RELEASE_PATHS: tuple[Path, ...] = (Path("/etc/os-release"), Path("/usr/lib/os-release"))


def parse_os_release(text: str) -> dict[str, str]:
    """os-release is shell-quoted KEY=value lines; values may be quoted or bare."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, raw = line.strip().partition("=")
        if not sep or key.startswith("#"):
            continue
        try:
            parts = shlex.split(raw, comments=False)
        except ValueError:
            parts = [raw.strip("\"'")]
        values[key.strip()] = " ".join(parts)
    return values


def _distribution(paths: Sequence[Path]) -> str | None:
    for path in paths:
        text = read_text(path)
        if text is None:
            continue
        values = parse_os_release(text)
        name = values.get("PRETTY_NAME") or " ".join(
            v for v in (values.get("NAME"), values.get("VERSION")) if v
        )
        if name:
            return name
    return None


def read_os(os_release_paths: Sequence[Path] = OS_RELEASE_PATHS) -> tuple[OsInfo, list[str]]:
    """The OS facts; on Linux the distribution comes from os-release."""
    problems: list[str] = []
    system = platform.system() or "unknown"
    if system == "Linux":
        distribution = _distribution(os_release_paths)
        if distribution is None:
            distribution = "unknown"
            problems.append("Linux distribution unknown: no readable /etc/os-release")
    elif system == "Darwin":
        distribution = f"macOS {platform.mac_ver()[0]}".strip()
    else:
        distribution = f"{system} {platform.version()}".strip()
    try:
        hostname = socket.gethostname()
    except OSError as exc:
        hostname = "unknown"
        problems.append(f"host name unknown: {exc}")
    info = OsInfo(
        system=system,
        kernel=platform.release() or "unknown",
        distribution=distribution,
        hostname=hostname or "unknown",
    )
    return info, problems
