"""What every screen shares: the controller, and showing errors as messages.

A refusal from the controller is an ``OnboardError`` whose text is written for a
person; the screens show it and carry on. Anything else is a bug, but a provider
on an SSH session should still get a sentence, not a traceback over the UI.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, cast

from textual.screen import Screen
from textual.widgets import Footer, Header

from app.onboarding.errors import OnboardError

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from app.onboarding.controller import OnboardingController
    from app.tui.app import NunetOnboardApp

log = logging.getLogger("nunet_onboard.tui")


def describe_error(exc: BaseException) -> str:
    """One line a person can act on."""
    if isinstance(exc, OnboardError):
        return str(exc)
    log.exception("unexpected error in the app", exc_info=exc)
    return f"unexpected error ({type(exc).__name__}): {exc}"


class NunetScreen(Screen[None]):
    """A full screen of the app, with the header and the key footer."""

    SUB_TITLE = ""

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
        yield Footer(compact=True, show_command_palette=False)

    def report(self, exc: BaseException, *, title: str = "") -> None:
        """Show an error as a notification; safe from the event loop only."""
        self.notify(describe_error(exc), title=title, severity="error", markup=False, timeout=10)

    def report_from_thread(self, exc: BaseException, *, title: str = "") -> None:
        self.app.call_from_thread(self.report, exc, title=title)
