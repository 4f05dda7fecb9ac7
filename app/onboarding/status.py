"""The onboarding status (DMS ``OnboardingStatus``) and the problems status finds.

A dataclass, not a pydantic model: ``status`` is the command that monitoring
scripts call every few seconds, and pydantic's import alone would exceed its
150 ms budget. ``to_dict`` gives DMS's JSON field names.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.onboarding import identity, metadata_v2, rules
from app.onboarding.errors import StateCorrupt, StateError

if TYPE_CHECKING:
    from app.onboarding.controller import OnboardingController


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


def machine_uuid() -> str:
    """The machine id as a UUID (DMS's ``machine_uuid``), or "unknown"."""
    for candidate in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        try:
            raw = Path(candidate).read_text().strip()
        except OSError:
            continue
        if len(raw) == 32:
            return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"
    return "unknown"


def build_status(ctl: OnboardingController, uuid: str) -> OnboardingStatus:
    """DMS's status plus what is wrong and how to fix it. Never raises for a bad state."""
    base: dict[str, Any] = {
        "machine_uuid": uuid,
        "metadata_path": str(ctl.metadata_path),
        "database_path": str(ctl.state_path),
    }
    try:
        state = ctl.store.read()
    except StateCorrupt as exc:
        fix = "run 'nunet-onboard offboard --force' to start clean"
        problem = StatusProblem("corrupt", exc.problem, fix)
        return OnboardingStatus(onboarded=False, error=str(exc), problems=(problem,), **base)
    except StateError as exc:
        problem = StatusProblem("unreadable", str(exc), "check the state directory's permissions")
        return OnboardingStatus(onboarded=False, error=str(exc), problems=(problem,), **base)

    metadata = state.get("metadata")
    offer = state.get("offer") or {}
    has_key = identity.identity_exists(ctl.state_dir)
    problems: list[StatusProblem] = []
    if (metadata is not None) != has_key:
        message = (
            f"the metadata is present but the node identity {ctl.key_path} is missing"
            if metadata is not None
            else f"a node identity {ctl.key_path} exists but there is no metadata"
        )
        problems.append(
            StatusProblem(
                "inconsistent", message, "run 'nunet-onboard offboard --force', then onboard again"
            )
        )
    onboarded = metadata is not None and has_key
    mismatch = metadata_v2.disagreement(ctl.state_dir, metadata)
    if mismatch:
        problems.append(
            StatusProblem(
                "metadata_file",
                f"{mismatch}; it is derived from {ctl.state_path}, which is what counts",
                "it is rewritten at the next onboard, resource-config or offboard; "
                "or delete it if the machine is not onboarded",
            )
        )
    if metadata is not None and offer:
        problems.extend(drift(ctl, offer))
    return OnboardingStatus(
        onboarded=onboarded,
        error=problems[0].message if problems else None,
        is_available=bool(offer.get("is_available", False)) if onboarded else False,
        channel=offer.get("channel"),
        node_id=(metadata or {}).get("node_id"),
        payment_addr=offer.get("payment_addr"),
        reserved_cpu=offer.get("cpu"),
        reserved_memory=offer.get("memory"),
        problems=tuple(problems),
        **base,
    )


def drift(ctl: OnboardingController, offer: dict[str, Any]) -> list[StatusProblem]:
    """The stored offer checked against today's hardware."""
    gpus = list(offer.get("gpus") or [])
    machine = ctl.machine(gpus=bool(gpus))
    found = rules.check_resources(
        cpu=int(offer.get("cpu", 0)),
        memory=int(offer.get("memory", 0)),
        cardano=bool(offer.get("cardano", False)),
        disk=int(offer.get("disk", 0)),
        gpus=gpus,
        cores=offer.get("cores"),
        limits=ctl.limits(machine),
    )
    return [
        StatusProblem(
            "drift",
            f"the offer no longer fits this machine: {p.message}",
            "change the offer with 'nunet-onboard resource-config' (or the Allocate screen)",
        )
        for p in found
    ]
