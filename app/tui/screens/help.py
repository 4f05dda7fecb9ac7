"""The help screen (``?``): every key, so nothing depends on memory or a mouse."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.app import ComposeResult

KEYS: tuple[tuple[str, str], ...] = (
    ("o", "Overview: hardware, live usage, status"),
    ("a", "Allocate: onboard, or change the offer"),
    ("w", "Wallet: new payment address, or check one"),
    ("s", "Status: metadata, files, history, problems"),
    ("x", "Offboard (asks first; Cancel is the default)"),
    ("?", "This help"),
    ("q", "Quit"),
    ("ctrl+p", "Command palette: every action by name"),
    ("tab / shift+tab", "Next / previous field"),
    ("escape", "Leave a text field (then the keys above work)"),
    ("", ""),
    ("Sliders", ""),
    ("left / right", "Small step"),
    ("shift+arrows, pgup/pgdn", "Large step"),
    ("home / end", "Allowed minimum / maximum (again: track end)"),
    ("mouse", "Click or drag on the track"),
    ("", ""),
    ("Allocate", ""),
    ("ctrl+n", "Go to the Wallet screen for a new address"),
    ("ctrl+r", "Review and write the offer"),
)


class HelpScreen(ModalScreen[None]):
    """Keys and what they do."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close", key_display="esc"),
    ]

    def compose(self) -> ComposeResult:
        text = Text(end="")
        for i, (key, what) in enumerate(KEYS):
            if i:
                text.append("\n")
            if key and not what:
                text.append(key, style="bold underline")
                continue
            text.append(f"{key:<24}", style="bold")
            text.append(what)
        with VerticalScroll(id="help", classes="dialog") as box:
            box.border_title = "Keys"
            box.border_subtitle = "esc to close"
            yield Static(text)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
