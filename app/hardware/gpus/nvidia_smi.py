"""NVIDIA GPUs through the `nvidia-smi` command, when NVML cannot be loaded in-process.

nvidia-smi hangs for tens of seconds on a wedged driver and prints its complaints on
stderr, so it always runs through `run_tool` with a timeout and captured streams.
"""

from __future__ import annotations

from app.hardware.gpus._run import MAX_GPUS, cut, probe_with_tool, vram_mb
from app.hardware.model import GpuDevice

QUERY = "index,name,memory.total,memory.free,driver_version,uuid,utilization.gpu,temperature.gpu"
ARGV = ["nvidia-smi", f"--query-gpu={QUERY}", "--format=csv,noheader,nounits"]
_FIELDS = 8


def _number(text: str) -> float | None:
    """nvidia-smi prints "[N/A]" or "[Not Supported]" for what a card cannot report."""
    try:
        return float(text)
    except ValueError:
        return None


def _optional(text: str) -> str | None:
    return None if not text or text.startswith("[") else cut(text)


def parse_csv(text: str) -> list[GpuDevice]:
    """One GpuDevice per CSV line; raises ValueError on a line it cannot understand."""
    devices: list[GpuDevice] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if len(devices) >= MAX_GPUS:
            raise ValueError(f"it listed more than {MAX_GPUS} GPUs")
        cells = [c.strip() for c in line.split(",")]
        if len(cells) < _FIELDS:
            raise ValueError(f"unexpected line {cut(line.strip(), 60)!r}")
        # A name with a comma in it spreads over several cells: glue them back.
        name = ", ".join(cells[1 : len(cells) - _FIELDS + 2])
        index, total, free, driver, uuid, util, temp = (cells[0], *cells[-6:])
        devices.append(
            GpuDevice(
                index=int(index),
                name=cut(name) or "NVIDIA GPU",
                vendor="nvidia",
                total_vram_mb=vram_mb(_number(total) or 0, total),
                free_vram_mb=vram_mb(_number(free) or 0, free),
                driver=_optional(driver),
                uuid=_optional(uuid),
                utilisation_pct=_number(util),
                temperature_c=_number(temp),
            )
        )
    return devices


def probe_nvidia_smi(timeout_s: float) -> tuple[list[GpuDevice], str | None]:
    """(devices, None) on an answer, else ([], the reason nothing was found)."""
    return probe_with_tool(ARGV, timeout_s, parse_csv, "NVIDIA")
