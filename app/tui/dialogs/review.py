"""The review step: exactly what will be written, before anything is.

Shows the offer as the JSON the state file will hold (the model's own dump, not
a paraphrase) with what the host keeps beside it. Cancel is focused; the
dialog returns True only when the user chose to write.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from app.onboarding.models import CapacityForNunet
    from app.onboarding.rules import OfferLimits


class ReviewDialog(ModalScreen[bool]):
    """Confirm an onboarding or a change of offer."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    AUTO_FOCUS = "#cancel"

    def __init__(
        self,
        capacity: CapacityForNunet,
        limits: OfferLimits,
        *,
        onboarded: bool,
        state_path: str,
        base_note: str = "",
    ) -> None:
        super().__init__()
        self.base_note = base_note
        """What changed outside since the form was read (shown first), or ""."""
        self.capacity = capacity
        self.limits = limits
        self.onboarded = onboarded
        self.state_path = state_path

    def compose(self) -> ComposeResult:
        c, lim = self.capacity, self.limits
        what = "change the offer" if self.onboarded else "onboard this machine"
        intro = Text.assemble(
            ("This will ", ""),
            (what, "bold"),
            (" and write this offer to\n", ""),
            (self.state_path, "italic"),
            ("\n", ""),
        )
        if not self.onboarded:
            intro.append("and create a new node identity beside it.\n")
        if self.base_note:
            intro = Text.assemble((self.base_note + "\n\n", "bold"), intro)
        body = Text(json.dumps(c.model_dump(mode="json"), indent=2))
        keeps = Text.assemble(
            ("\nThe host keeps ", "bold"),
            f"{lim.cpu_total - c.cpu} MHz CPU, {lim.memory_total - c.memory} MB memory, "
            f"{lim.disk_free - c.disk} GB of free disk",
        )
        with Vertical(id="review-dialog", classes="dialog") as box:
            box.border_title = "Review before writing"
            with VerticalScroll():
                yield Static(intro)
                yield Static(body, id="review-json")
                yield Static(keeps)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel", variant="primary")
                yield Button(
                    "Apply" if self.onboarded else "Onboard", id="confirm", variant="warning"
                )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        self.dismiss(True)
