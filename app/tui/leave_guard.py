"""Ask before leaving a screen that would lose something the user cannot get back.

A screen that holds such a thing answers ``would_be_lost()`` with a sentence
saying what (the Wallet screen: a new wallet's words before their backup was
checked), or None, and drops it in ``discard()`` once the user chose to leave
(the offboard dialog opens on top of the screen, which would otherwise keep it). Every way of leaving it that the app controls (the screen
keys, the offboard dialog, quit, the command palette's entries, which run the
same actions) goes through ``ask_before_leaving``, which shows a confirmation
with "Stay" as the default and only then carries on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen


def _holder(app: App[Any]) -> Screen[Any] | None:
    """The screen shown (or under the command palette) if it can lose something."""
    screen: Screen[Any]
    for screen in reversed(app.screen_stack):
        if callable(getattr(screen, "would_be_lost", None)):
            return screen
        if not screen.is_modal:
            return None
    return None


def what_would_be_lost(app: App[Any]) -> str | None:
    """The holder's sentence, or None when leaving loses nothing."""
    screen = _holder(app)
    lost = getattr(screen, "would_be_lost", lambda: None)()
    return str(lost) if lost else None


def ask_before_leaving(
    app: App[Any],
    then: Callable[[], object],
    *,
    title: str = "Leave this screen?",
    yes: str = "Leave",
) -> None:
    """Run ``then`` at once when nothing would be lost, else once the user chose to go on."""
    from app.tui.dialogs.confirm import ConfirmDialog

    if isinstance(app.screen, ConfirmDialog):
        return  # already asking (q pressed on the question): one question at a time
    lost = what_would_be_lost(app)
    if lost is None:
        then()
        return

    def answered(leave: bool | None) -> None:
        if leave:
            discard = getattr(_holder(app), "discard", None)
            if callable(discard):
                discard()
            then()

    app.push_screen(
        ConfirmDialog(
            title, f"{lost}\n\nStay to finish, or go on and lose it.", leave=yes, stay="Stay"
        ),
        answered,
    )
