"""No traceback on the screen: an unexpected error is a line, logged, and the app goes on.

Textual ends the app on any exception a handler lets out, and prints the whole
traceback over the terminal once it has given it back. A provider on an SSH
session needs a sentence, not a traceback, so there are three nets:

- every handler of our screens and dialogs (``GuardedHandlers``) and every
  action run by a key (the app's ``run_action``): an unexpected error is logged
  with its traceback and shown as a one-line notice; the app carries on;
- while the app is exiting, the same errors are expected (a screen pushed as the
  app closes has no widgets: Textual mounts nothing then) and are only logged;
- anything else reaches Textual's last handler, which ends the app: it then
  exits with code 1, the terminal restored, and one line on stderr that says
  where the traceback was logged (``one_line_crash``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from app.onboarding.errors import OnboardError

if TYPE_CHECKING:
    from textual.app import App
    from textual.message import Message
    from textual.screen import Screen

    _Base = Screen[Any]
    _AppBase = App[Any]
else:
    _Base = _AppBase = object

log = logging.getLogger("nunet_onboard.tui")
# Never Python's last-resort handler, which writes the traceback on stderr: the terminal
# the app draws on. Where logging is set up (the command line does), records go up to
# its file as before.
log.addHandler(logging.NullHandler())


def app_exiting(app: App[Any]) -> bool:
    """True once the app has been asked to exit (or is closing after an error).

    Textual's own flags: from then on it mounts no widget (``mount_all`` is a
    no-op), so a screen pushed now has none, and a key must not start anything.
    """
    return bool(getattr(app, "_exit", False) or getattr(app, "_closing", False))


def one_line(exc: BaseException) -> str:
    """The error as one line a person can act on; a bug's traceback goes to the log."""
    if isinstance(exc, OnboardError):
        return str(exc)
    log.error("unexpected error in the app", exc_info=exc)
    text = " ".join(str(exc).split())
    return f"unexpected error ({type(exc).__name__}): {text}"[:300]


def unexpected(app: App[Any], exc: Exception) -> None:
    """A handler failed: log it, and say it in one line unless the app is ending anyway."""
    if app_exiting(app):
        log.debug("ignored while exiting: %r", exc, exc_info=exc)
        return
    app.notify(one_line(exc), title="Something went wrong", severity="error", markup=False)


def log_file() -> str | None:
    """Where the app's log is written, if anywhere (its own logger's file, not the root's)."""
    logger: logging.Logger | None = log
    while logger is not None and logger is not logging.root:
        for handler in logger.handlers:
            name = getattr(handler, "baseFilename", None)
            if name:
                return str(name)
        logger = logger.parent if logger.propagate else None
    return None


def one_line_crash(exc: BaseException) -> str:
    """The single stderr line for an error that ended the app."""
    line = one_line(exc)
    where = log_file()
    details = f"; details are in {where}" if where else ""
    return f"nunet-onboard stopped: {line}{details}"


class CrashInOneLine(_AppBase):
    """Mixed into the app: Textual's last net, which ends the app, says it in one line."""

    crash: BaseException | None = None
    """The error that ended the app, if one did."""

    def _handle_exception(self, error: Exception) -> None:
        """Textual's last net, which ends the app: remembered, to be said in one line."""
        if self.crash is None:
            self.crash = error
        super()._handle_exception(error)

    def _print_error_renderables(self) -> None:
        """After the terminal is restored: one line on stderr, never a traceback."""
        if self.crash is not None:
            self._exit_renderables.clear()
            import sys

            print(one_line_crash(self.crash), file=sys.stderr)
        super()._print_error_renderables()


class GuardedHandlers(_Base):
    """Mixed into our screens and dialogs: a failing handler is a notice, not the app's end."""

    async def _on_message(self, message: Message) -> None:
        try:
            await super()._on_message(message)
        except Exception as exc:  # noqa: BLE001 - the net this class exists for
            unexpected(self.app, exc)
