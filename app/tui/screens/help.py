"""The help screen (``?``/F1): every key, generated from the one key table.

Nothing here lists a key by hand: the text comes from ``app.tui.keymap.KEYMAP``,
the same table the bindings come from, so the help cannot go stale. Keys with
the same action in the same place are on one line (``F2 / o``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from app.tui import keymap
from app.tui.dialogs.base import NunetDialog

if TYPE_CHECKING:
    from textual.app import ComposeResult


def help_rows() -> list[tuple[str, list[tuple[str, str]]]]:
    """Each scope of the key table with its (keys, what) lines, keys of one action merged."""
    sections: list[tuple[str, list[tuple[str, str]]]] = []
    for scope in keymap.SCOPES:
        lines: dict[str, tuple[list[str], str]] = {}
        for key in keymap.KEYMAP:
            if key.scope == scope:
                lines.setdefault(key.action, ([], key.help or key.description))[0].append(
                    key.shown_keys
                )
        sections.append((scope, [(" / ".join(keys), what) for keys, what in lines.values()]))
    return sections


def help_text() -> Text:
    text = Text(end="")
    for i, (scope, rows) in enumerate(help_rows()):
        if i:
            text.append("\n\n")
        text.append(scope, style="bold underline")
        for keys, what in rows:
            text.append("\n")
            text.append(f"{keys:<22}", style="bold")
            text.append(what)
    return text


class HelpScreen(NunetDialog[None]):
    """Keys and what they do."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,f1", "close", "Close", key_display="esc"),
        Binding("up", "scroll('up')", "Up", show=False),
        Binding("down", "scroll('down')", "Down", show=False),
        Binding("pageup", "scroll('page_up')", "Page up", show=False),
        Binding("pagedown", "scroll('page_down')", "Page down", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", classes="dialog") as box:
            box.border_title = "Keys"
            box.border_subtitle = "esc to close · ↑↓ to scroll"
            yield Static(help_text(), id="help-text")

    def action_scroll(self, how: str) -> None:
        getattr(self.query_one("#help", VerticalScroll), f"scroll_{how}")(animate=False)
