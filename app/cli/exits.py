"""The command line's exit codes and its usage error: what every command may end with.

Apart from ``args.py`` (argparse's types) so that ``status``, which is read without
argparse, can raise and catch them too.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad usage (exit code 2): a value of the wrong form or a missing confirmation."""


class Cancelled(Exception):
    """A question at the terminal was left unanswered (Ctrl-D, end of input): exit code 1,
    as for a "no" at a confirmation. The message names the question; nothing was written."""
