"""DMS's command lines as DMS reads them: spf13/pflag's grammar, before argparse's.

DMS (v0.4.159) parses its flags with pflag, whose grammar differs from argparse's in
ways a DMS-era script relies on:

- a bool flag takes its value only after ``=`` (``-u=false``, ``--cardano=0``,
  ``-l=f``) and never takes the next word: ``-C false`` turns Cardano *on* and leaves
  ``false`` as a stray word;
- short flags combine: ``-Cu`` is ``-C -u``, ``-ul=false`` is ``-u -l=false``, and a
  value may follow its letter at once (``-c4673``, ``-c=4673``);
- words that are no flag's value are positional arguments, which DMS's commands ignore;
- an integer flag is read by Go's ``strconv.ParseInt(s, 0, 64)``: ``0x2000``,
  ``8_192``, ``0o20000``, ``0b...`` and ``020000`` (a leading 0 is octal) are 8192.

``rewrite`` turns such a line into the one argparse reads with the same meaning, using
the command's own argparse table (no second list of flags to keep in step); stray words
are taken out and counted, never shown (a mnemonic pasted onto the wrong line must not
reach a terminal log). ``go_int`` is Go's integer grammar, for the integer flags.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

STRAY_WORDS = "pflag_stray_words"
"""The namespace attribute that holds how many stray words a DMS command line had."""
TYPED_FLAGS = "pflag_typed_flags"
"""The namespace attribute that holds each flag as typed, one a word (``-c=4673`` for
``-c4673``, ``-u`` and ``-l=false`` for ``-ul=false``): what a message names the flag by."""

_INT64_LIMIT = 1 << 63


def warn_strays(args: argparse.Namespace) -> None:
    """The one warning for a DMS command's stray words: how many, never which (they may
    be secret); DMS ignores them silently, which hides a mistyped line."""
    count = getattr(args, STRAY_WORDS, 0)
    if not count:
        return
    from app.cli.output import warn

    words = "word" if count == 1 else "words"
    warn(
        f"warning: {count} extra {words} on the command line ignored, as DMS ignores them "
        "(not shown, as they may be secret); a true/false flag takes its value only after = "
        "(FLAG=false), never from the next word"
    )


# -- Go's strconv.ParseInt(s, 0, 64) ----------------------------------------------------
def _underscore_ok(text: str) -> bool:
    """Go's ``underscoreOK``: each ``_`` sits between digits (or after a base prefix)."""
    saw = "^"
    body = text[1:] if text[:1] in "+-" and text else text
    i = 0
    hexadecimal = False
    if len(body) >= 2 and body[0] == "0" and body[1].lower() in "box":
        i, saw, hexadecimal = 2, "0", body[1].lower() == "x"
    for char in body[i:]:
        if char.isascii() and (char.isdigit() or (hexadecimal and char.lower() in "abcdef")):
            saw = "0"
        elif char == "_":
            if saw != "0":
                return False
            saw = "_"
        elif saw == "_":
            return False
        else:
            saw = "!"
    return saw != "_"


def _go_uint(digits: str) -> int | None:
    """Go's ``ParseUint(s, 0, 64)`` up to the range check: None on a syntax error."""
    base = 10
    if digits[:1] == "0":
        prefix = digits[1:2].lower()
        if len(digits) >= 3 and prefix in ("b", "o", "x"):
            base, digits = {"b": 2, "o": 8, "x": 16}[prefix], digits[2:]
        else:
            base, digits = 8, digits[1:]
    value = 0
    for char in digits:
        if char == "_":
            continue
        lowered = char.lower()
        if char.isascii() and char.isdigit():
            digit = ord(char) - ord("0")
        elif "a" <= lowered <= "z":
            digit = ord(lowered) - ord("a") + 10
        else:
            return None
        if digit >= base:
            return None
        value = value * base + digit
    return value


def go_int(text: str) -> int | None:
    """``text`` read as Go's ``strconv.ParseInt(text, 0, 64)``: None when Go finds a
    syntax error; ``UnitError`` when the number is out of int64's range (Go's range error)."""
    if not text or len(text) > 80:
        return None
    negative = text[0] == "-"
    digits = text[1:] if text[0] in "+-" else text
    if not digits:
        return None
    value = _go_uint(digits)
    if value is None or ("_" in text and not _underscore_ok(text)):
        return None
    if value > _INT64_LIMIT or (value == _INT64_LIMIT and not negative):
        from app.onboarding.units import UnitError, shown

        raise UnitError(f"{shown(text)} is out of range (a 64-bit whole number)")
    return -value if negative else value


def _go_form(text: str) -> bool:
    """Text only Go's grammar can mean: a base prefix, an underscore, or a leading 0
    (octal): ``089`` is then refused as DMS refuses it, not read as 89."""
    body = text.lstrip("+-")
    return (
        "_" in body
        or (body[:1] == "0" and len(body) > 1 and not body[1:2].isalpha())
        or (body[:2].lower() in ("0x", "0o", "0b"))
    )


