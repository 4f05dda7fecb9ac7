"""The footer: which keys work right now, and whether the user is typing into a field.

Textual's Footer lists every active binding; at 80 columns that cannot hold
both the letter keys and their function-key twins. This footer shows the set
that works at this moment, derived from the active bindings (declared once in
``app.tui.keymap``):

- typing into a field (the focused widget takes printable keys): a "typing"
  badge, ``esc`` to leave the field, and the function keys, which still work;
- otherwise: a "keys" badge and the one-letter keys.

Both modes keep Help and Quit, so a narrow terminal never loses them: when it
is too narrow the footer leaves out whole keys, screen keys first, never a
key without its label. While the command palette is open, typed keys go into
its search, so the footer shows only the palette's keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import Footer, Label
from textual.widgets._footer import FooterKey

from app.tui.keymap import is_function_key, key_name

if TYPE_CHECKING:
    from textual.app import App, ComposeResult
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
        self._palette_shown = palette_open(self.app)
        if self._palette_shown:
            # Typed keys go into the palette's search now, not to the screen: only its
            # own keys work.
            yield Label("palette", classes="mode")
            for key, shown, what in PALETTE_KEYS:
                yield FooterKey(key, shown, what, key).data_bind(compact=Footer.compact)
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
        dropped = too_many(entries, width)
        for binding, enabled, tooltip in entries:
            if binding.action in dropped:
                continue
            yield FooterKey(
                binding.key,
                footer_key(binding),
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip or binding.description,
            ).data_bind(compact=Footer.compact)

    def on_mount(self) -> None:
        self._palette_shown = False
        self.app.screen_change_signal.subscribe(self, self._screen_changed)

    def on_unmount(self) -> None:
        self.app.screen_change_signal.unsubscribe(self)

    def _screen_changed(self, _screen: object) -> None:
        """The command palette opened or closed over this footer's screen: say so."""
        if self.is_attached and palette_open(self.app) != self._palette_shown:
            self.call_after_refresh(self.recompose)

    def on_resize(self) -> None:
        self.call_after_refresh(self.recompose)


PALETTE_KEYS = (("escape", "esc", "Close"), ("enter", "Enter", "Run"), ("down", "↑↓", "Choose"))
"""The footer while the command palette is open."""


def palette_open(app: App[Any]) -> bool:
    from textual.command import CommandPalette

    return any(isinstance(s, CommandPalette) for s in app.screen_stack)


def too_many(entries: list[tuple[Binding, bool, str]], width: int) -> set[str]:
    """The actions left out so that the rest fit in ``width``: a key is never shown
    without its label ("o w Wallet" read as two keys for the Wallet). The screen keys go
    first (the help lists them), this screen's own keys next; Help and Quit never."""

    def cost(binding: Binding) -> int:
        return len(footer_key(binding)) + len(binding.description) + 2

    used = sum(cost(b) for b, _, _ in entries)
    dropped: set[str] = set()
    for binding, _, _ in sorted(entries, key=lambda e: drop_order(e[0].action)):
        if used <= width or binding.action.removeprefix("app.") in ALWAYS:
            break
        dropped.add(binding.action)
        used -= cost(binding)
    return dropped


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
