"""The onboarding status (DMS ``OnboardingStatus``) and the problems status finds.

A dataclass, not a pydantic model: ``status`` is the command that monitoring
scripts call every few seconds, and pydantic's import alone would exceed its
150 ms budget. ``to_dict`` gives DMS's JSON field names.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class StatusProblem:
    """Something wrong with the onboarding, and the way out."""

    kind: str
    """"inconsistent", "drift", "corrupt" or "unreadable"."""
    message: str
    fix: str


@dataclass(frozen=True)
class OnboardingStatus:
    onboarded: bool
    error: str | None
    machine_uuid: str
    metadata_path: str
    database_path: str
    is_available: bool = False
    channel: str | None = None
    node_id: str | None = None
    payment_addr: str | None = None
    reserved_cpu: int | None = None
    reserved_memory: int | None = None
    problems: tuple[StatusProblem, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["problems"] = [asdict(p) for p in self.problems]
        return data
