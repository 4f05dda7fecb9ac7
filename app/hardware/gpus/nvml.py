"""NVIDIA GPUs through NVML (the `pynvml` module of nvidia-ml-py).

NVML answers in milliseconds and fails with typed errors, so it is tried first. The
module is imported only when GPUs are probed (it costs ~40 ms), and tests replace it by
putting a fake `pynvml` in ``sys.modules`` or passing one as ``nvml``. NVML calls into
the driver, which can block on a wedged GPU; they therefore run in a daemon thread
that we stop waiting for after the timeout.
"""

from __future__ import annotations

import importlib
import threading
from types import ModuleType
from typing import Any

from app.hardware.gpus._run import MAX_GPUS, Fault, cut
from app.hardware.model import GpuDevice

# NVML error codes (nvml.h) and what they mean to a person.
_REASONS_BY_CODE = {
    12: "NVML library not found",
    9: "NVIDIA driver not loaded",
    4: "NVML: no permission to read the GPUs",
    18: "NVIDIA driver and NVML library versions do not match",
    8: "NVML: a GPU is not powered properly",
    15: "NVML: a GPU has fallen off the bus",
}
_REASONS_BY_NAME = {
    "NVMLError_LibraryNotFound": 12,
    "NVMLError_DriverNotLoaded": 9,
    "NVMLError_NoPermission": 4,
    "NVMLError_LibRmVersionMismatch": 18,
    "NVMLError_InsufficientPower": 8,
    "NVMLError_GpuIsLost": 15,
}


_ABSENT = (12, 9)
"""No NVML library, no driver: no NVIDIA stack, which is not a fault of a tool."""


def describe_nvml_error(exc: BaseException) -> str:
    """A sentence for an NVMLError, by class name or by NVML error code."""
    code = _REASONS_BY_NAME.get(type(exc).__name__, getattr(exc, "value", None))
    if isinstance(code, int) and code in _REASONS_BY_CODE:
        return _REASONS_BY_CODE[code]
    return f"NVML failed: {exc}"


def _text(value: Any) -> str:
    """Old nvidia-ml-py versions return bytes, new ones str; cut to a length we show."""
    if isinstance(value, bytes):
        value = value[:400].decode("utf-8", errors="replace")
    return cut(str(value))


def _load() -> ModuleType:
    return importlib.import_module("pynvml")


def _optional(call: Any, error: type[BaseException]) -> Any:
    """One reading a card may not support (utilisation, temperature) -> None."""
    try:
        return call()
    except error:
        return None


def _read_devices(nvml: Any) -> list[GpuDevice]:
    error: type[BaseException] = nvml.NVMLError
    nvml.nvmlInit()
    try:
        driver = _optional(lambda: _text(nvml.nvmlSystemGetDriverVersion()), error)
        devices: list[GpuDevice] = []
        count = int(nvml.nvmlDeviceGetCount())
        if not 0 <= count <= MAX_GPUS:
            raise ValueError(f"NVML reported {count} GPUs, more than the {MAX_GPUS} we accept")
        for index in range(count):
            handle = nvml.nvmlDeviceGetHandleByIndex(index)
            memory = nvml.nvmlDeviceGetMemoryInfo(handle)
            util = _optional(lambda h=handle: nvml.nvmlDeviceGetUtilizationRates(h).gpu, error)
            temp = _optional(
                lambda h=handle: nvml.nvmlDeviceGetTemperature(h, nvml.NVML_TEMPERATURE_GPU),
                error,
            )
            uuid = _optional(lambda h=handle: _text(nvml.nvmlDeviceGetUUID(h)), error)
            devices.append(
                GpuDevice(
                    index=index,
                    name=_text(nvml.nvmlDeviceGetName(handle)),
                    vendor="nvidia",
                    total_vram_mb=int(memory.total) // 1024 // 1024,
                    free_vram_mb=int(memory.free) // 1024 // 1024,
                    driver=driver,
                    uuid=uuid,
                    utilisation_pct=float(util) if util is not None else None,
                    temperature_c=float(temp) if temp is not None else None,
                )
            )
        return devices
    finally:
        _optional(nvml.nvmlShutdown, error)


def probe_nvml(
    timeout_s: float, nvml: ModuleType | None = None
) -> tuple[list[GpuDevice], str | None]:
    """(devices, None) when NVML answers, else ([], the reason nothing was found)."""
    if nvml is None:
        try:
            nvml = _load()
        except ImportError:
            return [], "NVML unavailable: nvidia-ml-py is not installed"

    outcome: list[tuple[list[GpuDevice], str | None]] = []

    def work() -> None:
        try:
            devices = _read_devices(nvml)
        except nvml.NVMLError as exc:
            reason = describe_nvml_error(exc)
            absent = _REASONS_BY_NAME.get(type(exc).__name__, getattr(exc, "value", None))
            outcome.append(([], reason if absent in _ABSENT else Fault(reason)))
        except Exception as exc:  # noqa: BLE001 - a thread's exception would print to stderr
            outcome.append(([], Fault(f"NVML failed: {type(exc).__name__}: {cut(str(exc))}")))
        else:
            outcome.append((devices, None if devices else "NVML found no NVIDIA GPU"))

    worker = threading.Thread(target=work, name="nvml-probe", daemon=True)
    worker.start()
    worker.join(timeout_s)
    if not outcome:
        return [], Fault(f"NVML did not answer in {timeout_s:g} s")
    return outcome[0]
