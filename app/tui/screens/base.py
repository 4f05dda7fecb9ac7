"""What every screen shares: the controller, and showing errors as messages.

A refusal from the controller is an ``OnboardError`` whose text is written for a
person; the screens show it and carry on. Anything else is a bug, but a provider
on an SSH session should still get a sentence, not a traceback over the UI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header

from app.tui.guard import GuardedHandlers, one_line
from app.tui.widgets.key_footer import KeyFooter, is_typing

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from app.onboarding.controller import OnboardingController
    from app.tui.app import NunetOnboardApp

describe_error = one_line
"""One line a person can act on (a bug's traceback goes to the log)."""


class NunetScreen(GuardedHandlers, Screen[None]):
    """A full screen of the app, with the header and the key footer."""

    SUB_TITLE = ""
    ready = True
    """False while the screen is still reading what it shows: keys that would go into one of
    its fields are dropped then (``app.tui.key_guard``), not typed into the wrong one."""

    @property
    def nunet(self) -> NunetOnboardApp:
        return cast("NunetOnboardApp", self.app)

    @property
    def controller(self) -> OnboardingController:
        return self.nunet.controller

    def compose_header(self) -> ComposeResult:
        yield Header(icon="◆")

    def compose_footer(self) -> ComposeResult:
        # The palette (ctrl+p) is listed in the help screen; its footer entry would
        # push the Quit key off an 80-column footer.
        yield KeyFooter(compact=True, show_command_palette=False)

    # -- focus around dialogs ----------------------------------------------------
    def on_screen_suspend(self) -> None:
        self._focus_before: Widget | None = self.focused

    def on_screen_resume(self) -> None:
        self.call_after_refresh(self._restore_focus)

    def _restore_focus(self) -> None:
        """Back from a dialog or a notice: focus where it was, or the first control.

        Never a text field the user was not in: a key pressed to move on
        (``s``, ``a``) would be typed into it instead.
        """
        before = getattr(self, "_focus_before", None)
        if before is not None and before.is_attached and before.focusable:
            if self.focused is not before:
                self.set_focus(before)
            return
        if is_typing(self.focused):
            first = next((w for w in self.focus_chain if not is_typing(w)), None)
            self.set_focus(first)

    def report(self, exc: BaseException, *, title: str = "") -> None:
        """Show an error as a notification; safe from the event loop only."""
        self.notify(describe_error(exc), title=title, severity="error", markup=False, timeout=10)

    def report_from_thread(self, exc: BaseException, *, title: str = "") -> None:
        self.app.call_from_thread(self.report, exc, title=title)
