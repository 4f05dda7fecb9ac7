"""Typed errors whose message is fit for a person: what was wrong and what is allowed.

The CLI prints ``str(error)`` on one line and maps the class to an exit code; the
TUI shows the same text. Nothing here ever carries a secret.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class OnboardError(Exception):
    """Base of every refusal the controller makes (CLI exit code 1)."""


@dataclass(frozen=True)
class Problem:
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
    """The state directory or file cannot be used as it is."""


class StateCorrupt(StateError):
    def __init__(self, path: Path, reason: str, kept_at: Path | None = None) -> None:
        self.path = path
        self.kept_at = kept_at
        where = f"; a copy is kept at {kept_at}" if kept_at else ""
        self.problem = f"the state file {path} cannot be read ({reason}){where}"
        """What is wrong, without the advice (status shows the advice on its own)."""
        super().__init__(f"{self.problem}; run 'nunet-onboard offboard --force' to start clean")


class WalletError(OnboardError):
    """A wallet could not be made, restored, checked or exported. Never holds a secret."""


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
