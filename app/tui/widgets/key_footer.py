"""The footer: which keys work right now, and whether the user is typing into a field.

Textual's Footer lists every active binding; at 80 columns that cannot hold
both the letter keys and their function-key twins. This footer shows the set
that works at this moment, derived from the active bindings (declared once in
``app.tui.keymap``):

- typing into a field (the focused widget takes printable keys): a "typing"
  badge, ``esc`` to leave the field, and the function keys, which still work;
- otherwise: a "keys" badge and the one-letter keys.

Both modes keep Help and Quit, so a narrow terminal never loses them: the
footer drops descriptions of other keys first when it is too narrow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer, Label
from textual.widgets._footer import FooterKey

from app.tui.keymap import is_function_key, key_name

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.binding import Binding
    from textual.widget import Widget

ALWAYS = ("help", "quit")
"""Actions the footer never drops, however narrow the terminal."""


def is_typing(widget: Widget | None) -> bool:
    """True when the focused widget takes letters (a text field, the channel type-ahead)."""
    if widget is None:
        return False
    return bool(widget.check_consume_key("a", "a"))


def wanted(binding: Binding, typing: bool) -> bool:
    """Whether this binding belongs in the footer in this mode."""
    if not binding.show:
        return False
    if binding.action in ("blur", "app.blur"):
        return typing
    function_key = is_function_key(binding.key)
    return function_key if typing else not function_key


class KeyFooter(Footer):
    """The footer of every screen: the mode badge and the keys that work now."""

    DEFAULT_CSS = """
    KeyFooter .mode {
        width: auto;
        padding: 0 1;
        margin-right: 1;
        text-style: bold;
        background: $panel;
        color: $text;
    }
    KeyFooter .mode.-typing {
        background: $warning;
        color: $text;
        text-style: bold reverse;
    }
    """

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        typing = is_typing(self.screen.focused)
        badge = Label("✎ typing" if typing else "keys", classes="mode")
        badge.set_class(typing, "-typing")
        yield badge
        seen: set[str] = set()
        entries: list[tuple[Binding, bool, str]] = []
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if not wanted(binding, typing) or binding.action in seen:
                continue
            seen.add(binding.action)
            entries.append((binding, enabled, tooltip))
        # Help and Quit go last, where the eye looks for them (as in htop and mc).
        entries.sort(key=lambda e: e[0].action.removeprefix("app.") in ALWAYS)
        width = self.app.size.width - len(str(badge.render())) - 3
        used = sum(len(footer_key(b)) + len(b.description) + 2 for b, _, _ in entries)
        dropped: set[str] = set()
        # Too narrow: the screen keys (Overview, ...) lose their words first, as the
        # help lists them; this screen's own keys next; Help and Quit never.
        for binding, _, _ in sorted(entries, key=lambda e: drop_order(e[0].action)):
            if used <= width or binding.action.removeprefix("app.") in ALWAYS:
                break
            dropped.add(binding.action)
            used -= len(binding.description) + 1
        for binding, enabled, tooltip in entries:
            yield FooterKey(
                binding.key,
                footer_key(binding),
                "" if binding.action in dropped else binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip or binding.description,
            ).data_bind(compact=Footer.compact)

    def on_resize(self) -> None:
        self.call_after_refresh(self.recompose)


def footer_key(binding: Binding) -> str:
    """The key as the footer writes it: short, ``^r`` for ctrl+r as in nano and htop."""
    if binding.key_display:
        return binding.key_display
    return key_name(binding.key.split(",")[0]).replace("ctrl+", "^")


def drop_order(action: str) -> int:
    """Which descriptions go first when the footer is too narrow (lowest first)."""
    action = action.removeprefix("app.")
    if action.startswith("show") or action == "offboard":
        return 0
    return 2 if action in ALWAYS else 1