def go_int_first(parse: Callable[[str], int], text: str) -> int:
    """``text`` read as DMS's flag would read a plain integer (``go_int``) first: a Go
    form (``0x2000``, ``8_192``, ``020000``) is its value, and one Go refuses (``8__192``,
    ``089``) is refused; any other text (a size with a unit, ``2.6GHz``) and a negative
    number are ``parse``'s to take or refuse.

    The flag table binds ``parse`` with ``functools.partial`` rather than calling a
    factory at import: a closure made at import keeps its body whatever mutation testing
    switches, so no test could reach a change to it."""
    value = go_int(text)
    if value is not None and value >= 0:
        return value
    if value is None and _go_form(text) and "." not in text:
        from app.onboarding.units import UnitError, shown

        raise UnitError(
            f"{shown(text)} is not a whole number as DMS reads it: 8192, 0x2000, 0o20000, "
            "0b10000000000000 or 8_192 (a leading 0 means octal, so 8 and 9 cannot follow it)"
        )
    return parse(text)


# -- pflag's flag grammar -------------------------------------------------------------
def _is_bool(action: argparse.Action) -> bool:
    """A flag pflag reads as a bool: no value (``store_true``, ``store_const``, help) or
    an optional true/false (``nargs="?"`` with a bool ``const``, as ``-C`` and ``-l``)."""
    return action.nargs == 0 or (action.nargs == "?" and isinstance(action.const, bool))


def _name(action: argparse.Action) -> str:
    """The spelling argparse is given: the long one, where there is one."""
    return max(action.option_strings, key=len)


class _Reader:
    """One command line read the way pflag reads it, into argparse's forms."""

    def __init__(self, parser: argparse.ArgumentParser) -> None:
        self.parser = parser
        self.options: dict[str, argparse.Action] = {}
        for action in parser._actions:  # argparse keeps its table of flags here only
            for option in action.option_strings:
                self.options[option] = action
        self.out: list[str] = []
        self.typed: list[str] = []
        self.strays = 0

    def flag(self, action: argparse.Action, typed: str, value: str | None) -> None:
        """``action`` given as ``typed``, with its value (None: none given)."""
        self.typed.append(typed if value is None else f"{typed}={value}")
        if not _is_bool(action):
            self.out.append(_name(action) if value is None else f"{_name(action)}={value}")
            return
        if action.nargs == "?":  # its own type reads true/false (``-l=false``)
            self.out.append(_name(action) + ("" if value is None else f"={value}"))
            return
        from app.cli.args import flag_bool

        try:
            on = True if value is None else flag_bool(value)
        except argparse.ArgumentTypeError:
            options = "/".join(action.option_strings)
            self.parser.error(
                f"argument {options}: '{value}' is not true or false; "
                f"give {typed} alone, or {typed}=true / {typed}=false (also 1/0, t/f)"
            )
        if on:  # false is the flag left out: its default
            self.out.append(_name(action))

    def long(self, word: str, rest: list[str]) -> None:
        name, equals, value = word.partition("=")
        action = self.options.get(name) or self._abbreviated(name)
        if action is None:
            self.out.append(word)  # argparse names what it does not know
        else:  # named as typed, an abbreviation by the option it stands for
            typed = name if name in self.options else _name(action)
            if equals:
                self.flag(action, typed, value)
            elif _is_bool(action) or not rest:
                self.flag(action, typed, None)
            else:
                self.flag(action, typed, rest.pop(0))

    def _abbreviated(self, name: str) -> argparse.Action | None:
        """argparse's unique abbreviation of a long option (``--nunet`` for
        ``--nunet-channel``), which the commands have always taken."""
        if not self.parser.allow_abbrev:
            return None
        found = {a for o, a in self.options.items() if o.startswith("--") and o.startswith(name)}
        return found.pop() if len(found) == 1 else None

    def shorts(self, word: str, rest: list[str]) -> None:
        letters = word[1:]
        while letters:
            typed = "-" + letters[0]
            action = self.options.get(typed)
            if action is None:
                self.out.append("-" + letters)  # argparse names what it does not know
                return
            tail = letters[1:]
            if tail[:1] == "=":  # -l=false, -c=4673; -u= is -u given "", as pflag reads it
                self.flag(action, typed, tail[1:])
                return
            if _is_bool(action):
                self.flag(action, typed, None)
                letters = tail
            elif tail:  # -c4673
                self.flag(action, typed, tail)
                return
            else:  # -c 4673; -c at the end of the line is argparse's to refuse
                self.flag(action, typed, rest.pop(0) if rest else None)
                return


def rewrite(parser: argparse.ArgumentParser, args: list[str]) -> tuple[list[str], int, list[str]]:
    """``args`` for a command that takes no positional argument, read as pflag reads them:
    the line argparse reads with the same meaning, how many stray words were taken out,
    and each flag as typed (``TYPED_FLAGS``)."""
    reader = _Reader(parser)
    rest = list(args)
    while rest:
        word = rest.pop(0)
        if word == "--":  # pflag: everything after it is positional
            reader.strays += len(rest)
            break
        if len(word) < 2 or word[0] != "-":
            reader.strays += 1
        elif word[1] == "-":
            reader.long(word, rest)
        else:
            reader.shorts(word, rest)
    return reader.out, reader.strays, reader.typed
