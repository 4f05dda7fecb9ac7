"""CPU model, cores and clock, the way DMS counts them.

DMS (via gopsutil) takes each logical CPU's "cpu MHz" from /proc/cpuinfo and replaces
it with cpufreq's ``cpuinfo_max_freq`` where the kernel exposes one, then sums over
every logical CPU. We do the same, reading the files directly: it takes a
millisecond, whereas ``cpuinfo.get_cpu_info()`` sleeps a second to time the clock.
``psutil.cpu_freq()`` is only a last resort: in a VM it is often None or reports a
max of 0. Paths are ``str`` (see ``_files``): status must not import pathlib.
"""

from __future__ import annotations

import os
import sys

from app.hardware._files import clean, read_int, read_text
from app.hardware.model import CpuInfo
from app.light_record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.hardware._files import StrPath

# Where /proc/cpuinfo keeps a model name on the architectures we have seen: x86
# ("model name"), 32-bit ARM and some SoCs ("Processor", "Hardware"), POWER ("cpu"),
# MIPS ("cpu model"), s390 ("machine"), RISC-V ("uarch").
_MODEL_KEYS = ("model name", "Processor", "Hardware", "cpu model", "cpu", "uarch", "machine")


class _Processor(Record):
    """One logical CPU's block in /proc/cpuinfo."""

    number: int
    fields: dict[str, str]


def parse_proc_cpuinfo(text: str) -> list[_Processor]:
    """Split /proc/cpuinfo into one entry per logical CPU (blocks with a "processor")."""
    processors: list[_Processor] = []
    shared: dict[str, str] = {}
    current: dict[str, str] = {}

    def flush() -> None:
        number = current.get("processor")
        if number is not None and number.strip().isdigit():
            processors.append(_Processor(int(number), dict(current)))
        elif current:
            # ARM kernels print "Hardware" and friends once, outside any processor block.
            shared.update(current)

    for line in text.splitlines():
        if not line.strip():
            flush()
            current = {}
            continue
        key, sep, value = line.partition(":")
        if sep:
            current[key.strip()] = value.strip()
    flush()
    for proc in processors:
        for key, value in shared.items():
            proc.fields.setdefault(key, value)
    return processors


def _model_name(processors: list[_Processor]) -> str | None:
    for key in _MODEL_KEYS:
        for proc in processors:
            value = proc.fields.get(key, "").strip()
            # POWER's "cpu" is a name; on other arches a bare number is not.
            if value and not value.replace(".", "").isdigit():
                return value
    # arm64 kernels name no model, only the vendor and part numbers lscpu decodes.
    for proc in processors:
        implementer = proc.fields.get("CPU implementer")
        part = proc.fields.get("CPU part")
        if implementer and part:
            return f"ARM CPU (implementer {implementer}, part {part})"
    return None


def machine_arch() -> str:
    """The architecture (``uname -m``): what ``platform.machine()`` returns on a POSIX
    system, without importing ``platform`` on ``status``'s path."""
    try:
        return os.uname().machine or "unknown"
    except AttributeError:  # not POSIX
        import platform

        return platform.machine() or "unknown"


def _platform_model() -> str | None:
    """The OS's processor name off Linux (Windows gives a useful one).

    On Linux ``platform.processor()`` runs ``uname -p``, which says "unknown" or the
    architecture, so it is not worth a subprocess there. py-cpuinfo is deliberately not
    used: its only public entry point, ``get_cpu_info()``, sleeps a second.
    """
    if sys.platform.startswith("linux"):
        return None
    import platform

    name = platform.processor().strip()
    return name if name and name != platform.machine() else None


def _physical_cores(processors: list[_Processor]) -> int | None:
    """Distinct (package, core) pairs; psutil's sysfs topology where cpuinfo lacks them."""
    pairs = {
        (p.fields.get("physical id"), p.fields.get("core id"))
        for p in processors
        if "core id" in p.fields
    }
    if pairs:
        return len(pairs)
    import psutil  # only here and in _psutil_mhz: status must not pay ~10 ms for it

    try:
        return psutil.cpu_count(logical=False)
    except (OSError, psutil.Error, ValueError):
        return None


