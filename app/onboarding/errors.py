"""Typed errors whose message is fit for a person: what was wrong and what is allowed.

The CLI prints ``str(error)`` on one line and maps the class to an exit code; the
TUI shows the same text. Nothing here ever carries a secret.

Here: the base class, the offer's ``Problem`` and what reading the state raises
(``status`` needs these). The refusals of a write are in ``refusals``.
"""

from __future__ import annotations

from app.light_record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:  # paths are str or Path: status, which raises these, imports no pathlib
    import os
    from typing import TypeAlias

    StrPath: TypeAlias = str | os.PathLike[str]


class OnboardError(Exception):
    """Base of every refusal the controller makes (CLI exit code 1)."""


class Problem(Record):
    """One rule broken (or one warning) for one field of the offer.

    ``message`` is a whole sentence in a person's words ("payment address is not
    valid: ..."), never an internal name. ``detail`` is the same without naming
    the field, so that each interface can put its own name in front: the CLI the
    flag the user typed ("-a/--address: ..."), the app the field's label ("Pay
    to: ..."). ``field`` is the offer's field name, for placing the message.
    """

    field: str
    message: str
    detail: str = ""

    def said_as(self, name: str) -> str:
        """The problem introduced by ``name`` (a flag or a label) instead of the field."""
        return f"{name}: {self.detail or self.message}"


class NotOnboarded(OnboardError):
    def __init__(self, action: str = "this") -> None:
        super().__init__(
            f"this machine is not onboarded, so {action} is not possible; onboard first"
        )


class StateError(OnboardError):
    """The state directory or file cannot be used as it is.

    ``fix`` is what to do about it, for status's "fix:" line; the message itself
    already says it too, so the CLI's one line is complete on its own.
    """

    def __init__(self, message: str, *, fix: str | None = None) -> None:
        super().__init__(message)
        self.fix = fix or "check the state directory (see the message above)"


class StateCorrupt(StateError):
    def __init__(self, path: StrPath, reason: str, kept_at: StrPath | None = None) -> None:
        self.path = path
        self.kept_at = kept_at
        where = f"; a copy is kept at {kept_at}" if kept_at else ""
        self.problem = f"the state file {path} cannot be read ({reason}){where}"
        """What is wrong, without the advice (status shows the advice on its own)."""
        fix = "run 'nunet-onboard offboard --force' to start clean"
        super().__init__(f"{self.problem}; {fix}", fix=fix)
