"""Find the GPUs: NVIDIA through NVML, then nvidia-smi; AMD through rocm-smi.

GPUtil is deliberately not used (docs/hardware.md: no timeout, stderr on the
terminal, ValueError on a broken driver, distutils import). Every route here is
bounded by a timeout and turns its failure into a sentence.
"""

from __future__ import annotations

import logging
import shutil
from types import ModuleType

from app.hardware.model import GpuDevice, GpuReport

__all__ = ["probe_gpus"]

_log = logging.getLogger(__name__)


def probe_gpus(timeout_s: float = 5.0, *, nvml: ModuleType | None = None) -> GpuReport:
    """Every GPU found, and why none (or not all) were found.

    NVIDIA: NVML first; nvidia-smi only when NVML gave nothing. AMD: rocm-smi where it
    is installed. Problems of a route that another route made good are dropped; a
    missing rocm-smi is mentioned only when no GPU at all was found. Each external
    route waits at most `timeout_s`. Never raises.
    """
    try:
        return _probe(timeout_s, nvml)
    except Exception as exc:  # noqa: BLE001 - callers (screens, the CLI) rely on "never raises"
        _log.debug("GPU probe failed", exc_info=True)
        reason = f"GPU probe failed: {type(exc).__name__}: {str(exc)[:120]}"
        return GpuReport(problems=(reason,), faults=(reason,))


def _probe(timeout_s: float, nvml: ModuleType | None) -> GpuReport:
    # Imported here so that `import app.hardware` (on the hot path of `status`, which
    # never probes GPUs) does not pay for subprocess, json and threading helpers.
    from app.hardware.gpus._run import Fault
    from app.hardware.gpus.nvidia_smi import probe_nvidia_smi
    from app.hardware.gpus.nvml import probe_nvml
    from app.hardware.gpus.rocm_smi import probe_rocm_smi

    devices: list[GpuDevice] = []
    sources: list[str] = []
    nvidia_problems: list[str] = []

    found, problem = probe_nvml(timeout_s, nvml)
    if found:
        devices += found
        sources.append("nvml")
    else:
        nvidia_problems.append(problem or "NVML found no NVIDIA GPU")
        found, problem = probe_nvidia_smi(timeout_s)
        if found:
            devices += found
            sources.append("nvidia-smi")
            nvidia_problems.clear()
        elif problem:
            nvidia_problems.append(problem)

    amd_problems: list[str] = []
    if shutil.which("rocm-smi") is not None:
        found, problem = probe_rocm_smi(timeout_s)
        if found:
            # One index space for the offer's --gpus: AMD cards follow the NVIDIA ones.
            offset = len(devices)
            devices += [d._replace(index=offset + n) for n, d in enumerate(found)]
            sources.append("rocm-smi")
        elif problem:
            amd_problems.append(problem)
    elif not devices:
        amd_problems.append("rocm-smi not found")

    # Once any card answered, a missing NVIDIA stack is no longer worth a line (an
    # AMD-only machine), but a rocm-smi that is installed and failed still is.
    problems = amd_problems if devices else nvidia_problems + amd_problems
    return GpuReport(
        devices=tuple(devices),
        source="+".join(sources) or None,
        problems=tuple(problems),
        probed=True,
        faults=tuple(p for p in problems if isinstance(p, Fault)),
    )
