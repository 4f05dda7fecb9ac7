"""The ``status`` and ``apply`` lines read without argparse.

Monitoring scripts run ``nunet-onboard status --json`` every few seconds, and a
fleet runs ``nunet-onboard apply - --json`` on every node at every play. argparse,
with what building the whole parser loads (gettext and locale for its messages,
shutil and with it bz2 and lzma for the help width, typing), costs those lines
about a third of their time. A line made only of the command word, the switches
it takes (``--json``, ``--check``, ``-v``/``--verbose``), ``--state-dir DIR`` (or
``--state-dir=DIR``) before or after the word, and for ``apply`` its one FILE
(``-`` for stdin), is read here into the same attributes argparse gives. Anything
else (help, an unknown or abbreviated option, a missing value, ``--``) is left to
argparse, which answers as it always does; ``tests/cli/test_quick.py`` holds the
two to the same result.
"""

from __future__ import annotations

from types import SimpleNamespace

# Each switch's attribute; --json and --check belong to the command and count only after
# it, as in argparse, where the options before the command are the program's own.
SWITCHES = {"--json": "json", "--check": "check", "-v": "verbose", "--verbose": "verbose"}
STATE_DIR = "--state-dir"
COMMANDS = {"status": False, "apply": True}
"""The commands read here, and whether each takes a FILE."""


def quick_parse(argv: list[str]) -> SimpleNamespace | None:
    """The parsed ``status`` or ``apply`` line, or None when argparse must read it."""
    values: dict[str, object] = {"json": False, "check": False, "verbose": False}
    state_dir: str | None = None
    command: str | None = None
    words = iter(argv)
    for word in words:
        if command is None and word in COMMANDS:
            command = word
        elif word in SWITCHES and (command is not None or SWITCHES[word] == "verbose"):
            values[SWITCHES[word]] = True
        elif word.startswith(STATE_DIR + "="):
            state_dir = word[len(STATE_DIR) + 1 :]
        elif word == STATE_DIR:
            state_dir = next(words, None)
            if state_dir is None or state_dir.startswith("-"):
                return None
        elif _is_file(word) and command is not None and COMMANDS[command]:
            if "file" in values:
                return None  # a second FILE: argparse says what is wrong
            values["file"] = word
        else:
            return None
    if command is None or (COMMANDS[command] and "file" not in values):
        return None
    return SimpleNamespace(
        command=command, state_dir=state_dir, handler=_handler(command), **values
    )


def _is_file(word: str) -> bool:
    """A positional word, as argparse sees it: not an option; ``-`` alone is one."""
    return word == "-" or not word.startswith("-")


def _handler(command: str) -> object:
    if command == "apply":
        from app.cli.apply_cmd import cmd_apply

        return cmd_apply
    from app.cli.status_cmds import cmd_status

    return cmd_status
