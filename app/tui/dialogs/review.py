"""The review step: what will change, in words and units, before anything is written.

A table of each field as before → after (or, when onboarding, the offer) with
its unit; fields that do not change are named once, dimmed, instead of taking
a row each. Below: what the host keeps, and warnings (unusual but allowed).
No internal names and no JSON: a provider reads it over SSH at 80x24. The body
scrolls by keyboard (↑ ↓ PgUp PgDn) while the focus stays on the buttons, and
Cancel, the safe choice, has the focus. Returns True only when the user chose
to write.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from app.onboarding.offer_fields import BY_NAME, ON_FORM
from app.tui.dialogs.base import NunetDialog
from app.tui.guard import one_line

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from app.onboarding.models import CapacityForNunet
    from app.onboarding.rules import OfferLimits
    from app.tui.app import NunetOnboardApp


def changes_table(
    after: CapacityForNunet, before: CapacityForNunet | None
) -> tuple[Table, list[str]]:
    """The rows that change (all of them when onboarding), and the labels that do not."""
    table = Table(
        box=None, show_header=before is not None, header_style="bold", pad_edge=False, expand=True
    )
    table.add_column("", style="bold", no_wrap=True, width=12)
    if before is not None:
        table.add_column("Before", overflow="fold", ratio=1)
        table.add_column("", width=1, no_wrap=True)
    table.add_column("After", overflow="fold", ratio=1)
    same: list[str] = []
    for row in ON_FORM:  # what a person chose on the form, in its order
        new = getattr(after, row.name)
        if before is None:
            table.add_row(row.label, row.show(new))
            continue
        old = getattr(before, row.name)
        if old == new:
            same.append(row.label)
            continue
        table.add_row(row.label, row.show(old), "→", Text(row.show(new), style="bold"))
    return table, same


def what_changed(
    before: CapacityForNunet | None, now: CapacityForNunet | None, history: list[str]
) -> str:
    """The change that makes a form or a review stale: the offer's fields that changed
    (before → after) when it did, else what the history says was done."""
    from app.onboarding.changes import describe_change

    if before is not None and now is not None and before != now:
        return describe_change(before.model_dump(mode="json"), now.model_dump(mode="json"))
    if (before is None) != (now is None):
        return (
            "this machine was " + ("onboarded" if now is not None else "offboarded") + " elsewhere"
        )
    return "; ".join(history) or "another process wrote the state"


def host_keeps(capacity: CapacityForNunet, limits: OfferLimits) -> Text:
    memory = limits.memory_total - capacity.memory
    text = Text.assemble(
        ("The host keeps ", "bold"),
        f"{limits.cpu_whole - capacity.cpu} MHz CPU, {BY_NAME['memory'].show(memory)} memory, "
        f"{limits.disk_free - capacity.disk} GB of free disk",
    )
    if limits.gpu_indices:
        kept = len(limits.gpu_indices) - len(capacity.gpus)
        text.append(f", {kept} GPU{'s' if kept != 1 else ''}")
    text.append(".")
    return text


class ReviewDialog(NunetDialog[bool]):
    """Confirm an onboarding or a change of offer."""

    AUTO_FOCUS = "#cancel"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Cancel"),
        Binding("up", "scroll('up')", "Scroll up", show=False),
        Binding("down", "scroll('down')", "Scroll down", show=False),
        Binding("pageup", "scroll('page_up')", "Page up", show=False),
        Binding("pagedown", "scroll('page_down')", "Page down", show=False),
        Binding("left", "app.focus_previous", "Previous", show=False),
        Binding("right", "app.focus_next", "Next", show=False),
    ]

    def __init__(
        self,
        capacity: CapacityForNunet,
        limits: OfferLimits,
        *,
        before: CapacityForNunet | None,
        warnings: list[str],
        state_path: str,
        base_note: str = "",
        base_revision: int | None = None,
    ) -> None:
        super().__init__()
        self.base_revision = base_revision
        """The state revision the offer under review was read at; None: not followed."""
        self.stale = ""
        """What changed in the state since then, once it has."""
        self.base_note = base_note
        """What changed outside since the form was read (shown first), or ""."""
        self.capacity = capacity
        self.limits = limits
        self.before = before
        self.warnings = list(warnings)
        self.state_path = state_path

    @property
    def onboarded(self) -> bool:
        return self.before is not None

    def compose(self) -> ComposeResult:
        table, same = changes_table(self.capacity, self.before)
        if self.onboarded:
            # With no row under it, "only these values change" promised a table not there.
            what = ": only these values change." if table.rows else ": nothing changes."
            intro = Text.assemble(("Change the offer", "bold"), what)
        else:
            intro = Text.assemble(
                ("Onboard this machine", "bold"), " with this offer, and make its node identity:"
            )
        if self.base_note:
            intro = Text.assemble((self.base_note + "\n\n", "bold"), intro)
        with Vertical(id="review-dialog", classes="dialog") as box:
            box.border_title = "Review before writing"
            box.border_subtitle = "↑↓ scroll · esc cancels"
            stale = Static(id="review-stale")
            stale.display = False
            yield stale
            with VerticalScroll(id="review-body", can_focus=False):
                yield Static(intro)
                if table.rows:
                    yield Static(table, id="review-table")
                if same:
                    yield Static(
                        Text("Unchanged: " + ", ".join(same), style="dim"), id="review-same"
                    )
                yield Static(host_keeps(self.capacity, self.limits), id="review-keeps")
                for warning in self.warnings:
                    yield Static(Text(f"⚠ {warning}", style="bold"), classes="review-warning")
                yield Static(Text(f"Written to {self.state_path}", style="dim"), id="review-path")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel", variant="primary")
                yield Button(
                    "Apply" if self.onboarded else "Onboard", id="confirm", variant="warning"
                )

    # -- the state changing underneath -----------------------------------------------
    def follow_state(self) -> None:
        """The state on disk changed: if since this review was opened, it is stale."""
        if self.base_revision is not None and not self.stale:
            self._read_changes(self.base_revision)

    @work(thread=True, exclusive=True, group="follow", exit_on_error=False)
    def _read_changes(self, base: int) -> None:
        controller = cast("NunetOnboardApp", self.app).controller
        try:
            if controller.revision() == base:
                return
            offer = controller.current_offer() if controller.is_onboarded() else None
            what = what_changed(self.before, offer, controller.changes_since(base))
        except Exception as exc:  # noqa: BLE001 - unreadable now: stale all the same
            what = f"the state cannot be read: {one_line(exc)}"
        self.app.call_from_thread(self.mark_stale, what)

    def mark_stale(self, what: str) -> None:
        """Say so at once, above everything, and take Apply away: it would be refused."""
        self.stale = what
        banner = self.query_one("#review-stale", Static)
        banner.update(
            Text.assemble(
                ("Out of date: ", "bold"),
                f"the state changed since this review was opened ({what}). "
                "Cancel, and review again.",
            )
        )
        banner.display = True
        self.query_one("#confirm", Button).disabled = True
        self.query_one("#cancel", Button).focus()

    def action_scroll(self, how: str) -> None:
        getattr(self.query_one("#review-body", VerticalScroll), f"scroll_{how}")(animate=False)

    @on(Button.Pressed, "#cancel")
    def action_close(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        self.dismiss(True)
