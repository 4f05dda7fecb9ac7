"""A value the user gave, as a message may show it: escaped, short, and never a mnemonic.

Messages echo what was typed or read so that a person sees what was wrong. Three
things must not come back with it: control characters (an offer key holding
``ESC [2J`` would clear the screen, or set the terminal's title), a wall of text (a
60 KB key), and the words of a mnemonic typed in the wrong place
(``nunet-onboard status <24 words>``), which would then sit in the terminal's
scroll-back and any log of it. So a value is shown escaped, cut to
``MAX_SHOWN`` characters, and not at all when it holds a run of BIP-39 words.
"""

from __future__ import annotations

MAX_SHOWN = 40
"""Characters of a value a message shows, as docs/usage.md promises (its "Sizes")."""
MNEMONIC_RUN = 2
"""Consecutive BIP-39 words that make a value look like (part of) a mnemonic."""
HIDDEN = "(not shown: it looks like mnemonic words)"

_PUNCTUATION = "\"'`,.;:()[]{}<>/\\"
_words: frozenset[str] | None = None


def escaped(text: str) -> str:
    """``text`` with every control character (C0, DEL, C1) and the bidirectional
    overrides written as a Python escape: nothing in it can steer a terminal."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() or char == " " else repr(char)[1:-1] for char in text)


def cut(text: str, limit: int = MAX_SHOWN) -> str:
    """At most ``limit`` characters, with "…" where it was cut."""
    return text if len(text) <= limit else text[:limit] + "…"


def shown(text: str) -> str:
    """The value as a message shows it: hidden when it holds mnemonic words, else
    escaped and cut to ``MAX_SHOWN`` characters (the cut is made before escaping, so
    an escape is never split)."""
    if holds_mnemonic_words(text):
        return HIDDEN
    return escaped(cut(text))


def shown_path(path: str) -> str:
    """A path as a message shows it: like ``shown``, but a long one keeps its end (the
    file's name says more than the first directories)."""
    if holds_mnemonic_words(path):
        return HIDDEN
    return escaped(path if len(path) <= MAX_SHOWN else "…" + path[-MAX_SHOWN:])


def holds_mnemonic_words(text: str) -> bool:
    """Whether ``text`` holds ``MNEMONIC_RUN`` or more BIP-39 English words in a row
    (separated by blanks; case and surrounding punctuation ignored)."""
    if len(text.split(None, 1)) < 2:  # one word or none: no run, and no word list to load
        return False
    words = _bip39_words()
    run = 0
    for token in text.split():
        run = run + 1 if token.strip(_PUNCTUATION).lower() in words else 0
        if run >= MNEMONIC_RUN:
            return True
    return False


def _bip39_words() -> frozenset[str]:
    """The BIP-39 English list, as the ``mnemonic`` package ships it (read once)."""
    global _words
    if _words is None:
        import os

        import mnemonic

        directory = os.path.dirname(os.path.abspath(mnemonic.__file__))
        with open(os.path.join(directory, "wordlist", "english.txt"), encoding="utf-8") as fh:
            _words = frozenset(line.strip() for line in fh if line.strip())
    return _words


def in_usage_error(message: str) -> str:
    """argparse's one-line usage error with each value the user typed ``shown``: the
    quoted ones (argparse quotes what it ``repr``s) and the list after "unrecognized
    arguments:". What argparse itself says is kept."""
    head, sep, tail = message.partition("unrecognized arguments: ")
    if sep:
        return f"{head}{sep}{shown(tail)}"
    head, sep, tail = message.partition("invalid choice: ")
    if sep:  # the value is repr'd and may hold quotes: it ends where the choices begin
        value, choices, rest = tail.rpartition(" (choose from ")
        if choices:
            return f"{head}{sep}{_quoted(value)}{choices}{rest}"
    import re

    return re.sub(r"'[^']*'|\"[^\"]*\"", lambda m: _quoted(m.group(0)), message)


def _quoted(value: str) -> str:
    """A value argparse quoted, shown with its quotes (its escapes are kept)."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return f"{value[0]}{shown(value[1:-1])}{value[0]}"
    return shown(value)
