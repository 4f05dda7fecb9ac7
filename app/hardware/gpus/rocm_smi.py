"""AMD GPUs through `rocm-smi --json`, when ROCm is installed."""

from __future__ import annotations

import json
import re
from typing import Any

from app.hardware.gpus._run import MAX_GPUS, cut, probe_with_tool, vram_mb
from app.hardware.model import GpuDevice

ARGV = ["rocm-smi", "--showproductname", "--showmeminfo", "vram", "--json"]
_CARD = re.compile(r"^card(\d+)$")
_NAME_KEYS = ("Card Series", "Card series", "Device Name", "Card SKU", "Card model")


def _field(card: dict[str, Any], *names: str) -> str | None:
    lowered = {str(k).lower(): v for k, v in card.items()}
    for name in names:
        value = lowered.get(name.lower())
        if value not in (None, "", "N/A"):
            return str(value)
    return None


def _mb(text: str | None) -> int:
    """Bytes as rocm-smi prints them, in MB; a size no GPU has is a ValueError (a fault)."""
    try:
        count = int(text or 0)
    except ValueError:
        return 0
    return vram_mb(count // 1024 // 1024, str(text))


def parse_json(text: str) -> list[GpuDevice]:
    """Devices from rocm-smi's JSON; it may print warnings before the object."""
    start = text.find("{")
    if start < 0:
        raise ValueError("no JSON object in its output")
    data = json.loads(text[start:])
    if not isinstance(data, dict):
        raise ValueError("its JSON is not an object")
    devices: list[GpuDevice] = []
    if len(data) > MAX_GPUS * 4:
        raise ValueError(f"its JSON has {len(data)} entries, far more than any machine's GPUs")
    for key, card in data.items():
        match = _CARD.match(str(key)[:12])
        if match is None or not isinstance(card, dict):
            continue
        total = _mb(_field(card, "VRAM Total Memory (B)"))
        used = _mb(_field(card, "VRAM Total Used Memory (B)"))
        devices.append(
            GpuDevice(
                index=int(match.group(1)),
                name=cut(_field(card, *_NAME_KEYS) or "") or "AMD GPU",
                vendor="amd",
                total_vram_mb=total,
                free_vram_mb=max(0, total - used),
            )
        )
    return sorted(devices, key=lambda d: d.index)


def probe_rocm_smi(timeout_s: float) -> tuple[list[GpuDevice], str | None]:
    """(devices, None) on an answer, else ([], the reason nothing was found)."""
    return probe_with_tool(ARGV, timeout_s, parse_json, "AMD")
