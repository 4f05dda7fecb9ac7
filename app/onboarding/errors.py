"""Typed errors whose message is fit for a person: what was wrong and what is allowed.

The CLI prints ``str(error)`` on one line and maps the class to an exit code; the
TUI shows the same text. Nothing here ever carries a secret.
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


class RuleViolation(OnboardError):
    """The offer breaks one or more rules; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(p.message for p in self.problems))


class AlreadyOnboarded(OnboardError):
    def __init__(self) -> None:
        super().__init__(
            "this machine is already onboarded; change the offer with "
            "'nunet-onboard resource-config', or offboard first"
        )


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


class LockTimeout(StateError):
    """Another process held the state lock for longer than we wait; nothing was written."""

    def __init__(self, lock_path: StrPath, timeout_s: float, holder: str | None) -> None:
        who = holder or "another process"
        self.holder = holder
        super().__init__(
            f"the onboarding state is locked by {who}, which did not let go within "
            f"{timeout_s:g} s; nothing was written. Wait for it to finish and try again; "
            f"if it is stopped or hung, end it (the lock is {lock_path}). The wait is set "
            "by NUNET_ONBOARD_LOCK_TIMEOUT",
            fix="end or wait for the process that holds the lock, then try again",
        )


class LockCancelled(StateError):
    """The wait for the state lock was cancelled (the app quit, the user cancelled)."""

    def __init__(self) -> None:
        super().__init__("cancelled while waiting for the state lock; nothing was written")


class StateCorrupt(StateError):
    def __init__(self, path: StrPath, reason: str, kept_at: StrPath | None = None) -> None:
        self.path = path
        self.kept_at = kept_at
        where = f"; a copy is kept at {kept_at}" if kept_at else ""
        self.problem = f"the state file {path} cannot be read ({reason}){where}"
        """What is wrong, without the advice (status shows the advice on its own)."""
        fix = "run 'nunet-onboard offboard --force' to start clean"
        super().__init__(f"{self.problem}; {fix}", fix=fix)


class WalletError(OnboardError):
    """A wallet could not be made, restored, checked or exported. Never holds a secret."""


class ExportFailed(WalletError):
    """Key files could not be written (or the wallet then recorded); what was written
    was removed again and the wallet was not recorded."""


class StateChanged(OnboardError):
    """The state changed after the read this write was prepared from; nothing was written."""

    def __init__(self, base: int, now: int, changes: list[str]) -> None:
        self.base = base
        self.now = now
        self.changes = list(changes)
        what = "; ".join(self.changes) if self.changes else "another process wrote it"
        super().__init__(
            f"the onboarding state changed since this was prepared ({what}); "
            "nothing was written: look at the new values and try again"
        )
