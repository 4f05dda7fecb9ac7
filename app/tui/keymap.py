"""Every key of the app, declared once: the bindings, the footer and the help come from here.

As in harlequin's keymap, one table lists each action with its keys, what it
does and where it applies. The screens build their ``BINDINGS`` with
:func:`bindings`, the footer shows the active ones, and the help screen is
generated from the same table, so the help can never miss a key (a test checks
that every binding of every screen and widget is in the help).

Function keys (F1 help, F2-F5 screens, F8 offboard, F10 quit) are priority
bindings: they work inside a text field too, as in htop and mc. The one-letter
keys are ordinary bindings, so a focused text field takes the letter instead;
``esc`` leaves the field. Entries marked ``builtin`` are keys that Textual or a
stock widget provides (Tab, the command palette); they are listed for the help
but make no binding of ours.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType

APP = "Everywhere"
ALLOCATE = "Allocate"
SLIDER = "Sliders (CPU, Memory, Disk)"
WALLET = "Wallet"
STATUS = "Status"
DIALOG = "Dialogs and notices"
HELP = "Help"
SCOPES = (APP, ALLOCATE, SLIDER, WALLET, STATUS, DIALOG)
"""The help's sections, in this order."""


@dataclass(frozen=True)
class Key:
    """One key (or several equivalent keys) bound to one action in one place."""

    keys: str
    """Textual key names, comma-separated (``"f2"``, ``"shift+left,shift+right"``)."""
    action: str
    description: str
    """Short, for the footer."""
    scope: str
    help: str = ""
    """Longer, for the help screen; the description when empty."""
    show: bool = True
    """Shown in the footer (when it applies)."""
    priority: bool = False
    """Works even when a text field has the focus."""
    display: str | None = None
    """How the key is written in the footer and help (``"?"`` for question_mark)."""
    builtin: bool = False
    """Provided by Textual or a stock widget: in the help only, no binding made here."""

    def binding(self) -> Binding:
        return Binding(
            self.keys,
            self.action,
            self.description,
            show=self.show,
            priority=self.priority,
            key_display=self.display,
        )

    @property
    def shown_keys(self) -> str:
        """The keys as a person reads them: ``F2``, ``ctrl+r``, ``?``."""
        if self.display:
            return self.display
        return " / ".join(key_name(k) for k in self.keys.split(","))


def key_name(key: str) -> str:
    """``f2`` -> ``F2``, ``pageup`` -> ``PgUp``, ``question_mark`` -> ``?``."""
    names = {
        "question_mark": "?",
        "pageup": "PgUp",
        "pagedown": "PgDn",
        "home": "Home",
        "end": "End",
        "escape": "esc",
        "enter": "Enter",
        "left": "←",
        "right": "→",
        "up": "↑",
        "down": "↓",
        "space": "space",
    }
    parts = key.split("+")
    last = parts[-1]
    if len(last) in (2, 3) and last[0] == "f" and last[1:].isdigit():
        last = last.upper()
    parts[-1] = names.get(last, last)
    return "+".join(parts)


def _screen(letter: str, fkey: str, mode: str, name: str, what: str) -> tuple[Key, Key]:
    action = f"show('{mode}')"
    return (
        Key(fkey, action, name, APP, what, priority=True),
        Key(letter, action, name, APP, what),
    )


KEYMAP: tuple[Key, ...] = (
    Key("f1", "help", "Help", APP, "This help: every key of every screen", priority=True),
    Key("question_mark", "help", "Help", APP, "This help", display="?"),
    *_screen("o", "f2", "overview", "Overview", "Overview: hardware, live usage, status"),
    *_screen("a", "f3", "allocate", "Allocate", "Allocate: onboard, or change the offer"),
    *_screen("w", "f4", "wallet", "Wallet", "Wallet: new payment address, or check one"),
    *_screen("s", "f5", "status", "Status", "Status: metadata, files, history, problems"),
    Key(
        "f8",
        "offboard",
        "Offboard",
        APP,
        "Offboard (asks first; Cancel is the default)",
        True,
        True,
    ),
    Key("x", "offboard", "Offboard", APP, "Offboard (asks first)"),
    Key("f10", "quit", "Quit", APP, "Quit; asks first if something would be lost", priority=True),
    Key("ctrl+q", "quit", "Quit", APP, "Quit, from anywhere", show=False, priority=True),
    Key("q", "quit", "Quit", APP, "Quit (not inside a text field)"),
    Key(
        "ctrl+p",
        "command_palette",
        "Palette",
        APP,
        "Command palette: every action by name",
        builtin=True,
    ),
    Key(
        "tab,shift+tab",
        "focus_next",
        "Next",
        APP,
        "Next / previous field, top to bottom",
        builtin=True,
    ),
    Key("escape", "blur", "Leave field", APP, "Leave a text field: the letter keys work again"),
    Key("ctrl+r", "review", "Review", ALLOCATE, "Review what would be written, then confirm"),
    Key(
        "ctrl+n", "new_wallet", "New address", ALLOCATE, "Go to the Wallet screen for a new address"
    ),
    Key("enter", "submit", "Review", ALLOCATE, "In a text field: open the review", builtin=True),
    Key(
        "a-z",
        "type_ahead",
        "Channel",
        ALLOCATE,
        "On Channel: type-ahead (ed = nunet-edge)",
        builtin=True,
    ),
    Key("left", "step(-1)", "Less", SLIDER, "One small step down (about 1 % of the total)", False),
    Key("right", "step(1)", "More", SLIDER, "One small step up", False),
    Key("shift+left,pagedown", "big_step(-1)", "Much less", SLIDER, "One large step down", False),
    Key("shift+right,pageup", "big_step(1)", "Much more", SLIDER, "One large step up", False),
    Key("home", "to_low", "Lowest", SLIDER, "The lowest allowed value", False),
    Key("end", "to_high", "Highest", SLIDER, "The highest allowed value", False),
    Key("0-9", "type", "Type", SLIDER, "Type the exact value (backspace corrects)", builtin=True),
    Key("ctrl+g", "generate", "Generate", WALLET, "Make a new wallet"),
    Key("r", "reload", "Reload", STATUS, "Read the status again"),
    Key("escape", "close", "Close", DIALOG, "Close or cancel: nothing is written"),
    Key("up,down", "scroll", "Scroll", DIALOG, "Scroll a long review or help", builtin=True),
)


def keys_for(scope: str) -> tuple[Key, ...]:
    return tuple(k for k in KEYMAP if k.scope == scope and not k.builtin)


def bindings(scope: str, *, only: tuple[str, ...] = ()) -> list[BindingType]:
    """The Textual bindings of one scope (optionally only these actions)."""
    return [k.binding() for k in keys_for(scope) if not only or k.action in only]


def is_function_key(key: str) -> bool:
    last = key.split("+")[-1]
    return len(last) in (2, 3) and last[0] == "f" and last[1:].isdigit()