def _cpufreq_max_mhz(sys_root: StrPath, number: int) -> float | None:
    khz = read_int(
        os.path.join(sys_root, f"devices/system/cpu/cpu{number}/cpufreq/cpuinfo_max_freq")
    )
    if khz is None or khz <= 0:
        return None
    return khz / 1000.0


def _proc_mhz(proc: _Processor) -> float | None:
    try:
        mhz = float(proc.fields.get("cpu MHz", ""))
    except ValueError:
        return None
    return mhz if mhz > 0 else None


def _psutil_mhz() -> tuple[float | None, str]:
    """psutil's clock: the max when it knows one, else the current; None in some VMs."""
    import psutil

    try:
        freq = psutil.cpu_freq()
    except (OSError, psutil.Error, ValueError, NotImplementedError, AttributeError):
        return None, ""
    if freq is None:
        return None, ""
    if freq.max and freq.max > 0:
        return float(freq.max), "psutil max"
    if freq.current and freq.current > 0:
        return float(freq.current), "psutil current"
    return None, ""


def total_clock(clocks: list[float]) -> float:
    """The clocks summed one after another, as DMS's Go loop adds them (``total += mhz``).

    Not ``sum()``: from Python 3.12 it compensates float rounding, and the total must be
    DMS's float to the last bit, because DMS truncates ``total / 10`` and ``total * 9 / 10``
    and a bit either side of a whole number moves a bound by one MHz.
    """
    total = 0.0
    for mhz in clocks:
        total += mhz
    return total


def read_cpu(proc_root: StrPath, sys_root: StrPath) -> tuple[CpuInfo, list[str]]:
    """The CPU facts and, for each one that could not be read, why."""
    problems: list[str] = []
    cpuinfo_path = os.path.join(clean(proc_root), "cpuinfo")
    text = read_text(cpuinfo_path)
    processors = parse_proc_cpuinfo(text) if text is not None else []
    if text is None:
        problems.append(f"CPU details unknown: {cpuinfo_path} could not be read")

    logical = len(processors) or os.cpu_count() or 1
    if not processors and text is not None:
        problems.append(f"CPU details unknown: {cpuinfo_path} lists no processor")

    model = _model_name(processors) or _platform_model()
    if not model:
        model = "unknown"
        problems.append("CPU model unknown: the kernel does not name it")

    # Per logical CPU: cpufreq max, else /proc/cpuinfo's "cpu MHz" (DMS's order).
    clocks: list[float] = []
    sources: set[str] = set()
    for proc in processors:
        mhz = _cpufreq_max_mhz(sys_root, proc.number)
        if mhz is not None:
            sources.add("cpufreq max")
        else:
            mhz = _proc_mhz(proc)
            if mhz is not None:
                sources.add("/proc/cpuinfo")
        if mhz is not None:
            clocks.append(mhz)

    if clocks and len(clocks) == logical:
        total = total_clock(clocks)
        per_core = total / logical
        source = " + ".join(sorted(sources))
    else:
        # Some CPUs had no clock of their own (ARM without cpufreq, or no cpuinfo):
        # assume every core runs at the same known clock.
        fallback, source = _psutil_mhz()
        if fallback is None and clocks:
            fallback, source = max(clocks), " + ".join(sorted(sources))
        if fallback is None:
            per_core, total, source = 0.0, 0.0, "unknown"
            problems.append("CPU clock unknown: neither cpufreq, /proc/cpuinfo nor psutil give it")
        else:
            per_core, total = fallback, total_clock([fallback] * logical)

    cpu = CpuInfo(
        model=model,
        arch=machine_arch(),
        physical_cores=_physical_cores(processors),
        logical_cores=logical,
        mhz_per_core=round(per_core, 3),
        total_mhz=total,
        clock_source=source,
        # DMS's cpu_hz is the first logical CPU's clock; without a clock of each, the one assumed.
        first_mhz=clocks[0] if clocks and len(clocks) == logical else (per_core or None),
    )
    return cpu, problems
