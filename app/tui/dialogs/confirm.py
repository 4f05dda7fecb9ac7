"""A yes/no question with the safe answer focused: escape and enter on it say "no".

Reusable: the leave guard asks with it, and any dialog that needs a plain
confirmation can too. Returns True only when the user chose the ``yes`` button.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

if TYPE_CHECKING:
    from textual.app import ComposeResult


class ConfirmDialog(ModalScreen[bool]):
    """Ask one question; the safe answer (``no``) is the default."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "no", "Stay")]
    AUTO_FOCUS = "#no"
    DEFAULT_CSS = "ConfirmDialog > .dialog { border: thick $warning; }"

    def __init__(self, title: str, message: str, *, yes: str, no: str) -> None:
        super().__init__()
        self.title_text = title
        self.question = message
        self.yes_label = yes
        self.no_label = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm-dialog") as box:
            box.border_title = self.title_text
            yield Static(Text(self.question), id="confirm-message")
            with Horizontal(classes="buttons"):
                yield Button(self.no_label, id="no", variant="primary")
                yield Button(self.yes_label, id="yes", variant="error")

    @on(Button.Pressed, "#no")
    def action_no(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.dismiss(True)
