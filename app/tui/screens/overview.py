"""The first screen: what this machine is, how busy it is, and where onboarding stands.

The first frame is drawn before anything is probed: the panels say "probing…"
and a thread worker fills them in (the probe reads /proc and NVML, which can
take a moment on a GPU box). Live usage is sampled on the event loop every
``usage_interval`` seconds: psutil's non-blocking sample costs microseconds,
and a widget is only refreshed when its rounded text changed, so an idle
overview writes almost nothing to the terminal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.containers import Grid, VerticalScroll
from textual.geometry import Region
from textual.widgets import Static

from app.onboarding.rules import whole_mhz  # the UI reaches hardware through the domain
from app.onboarding.units import mb_text
from app.tui.screens.base import NunetScreen, describe_error
from app.tui.usage_history import HISTORY_S, UsageHistory

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from app.hardware.live import GpuUsage, Usage
    from app.hardware.model import MachineInfo
    from app.onboarding.status import OnboardingStatus


def rows(pairs: list[tuple[str, str]], *, width: int = 9, wrap: bool = False) -> Text:
    """Label/value lines, built as Text so that no value is read as markup."""
    text = Text(no_wrap=not wrap, overflow="fold" if wrap else "ellipsis", end="")
    for i, (label, value) in enumerate(pairs):
        if i:
            text.append("\n")
        text.append(f"{label:<{width}}", style="bold")
        text.append(value)
    return text


def _clamp(percent: float) -> float:
    return max(0.0, min(100.0, percent))


class Panel(Static):
    """A bordered box of facts that repaints only what changed.

    A new text with as many unwrapped lines as the old one repaints only the lines
    that differ (a sparkline that moved), not the whole box: over SSH every byte
    counts, and a usage panel with a line per GPU would otherwise be rewritten,
    borders and all, every second. Any other change is a full update and a layout.
    """

    def __init__(self, title: str, *, id: str) -> None:
        self._text = Text("probing…", style="italic")
        super().__init__(self._text, id=id, classes="panel")
        self.border_title = title
        self._lines: list[str] = []

    def render(self) -> Text:
        return self._text

    def show(self, text: Text) -> None:
        lines = [line.plain + "|" + repr(line.spans) for line in text.split("\n")]
        if lines == self._lines:
            return
        old, self._lines, self._text = self._lines, lines, text
        width = self.size.width
        if text.no_wrap and len(old) == len(lines) and width and self.is_mounted:
            changed = [y for y, (a, b) in enumerate(zip(old, lines, strict=True)) if a != b]
            self.refresh(*(Region(0, y, width, 1) for y in changed))
        else:
            self.update(text)


class OverviewScreen(NunetScreen):
    """Hardware, live usage and onboarding status at a glance."""

    SUB_TITLE = "Overview"

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        with VerticalScroll(id="overview"):
            yield Static("", id="banner", classes="banner")
            with Grid(id="overview-grid"):
                yield Panel("Onboarding", id="status-panel")
                yield Panel("Usage, last minute", id="usage-panel")
                yield Panel("CPU", id="cpu-panel")
                yield Panel("Memory and disk", id="memory-panel")
                yield Panel("GPUs", id="gpu-panel")
                yield Panel("System", id="system-panel")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query_one("#banner").display = False
        self.history = UsageHistory(seconds=HISTORY_S, interval=self.nunet.usage_interval)
        self._machine: MachineInfo | None = None
        self._gpu_live: tuple[GpuUsage, ...] = ()
        self.query_one("#usage-panel", Panel).show(Text("measuring…", style="italic"))
        self.set_interval(self.nunet.usage_interval, self.sample, name="usage")
        future = self.nunet.machine_future
        if future is not None and future.done() and future.exception() is None:
            self.show_machine(future.result())  # in the first frame
        # The status and the GPU probe (NVML) start once the first frame is out:
        # run at once, their thread competes with the first paint for the GIL.
        self.call_after_refresh(self.probe)

    def on_screen_resume(self) -> None:
        # Back from Allocate or a dialog: the state may have changed.
        if self.is_mounted and getattr(self, "_probed", False):
            self.reload()

    # -- hardware and status (thread workers) ---------------------------------------
    @work(thread=True, exclusive=True, group="probe", exit_on_error=False)
    def probe(self, refresh: bool = False) -> None:
        """Facts first without GPUs (fast), then the status, then the GPUs."""
        controller = self.controller
        future = self.nunet.machine_future
        try:
            if future is not None and not refresh:
                machine = future.result()
            else:
                machine = controller.machine(refresh=refresh, gpus=False)
            self.app.call_from_thread(self.show_machine, machine)
            self.app.call_from_thread(self.show_status, controller.status())
            machine = controller.machine(gpus=True)
            self.app.call_from_thread(self.show_machine, machine)
        except Exception as exc:  # noqa: BLE001 - shown as a banner, never a traceback
            self.app.call_from_thread(
                self.show_banner, f"The hardware probe failed: {describe_error(exc)}"
            )
        self._probed = True

    def reload(self) -> None:
        self._reload_status()

    @work(thread=True, exclusive=True, group="status", exit_on_error=False)
    def _reload_status(self) -> None:
        try:
            status = self.controller.status()
        except Exception as exc:  # noqa: BLE001
            self.app.call_from_thread(self.show_banner, describe_error(exc))
            return
        self.app.call_from_thread(self.show_status, status)

    def show_banner(self, message: str, *, warning: bool = True) -> None:
        banner = self.query_one("#banner", Static)
        banner.set_class(warning, "-warning")
        banner.update(Text(message))
        banner.display = bool(message)

    def show_machine(self, m: MachineInfo) -> None:
        cpu = m.cpu
        cores = f"{cpu.logical_cores} logical ({cpu.physical_cores} physical)"
        if cpu.physical_cores is None:
            cores = f"{cpu.logical_cores} logical"
        cpu_rows = [
            ("Model", cpu.model),
            ("Arch", cpu.arch),
            ("Cores", cores),
            ("Clock", f"{cpu.mhz_per_core:.0f} MHz a core"),
            ("Total", f"{whole_mhz(cpu.total_mhz)} MHz"),
        ]
        if m.usable_cpu_mhz != cpu.total_mhz:
            usable = whole_mhz(m.usable_cpu_mhz)
            cpu_rows.append(("Usable", f"{usable} MHz ({m.usable_cores} cores)"))
        self.query_one("#cpu-panel", Panel).show(rows(cpu_rows))

        self.query_one("#memory-panel", Panel).show(self._memory_text(m, m.memory.available_mb))

        self._machine = m
        self.query_one("#gpu-panel", Panel).show(self._gpu_text(m))

        system_rows = [
            ("Host", m.os.hostname),
            ("OS", m.os.distribution or m.os.system),
            ("Kernel", m.os.kernel),
            ("Limits", self._limits_text(m)),
        ]
        self.query_one("#system-panel", Panel).show(rows(system_rows, wrap=True))
        if m.problems:
            self.show_banner("Some facts could not be read: " + "; ".join(m.problems))

    @staticmethod
    def _memory_text(m: MachineInfo, available_mb: int) -> Text:
        """Memory and disk; "Free" is what is available now (each usage sample updates it)."""
        mem = m.memory
        return rows(
            [
                ("Memory", mb_text(mem.total_mb)),
                ("Free", mb_text(available_mb)),
                (
                    "Swap",
                    # No GiB here: with it, "…, 0 MB used" was cut off at 80 columns.
                    f"{mem.swap_total_mb} MB, {mem.swap_used_mb} MB used"
                    if mem.swap_total_mb
                    else "none",
                ),
                ("Disk", f"{m.disk.free_gb}/{m.disk.total_gb} GB free"),
                ("  on", m.disk.path),
            ]
        )

    @staticmethod
    def _limits_text(m: MachineInfo) -> str:
        lim = m.limits
        if not lim.any:
            return "none (not in a container)" if lim.version is None else "none"
        parts = []
        if lim.cpu_quota_cores is not None:
            parts.append(f"CPU {lim.cpu_quota_cores:g} cores")
        if lim.cpuset_cores is not None:
            parts.append(f"cpuset {lim.cpuset_cores}")
        if lim.memory_limit_mb is not None:
            parts.append(f"memory {lim.memory_limit_mb} MB")
        return f"cgroup v{lim.version}: " + ", ".join(parts)

    def _gpu_text(self, m: MachineInfo) -> Text:
        """Each GPU as the probe found it, with its memory in use where NVML reads it
        live. A live GPU's busy figure is on the Usage panel's line, not repeated
        here, so this panel repaints only when a GPU's memory use changes."""
        report = m.gpus
        if not report.probed:
            return Text("probing…", style="italic")
        if not report.devices:
            reason = "; ".join(report.problems) or "no GPU found"
            return Text(f"None found: {reason}", no_wrap=False)
        live = {g.index: g for g in self._gpu_live}
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        for i, g in enumerate(report.devices):
            if i:
                text.append("\n")
            text.append(f"{g.index}: ", style="bold")
            text.append(f"{g.name}, {g.total_vram_mb // 1024} GB")
            now = live.get(g.index) if g.vendor == "nvidia" else None
            details = [f"driver {g.driver}" if g.driver else None]
            if now is None and g.utilisation_pct is not None:
                details.append(f"{g.utilisation_pct:.0f} % busy")
            if g.temperature_c is not None:
                details.append(f"{g.temperature_c:.0f} °C")
            text.append("\n   " + ", ".join(d for d in details if d))
            if now is not None and now.memory_used_mb is not None:
                # GiB to a tenth: a figure that moves by a few MB a second would
                # repaint the line every second for nothing a person can read.
                total = f" of {now.memory_total_mb / 1024:.0f}" if now.memory_total_mb else ""
                text.append(f"\n   {now.memory_used_mb / 1024:.1f}{total} GiB in use")
        if report.problems:
            text.append("\n" + "; ".join(report.problems), style="italic")
        return text

    def show_status(self, st: OnboardingStatus) -> None:
        if st.onboarded:
            lines = [
                ("State", "onboarded" + (", available" if st.is_available else ", not available")),
                ("Channel", st.channel or "?"),
                ("Reserved", f"{st.reserved_cpu} MHz, {st.reserved_memory} MB"),
                ("Pay to", st.payment_addr or "?"),
            ]
            text = rows(lines)
        else:
            text = rows([("State", "not onboarded")])
            text.append("\n")
            text.append("press a to start", style="bold reverse")
        if st.problems:
            text.append("\n")
            text.append(f"{len(st.problems)} problem(s): press s", style="bold")
            first = st.problems[0]
            self.show_banner(f"{first.message}. Fix: {first.fix}")
        else:
            self.show_banner("")
        self.query_one("#status-panel", Panel).show(text)

    # -- live usage ----------------------------------------------------------------
    def sample(self) -> None:
        try:
            usage = self.nunet.sample_usage()
            busy = self._cpu_busy_mhz()
        except Exception:  # noqa: BLE001 - a missing sample is not worth a message a second
            return
        self.show_usage(usage, busy)

    def _cpu_busy_mhz(self) -> int | None:
        """The CPU busy now as the offer's warnings measure it (the 1-minute load average
        in MHz, ``advice.host_load``), so the Overview and the review say the same."""
        if self._machine is None:
            return None
        from app.onboarding.advice import host_load

        return host_load(self._machine, self.controller.load_average()).cpu_busy_mhz

    def show_usage(self, usage: Usage, busy_mhz: int | None = None) -> None:
        """The figures first, then the last minute as a sparkline: a narrow panel
        cuts the line at its end, so it loses the history before the number.
        One line per GPU that NVML reads; where it cannot, one line says why,
        if the probe found a GPU to say it about."""
        machine = self._machine
        total = machine.usable_cpu_mhz if machine is not None else 0
        busy = None if busy_mhz is None or not total else busy_mhz / total * 100
        self.history.add(usage, cpu_busy=busy)
        panel = self.query_one("#usage-panel", Panel)
        width = max(4, panel.content_size.width - 14) if panel.content_size.width else 20
        cpu, memory = self.history.sparklines(width)
        text = Text(no_wrap=True, overflow="crop", end="")
        text.append("CPU    ", style="bold")
        text.append(f"{round(usage.cpu_percent if busy is None else busy):>3} % ")
        text.append(cpu, style="bold")
        if busy is not None:
            # The measure the review's warnings use too, named: "42 %" of CPU use beside
            # "0 MHz idle" by the load average read as a contradiction.
            text.append(f"\n       1-min load: {busy_mhz} MHz busy", style="italic")
        text.append("\nMemory ", style="bold")
        text.append(f"{round(usage.memory_percent):>3} % ")
        text.append(memory, style="bold")
        gpus = self.history.gpu_sparklines(width)
        for index, line in gpus.items():
            text.append(f"\n{'GPU ' + str(index):<7}", style="bold")
            text.append(f"{round(self.history.gpus[index][-1]):>3} % ")
            text.append(line, style="bold")
        if usage.gpu_note and not gpus and machine is not None and machine.gpus.devices:
            text.append(f"\nGPUs: {usage.gpu_note}", style="italic")
        text.append(f"\n{usage.memory_used_mb} MB in use")
        panel.show(text)
        if machine is not None and usage.memory_percent == usage.memory_percent:
            total_mb = machine.memory.total_mb
            available = round(total_mb * (100 - _clamp(usage.memory_percent)) / 100)
            self.query_one("#memory-panel", Panel).show(self._memory_text(machine, available))
        if usage.gpus != self._gpu_live:
            self._gpu_live = usage.gpus  # the panel compares its text: busy alone repaints nothing
            if machine is not None:
                self.query_one("#gpu-panel", Panel).show(self._gpu_text(machine))
