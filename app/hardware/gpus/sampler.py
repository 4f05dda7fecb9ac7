"""Each NVIDIA GPU's live use (utilisation, memory used), read through NVML.

The Overview asks for a sample every second on Textual's event loop, which must
never wait for a driver: NVML calls into the driver and can block on a wedged GPU,
and ``import pynvml`` plus ``nvmlInit`` cost tens of milliseconds. So one daemon
thread keeps an NVML session open and reads every card once an ``interval``;
:meth:`GpuSampler.latest` only hands over what that thread read last, under a lock
held for a copy. nvidia-smi is never run for this: a process a second would cost
more than the whole idle budget of the app.

Failure modes, each said once and never raised:
- no NVML (not installed, no driver, no card): the thread ends, ``latest`` returns
  the reason and no figures for the rest of this sampler's life (nothing retries);
- NVML fails while reading: the same, with NVML's reason;
- NVML stops answering (a call blocks): after ``stale_s`` without a fresh reading
  ``latest`` returns no figures and says so; the stuck thread is left alone (a
  daemon, it dies with the process) and no second one is started beside it.

Nobody asking for ``idle_stop_s`` (the user left the Overview) ends the thread and
the NVML session; the next ``latest`` starts them again.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import threading
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

from app.hardware.gpus._run import MAX_GPUS, cut
from app.hardware.gpus.nvml import describe_nvml_error
from app.hardware.live import GpuUsage

_MB = 1024 * 1024
_log = logging.getLogger(__name__)


class GpuSampler:
    """Reads every NVIDIA GPU's use in the background; :meth:`latest` never blocks."""

    def __init__(
        self,
        interval: float = 1.0,
        *,
        nvml: ModuleType | None = None,
        idle_stop_s: float | None = None,
        stale_s: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """
        Args:
            interval: seconds between two readings of the cards.
            nvml: the ``pynvml`` module; imported (in the thread) when not given.
            idle_stop_s: stop reading after this long without a call to ``latest``.
            stale_s: a reading older than this means NVML stopped answering.
        """
        self.interval = max(0.05, interval)
        self.idle_stop_s = idle_stop_s if idle_stop_s is not None else max(5.0, 5 * self.interval)
        self.stale_s = stale_s if stale_s is not None else max(3.0, 3 * self.interval)
        self._nvml = nvml
        self._clock = clock
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._readings: tuple[GpuUsage, ...] = ()
        self._read_at = 0.0
        self._started_at = 0.0
        self._asked_at = 0.0
        self._unavailable: str | None = None

    # -- the caller's side (the event loop) ------------------------------------------
    def latest(self) -> tuple[tuple[GpuUsage, ...], str | None]:
        """(the last figures, None), or ((), why there are none). Starts the reader."""
        now = self._clock()
        with self._lock:
            self._asked_at = now
            if self._unavailable is not None:
                return (), self._unavailable
            if self._thread is None or not self._thread.is_alive():
                self._start(now)
                return (), None
            if now - max(self._read_at, self._started_at) > self.stale_s:
                return (), f"NVML has not answered for {self.stale_s:g} s"
            return self._readings, None

    def close(self) -> None:
        """Ask the reader to stop (it shuts NVML down); does not wait for a stuck one."""
        self._stop.set()

    def _start(self, now: float) -> None:
        self._stop = threading.Event()
        self._readings, self._read_at, self._started_at = (), 0.0, now
        self._thread = threading.Thread(
            target=self._run, args=(self._stop,), name="nvml-usage", daemon=True
        )
        self._thread.start()

    # -- the reader thread ---------------------------------------------------------
    def _run(self, stop: threading.Event) -> None:
        try:
            nvml = self._nvml if self._nvml is not None else importlib.import_module("pynvml")
        except ImportError:
            self._give_up("NVML unavailable: nvidia-ml-py is not installed")
            return
        except Exception as exc:  # noqa: BLE001 - a thread's exception would print to stderr
            self._give_up(f"NVML unavailable: {type(exc).__name__}: {cut(str(exc))}")
            return
        try:
            self._read_until_stopped(nvml, stop)
        except Exception as exc:  # noqa: BLE001 - NVMLError and anything a broken binding raises
            self._give_up(_describe(nvml, exc))

    def _read_until_stopped(self, nvml: Any, stop: threading.Event) -> None:
        nvml.nvmlInit()
        try:
            count = int(nvml.nvmlDeviceGetCount())
            if not 0 < count <= MAX_GPUS:
                self._give_up("NVML found no NVIDIA GPU" if count == 0 else f"NVML: {count} GPUs")
                return
            handles = [nvml.nvmlDeviceGetHandleByIndex(i) for i in range(count)]
            while not stop.is_set():
                readings = tuple(_read_one(nvml, i, h) for i, h in enumerate(handles))
                now = self._clock()
                with self._lock:
                    self._readings, self._read_at = readings, now
                    idle = now - self._asked_at > self.idle_stop_s
                if idle:
                    return
                stop.wait(self.interval)
        finally:
            with contextlib.suppress(Exception):  # shutting down is best effort
                nvml.nvmlShutdown()

    def _give_up(self, reason: str) -> None:
        """No GPU figures for the rest of this sampler's life: said once, in the log."""
        _log.info("GPU use is not sampled: %s", reason)
        with self._lock:
            self._unavailable, self._readings = reason, ()


def _describe(nvml: Any, exc: Exception) -> str:
    error = getattr(nvml, "NVMLError", None)
    if isinstance(error, type) and isinstance(exc, error):
        return describe_nvml_error(exc)
    return f"NVML failed: {type(exc).__name__}: {cut(str(exc))}"


def _read_one(nvml: Any, index: int, handle: Any) -> GpuUsage:
    """One card's figures; a reading the card does not support is None, not a failure."""
    error: type[BaseException] = nvml.NVMLError
    try:
        util: float | None = _finite(nvml.nvmlDeviceGetUtilizationRates(handle).gpu, 100)
    except error:
        util = None
    try:
        memory = nvml.nvmlDeviceGetMemoryInfo(handle)
        used: int | None = int(memory.used) // _MB
        total: int | None = int(memory.total) // _MB
    except error:
        used = total = None
    if used is not None and total is not None and not 0 <= used <= total:
        used = None
    return GpuUsage(index=index, utilisation_pct=util, memory_used_mb=used, memory_total_mb=total)


def _finite(value: Any, top: float) -> float | None:
    """A percentage we can draw: a number within 0..top, anything else None."""
    number = float(value)
    return number if 0.0 <= number <= top else None
