"""A yes/no question whose default answer is the safe one ("Stay").

Used before quitting, or leaving the wallet's words, while something would be
lost; any screen may reuse it. Returns True only when the user chose to leave.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from app.tui.dialogs.base import NunetDialog

if TYPE_CHECKING:
    from textual.app import ComposeResult


class ConfirmDialog(NunetDialog[bool]):
    """Ask before losing something; Stay is focused, so Enter and esc both stay."""

    AUTO_FOCUS = "#no"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "close", "Stay", show=False)]

    def __init__(self, title: str, message: str, *, leave: str, stay: str = "Stay") -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.leave_label = leave
        self.stay_label = stay

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog") as box:
            box.border_title = self.title_text
            yield Static(Text(self.message), id="confirm-message")
            with Horizontal(classes="buttons"):
                yield Button(self.stay_label, id="no", variant="primary")
                yield Button(self.leave_label, id="yes", variant="error")

    @on(Button.Pressed, "#no")
    def action_close(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#yes")
    def _leave(self) -> None:
        self.dismiss(True)
