"""The refusals of a write: the offer breaks a rule, the machine is already onboarded,
the state changed since the write was prepared, the state lock was not had, a wallet
could not be made or exported. Nothing was written when one is raised.

They live apart from ``errors`` (what reading the state raises) because ``status``, which
monitoring runs every few seconds, never raises them and need not define them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.onboarding.errors import OnboardError, Problem, StateError

if TYPE_CHECKING:
    from app.onboarding.errors import StrPath


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


class WalletError(OnboardError):
    """A wallet could not be made, restored, checked or exported. Never holds a secret."""


class ExportFailed(WalletError):
    """Key files could not be written (or the wallet then recorded); what was written
    was removed again and the wallet was not recorded."""
