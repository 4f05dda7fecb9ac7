"""The offboarding confirmation: what goes, what stays, and Cancel by default.

Offboarding deletes the node identity, which cannot be undone, so the dialog
spells out both lists from ``controller.offboard_plan()``, focuses Cancel, and
shows what actually happened before it closes. "Force" is for a state that is
corrupt or inconsistent; without it such a state is refused with the reason.
Returns True when something was offboarded (the screens then reload).

The dialog follows the state while it is open: a change made by another
process redraws the plan, and the offboard names the revision the plan was
read at, so one confirmed on a plan that has since gone stale is refused with
what changed (a forced offboard goes on regardless: it is the way out of a
state that cannot be read).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, LoadingIndicator, Static

from app.onboarding.refusals import StateChanged
from app.tui.dialogs.base import NunetDialog
from app.tui.screens.base import describe_error
from app.tui.widgets.toggles import TickBox

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from app.onboarding.controller import OffboardPlan, OffboardResult
    from app.tui.app import NunetOnboardApp


def bullets(title: str, items: tuple[str, ...] | list[str], style: str = "") -> Text:
    text = Text(title, style="bold", end="")
    for item in items:
        text.append("\n • ")
        text.append(item, style=style)
    return text


class OffboardDialog(NunetDialog[bool]):
    """Confirm, run and report offboarding."""

    AUTO_FOCUS = "#cancel"

    def __init__(self) -> None:
        super().__init__()
        self._done = False
        self._changed = False
        self._plan: OffboardPlan | None = None
        self._plan_failed = False
        self._offboarding = False
        self.base_revision: int | None = None
        """The state revision the plan shown was read at."""

    def compose(self) -> ComposeResult:
        with Vertical(id="offboard", classes="dialog") as box:
            box.border_title = "Offboard this machine"
            yield LoadingIndicator(id="offboard-busy")
            with VerticalScroll(id="offboard-body"):
                yield Static(id="offboard-plan")
                yield Static(id="offboard-result")
            yield TickBox("Force: also clean up a corrupt or inconsistent state", id="force")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel", variant="primary")
                yield Button("Offboard", id="confirm", variant="error")
                yield Button("Close", id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#close").display = False
        self.query_one("#offboard-result").display = False
        self._busy(True)
        self.load_plan()

    @property
    def nunet(self) -> NunetOnboardApp:
        return cast("NunetOnboardApp", self.app)

    def _busy(self, busy: bool) -> None:
        self.query_one("#offboard-busy").display = busy
        self._update_confirm(busy=busy)

    def _update_confirm(self, *, busy: bool = False) -> None:
        """Offboard is enabled only when there is something to remove.

        An onboarded machine: always. An incomplete state (something to remove,
        not onboarded) or an unreadable one: only with Force ticked, as only
        Force cleans those up. Nothing to remove: never.
        """
        force = self.query_one("#force", Checkbox).value
        plan = self._plan
        if plan is not None:
            something = bool(plan.remove) and (plan.onboarded or force)
        else:
            something = self._plan_failed and force
        self.query_one("#confirm", Button).disabled = busy or not something

    @work(thread=True, exclusive=True, group="plan", exit_on_error=False)
    def load_plan(self) -> None:
        controller = self.nunet.controller
        try:
            revision: int | None = controller.revision()
        except Exception:  # noqa: BLE001 - unreadable: only a forced offboard can go on
            revision = None
        try:
            plan = controller.offboard_plan()
        except Exception as exc:  # noqa: BLE001 - an unreadable state is shown, not raised
            self.app.call_from_thread(self.show_plan_error, describe_error(exc))
            return
        self.app.call_from_thread(self._plan_read, revision, plan)

    def _plan_read(self, revision: int | None, plan: OffboardPlan) -> None:
        self.base_revision = revision
        self.show_plan(plan)

    def follow_state(self) -> None:
        """Another process wrote the state: show the plan as it is now (unless done or running)."""
        if not self._offboarding and not self._changed:
            self.load_plan()

    def show_plan(self, plan: OffboardPlan) -> None:
        self._busy(False)
        text = Text(end="")
        if plan.remove:
            text.append_text(bullets("This removes:", plan.remove))
        else:
            text.append("Nothing to remove: this machine is not onboarded.", style="bold")
        text.append("\n\n")
        text.append_text(bullets("This keeps:", plan.keep))
        if not plan.onboarded and plan.remove:
            text.append("\n\nThe state is incomplete or unreadable: tick Force to clean it up.")
        if plan.removes_identity:
            text.append("\n\nThe node identity cannot be recovered once removed.", style="bold")
        self.query_one("#offboard-plan", Static).update(text)
        self._plan = plan
        # Nothing to remove: no Offboard button to press (nor Force to tick), only Cancel.
        for widget_id in ("#confirm", "#force"):
            self.query_one(widget_id).display = bool(plan.remove)
        self._update_confirm()

    def show_plan_error(self, message: str) -> None:
        self._plan_failed = True
        self._busy(False)
        self.query_one("#offboard-plan", Static).update(
            Text(f"{message}\n\nTick Force to clean up what can be cleaned.")
        )

    @on(Checkbox.Changed, "#force")
    def _force_changed(self) -> None:
        self._update_confirm(busy=self.query_one("#offboard-busy").display)

    @on(Button.Pressed, "#cancel")
    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        # Leaving while the offboard waits for the lock drops it (it never runs later).
        self.nunet.controller.cancel_waits()
        self.dismiss(self._changed)

    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        self._busy(True)
        self._offboarding = True
        self.query_one("#cancel", Button).disabled = True
        self.run_offboard(self.query_one("#force", Checkbox).value, self.base_revision)

    @work(thread=True, exit_on_error=False)
    def run_offboard(self, force: bool, base_revision: int | None = None) -> None:
        try:
            with self.nunet.own_write():
                result = self.nunet.controller.offboard(force=force, base_revision=base_revision)
        except StateChanged as exc:
            self.app.call_from_thread(self.show_failure, str(exc))
            self.app.call_from_thread(self.load_plan)
            return
        except Exception as exc:  # noqa: BLE001 - the refusal is the result to show
            self.app.call_from_thread(self.show_failure, describe_error(exc))
            return
        self.app.call_from_thread(self.show_result, result)

    def show_failure(self, message: str) -> None:
        self._offboarding = False
        self._busy(False)
        self.query_one("#cancel", Button).disabled = False
        result = self.query_one("#offboard-result", Static)
        result.update(Text(f"Not offboarded: {message}", style="bold"))
        result.display = True
        result.add_class("-error")
        self.query_one("#offboard-body", VerticalScroll).scroll_end(animate=False)

    def show_result(self, result: OffboardResult) -> None:
        self._offboarding = False
        self._busy(False)
        self._changed = True
        self.query_one("#offboard-plan", Static).display = False
        text = Text("Offboarded.\n\n", style="bold", end="")
        text.append_text(bullets("Removed:", result.removed or ("nothing",)))
        text.append("\n\n")
        text.append_text(bullets("Kept:", result.kept))
        if result.failed:
            text.append("\n\n")
            text.append_text(bullets("Could not be done:", result.failed, style="bold"))
        out = self.query_one("#offboard-result", Static)
        out.remove_class("-error")
        out.update(text)
        out.display = True
        for widget_id in ("#cancel", "#confirm", "#force"):
            self.query_one(widget_id).display = False
        close = self.query_one("#close", Button)
        close.display = True
        close.focus()
