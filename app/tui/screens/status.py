"""The status screen: what ``nunet-onboard status`` says, with the files and history.

The screen follows the state: the app calls ``reload`` when another process
wrote it. Wallets are listed with whether their backup was checked.

Everything here is read in a thread worker, because ``status()`` re-checks the
stored offer against the hardware (drift) and that may probe the GPUs. Each
problem is shown with its fix, since a problem without a way out is useless.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from app.onboarding.units import decimal_text
from app.tui import keymap
from app.tui.screens.base import NunetScreen, describe_error
from app.tui.screens.overview import rows
from app.tui.widgets.wallet_list import WalletList

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from app.onboarding.status import OnboardingStatus

HISTORY_SHOWN = 8


def metadata_text(meta: Any) -> Text:
    """The stored metadata in words, or how to get some."""
    if meta is None:
        meta_text = Text("not onboarded: press a to allocate resources", style="italic")
    else:
        gpus = ", ".join(f"{g.index}: {g.name}" for g in meta.gpu_info) or "none"
        meta_text = rows(
            [
                ("Name", meta.name),
                (
                    "Total",
                    f"{meta.resource.cpu_max} MHz, {meta.resource.memory_max} MB, "
                    f"{meta.resource.total_core} cores",
                ),
                ("Reserved", f"{meta.reserved.cpu} MHz, {meta.reserved.memory} MB"),
                ("Host keeps", f"{meta.available.cpu} MHz, {meta.available.memory} MB"),
                ("Network", meta.network),
                ("Price", f"{decimal_text(meta.ntx_price)} NTX/min"),
                ("Cardano", "allowed" if meta.allow_cardano else "no"),
                ("GPUs", gpus),
            ],
            width=11,
        )
    return meta_text


def history_text(entries: list[dict[str, Any]]) -> Text:
    """The history of actions, newest first, one line each."""
    history = Text(end="", no_wrap=True, overflow="ellipsis")
    for i, entry in enumerate(reversed(entries)):
        if i:
            history.append("\n")
        history.append(f"{entry.get('time', '')[:19]} ", style="bold")
        history.append(f"{entry.get('action', '')} {entry.get('detail', '')}")
    if not entries:
        history.append("nothing yet", style="italic")
    return history


@dataclass
class StatusReport:
    status: OnboardingStatus
    metadata: Any = None
    paths: list[tuple[str, str]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    wallets: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class StatusScreen(NunetScreen):
    """Status, metadata, node id, paths, recent actions and problems with fixes."""

    SUB_TITLE = "Status"
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings(keymap.STATUS)

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        with VerticalScroll(id="status"):
            for panel_id, title in (
                ("problems-panel", "Problems"),
                ("state-panel", "Status"),
                ("metadata-panel", "Metadata"),
                ("files-panel", "Files"),
                ("history-panel", "Recent actions"),
            ):
                panel = Static(Text("reading…", style="italic"), id=panel_id, classes="panel")
                panel.border_title = title
                yield panel
            yield WalletList(id="wallets-panel", classes="panel")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="status", exit_on_error=False)
    def _load(self) -> None:
        c = self.controller
        try:
            report = StatusReport(status=c.status())
        except Exception as exc:  # noqa: BLE001 - status never raises; this is belt and braces
            self.app.call_from_thread(self.report, exc)
            return
        report.paths = [
            ("State dir", str(c.state_dir)),
            ("State", str(c.state_path)),
            ("Identity", str(c.key_path)),
            ("Log", str(c.log_path)),
        ]
        if report.status.onboarded:
            try:
                report.metadata = c.get_metadata()
            except Exception as exc:  # noqa: BLE001
                report.errors.append(describe_error(exc))
        try:
            report.wallets = c.wallets()
            report.history = c.history()[-HISTORY_SHOWN:]
        except Exception as exc:  # noqa: BLE001 - a corrupt state has no history to show
            # The state file's own fault is already among the problems, with its fix:
            # said twice it read as two faults.
            if not any(p.kind in ("corrupt", "unreadable") for p in report.status.problems):
                report.errors.append(describe_error(exc))
        self.app.call_from_thread(self.show, report)

    def show(self, report: StatusReport) -> None:
        st = report.status
        state_rows = [
            ("Onboarded", "yes" if st.onboarded else "no"),
            ("Available", "yes" if st.is_available else "no"),
            ("Channel", st.channel or "-"),
            ("Node id", st.node_id or "-"),
            ("Pay to", st.payment_addr or "-"),
            (
                "Reserved",
                f"{st.reserved_cpu} MHz CPU, {st.reserved_memory} MB memory"
                if st.reserved_cpu is not None
                else "-",
            ),
            ("Machine", st.machine_uuid),
        ]
        self.query_one("#state-panel", Static).update(rows(state_rows, width=11))

        self.query_one("#metadata-panel", Static).update(metadata_text(report.metadata))
        self.query_one("#files-panel", Static).update(rows(report.paths, width=11))

        self.query_one("#history-panel", Static).update(history_text(report.history))
        self.query_one("#wallets-panel", WalletList).show(report.wallets)

        problems = Text(end="")
        for i, p in enumerate(st.problems):
            if i:
                problems.append("\n")
            problems.append(f"✗ {p.kind}: ", style="bold")
            problems.append(p.message)
            problems.append("\n  → fix: ", style="bold")
            problems.append(p.fix)
        for message in report.errors:
            problems.append(f"\n✗ {message}" if problems.plain else f"✗ {message}")
        panel = self.query_one("#problems-panel", Static)
        panel.display = bool(problems.plain)
        panel.update(problems)
