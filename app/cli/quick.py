"""The ``status`` lines read without argparse.

Monitoring scripts run ``nunet-onboard status --json`` every few seconds, and
argparse (with the gettext, locale and shutil its help formatter pulls in) costs
that line about a fifth of its time. A line made only of the word ``status``,
the switches it takes (``--json``, ``--check``, ``-v``/``--verbose``) and
``--state-dir DIR`` (or ``--state-dir=DIR``), before or after the word, is read
here into the same attributes argparse gives. Anything else (help, an unknown or
abbreviated option, a missing value) is left to argparse, which answers as it
always does; ``tests/cli/test_quick.py`` holds the two to the same result.
"""

from __future__ import annotations

from types import SimpleNamespace

# Each switch's attribute; --json and --check belong to ``status`` and count only after
# it, as in argparse, where the options before the command are the program's own.
SWITCHES = {"--json": "json", "--check": "check", "-v": "verbose", "--verbose": "verbose"}
STATE_DIR = "--state-dir"


def quick_status(argv: list[str]) -> SimpleNamespace | None:
    """The parsed ``status`` line, or None when argparse must read it."""
    values: dict[str, object] = {"json": False, "check": False, "verbose": False}
    state_dir: str | None = None
    seen_command = False
    words = iter(argv)
    for word in words:
        if word == "status" and not seen_command:
            seen_command = True
        elif word in SWITCHES and (seen_command or SWITCHES[word] == "verbose"):
            values[SWITCHES[word]] = True
        elif word.startswith(STATE_DIR + "="):
            state_dir = word[len(STATE_DIR) + 1 :]
        elif word == STATE_DIR:
            state_dir = next(words, None)
            if state_dir is None or state_dir.startswith("-"):
                return None
        else:
            return None
    if not seen_command:
        return None
    from app.cli.status_cmds import cmd_status

    return SimpleNamespace(command="status", state_dir=state_dir, handler=cmd_status, **values)
