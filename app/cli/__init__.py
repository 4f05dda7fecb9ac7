"""The ``nunet-onboard`` command line: the TUI with no arguments, headless commands otherwise.

argparse, not a third-party CLI framework: it is in the standard library and
cheap to import; even so, the plain ``status`` lines that monitoring runs every
few seconds are read without it (``quick.py``), and each command imports what it
needs when it runs. Exit codes: 0 done, 1 refused by a rule or the state, 2 bad usage, 130
interrupted. Whatever happens, the user gets one line on stderr, never a traceback.
"""

from __future__ import annotations

import sys

from app.cli.exits import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, Cancelled, UsageError
from app.cli.output import error, guard_stdout, warn

TYPE_CHECKING = False
if TYPE_CHECKING:  # status's path imports no typing (~0.4x of a bare start with its imports)
    import argparse
    from collections.abc import Sequence
    from typing import Any

    from app.onboarding.errors import Problem

__all__ = ["EXIT_OK", "EXIT_REFUSED", "EXIT_USAGE", "UsageError", "build", "entry", "main", "parse"]


def __getattr__(name: str) -> Any:
    """``build`` and ``parse`` (argparse) when first asked for: a plain ``status`` line
    is read by ``quick.py`` and never imports argparse."""
    if name in ("build", "parse"):
        from app.cli import parse_argv

        return getattr(parse_argv, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    guard_stdout()
    from app.cli.quick import quick_parse

    args: Any = quick_parse(argv)
    if args is None:
        from app.cli.parse_argv import parse

        try:
            args = parse(argv)
        except KeyboardInterrupt:
            return 130
        from app.cli.pflag import warn_strays

        warn_strays(args)
    if args.command is None:
        return _launch_tui(args)
    return _run(args, argv)


def _refusal(problem: Problem, args: argparse.Namespace, argv: list[str]) -> str:
    """A broken rule named by the flag typed; a ``resource-config`` refused for a part of
    the stored offer it did not touch (the machine changed since) says so, rather than
    naming a flag the user never typed as if they had."""
    from app.cli.args import flag_for, was_typed
    from app.cli.pflag import TYPED_FLAGS

    argv = getattr(args, TYPED_FLAGS, argv)  # DMS's commands: -c4673 and -Cu are flags typed
    flag = flag_for(problem.field, argv)
    if (
        args.command == "resource-config"
        and flag.startswith("-")
        and not was_typed(problem.field, argv)
    ):
        return problem.said_as(f"{flag} as stored (not given on this command line)")
    return problem.said_as(flag)


def _run(args: argparse.Namespace, argv: list[str]) -> int:
    from app.onboarding.errors import OnboardError

    try:
        code: int = args.handler(args)
        sys.stdout.flush()
        return code
    except OnboardError as exc:
        from app.onboarding.refusals import RuleViolation  # status defines no refusals

        if isinstance(exc, RuleViolation):
            error("; ".join(_refusal(p, args, argv) for p in exc.problems))
        else:
            error(str(exc))
        return EXIT_REFUSED
    except UsageError as exc:
        error(str(exc))
        return EXIT_USAGE
    except Cancelled as exc:  # as a "no" at a question: "not onboarded: cancelled"
        warn(str(exc))
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback, ever
        return _unexpected(args, exc)


def _unexpected(args: argparse.Namespace, exc: Exception) -> int:
    """One line on stderr and the traceback in the log file, exit 1.

    A wallet command's error text is not shown: it could hold what was typed.
    """
    import logging

    where = _log_unexpected(args, exc)
    what = type(exc).__name__
    if getattr(args, "command", None) != "wallet":
        from app.onboarding.units import shown

        what += f": {shown(str(exc))}"
    error(f"unexpected error ({what}); nothing more was done. {where}")
    logging.shutdown()
    return EXIT_REFUSED


def _log_unexpected(args: argparse.Namespace, exc: Exception) -> str:
    import logging

    from app.logs import LOGGER_NAME

    logger = logging.getLogger(LOGGER_NAME)
    try:
        if not any(isinstance(h, logging.FileHandler) for h in logger.handlers):
            from pathlib import Path

            from app.logs import configure_logging
            from app.paths import resolve_state_dir

            state_dir = resolve_state_dir(getattr(args, "state_dir", None))
            configure_logging(Path(state_dir, "logs", "nunet-onboard.log"))
        files = [h.baseFilename for h in logger.handlers if isinstance(h, logging.FileHandler)]
        logger.propagate = False
        logger.error("unexpected error in %s", args.command, exc_info=exc)
    except Exception:  # noqa: BLE001 - logging must not turn one error into two
        return "It could not be logged."
    return f"Details are in {files[0]}." if files else "It could not be logged."


def _launch_tui(args: argparse.Namespace) -> int:
    from app.cli.session import at_terminal, make_controller

    if not (at_terminal() and sys.stdout.isatty()):
        error(
            "the app needs a terminal; for scripts use a command, e.g. 'nunet-onboard status' (see --help)"
        )
        return EXIT_USAGE
    try:
        controller = make_controller(args, log=True)
    except UsageError as exc:
        error(str(exc))
        return EXIT_USAGE
    from app.tui import run

    return run(controller)


def entry() -> None:  # pragma: no cover - console script shim
    sys.exit(main())
