"""The onboarding status (DMS ``OnboardingStatus``) and the problems status finds.

Records (``app/light_record.py``), not pydantic models, dataclasses or named tuples:
``status`` is the command that monitoring scripts call every few seconds, and
defining them any of those ways would cost more than the rest of the command.
``to_dict`` gives DMS's JSON field names.
"""

from __future__ import annotations

import os

from app.light_record import Record
from app.onboarding import identity, leftovers, metadata_v2, rules, state_dir
from app.onboarding.errors import StateCorrupt, StateError
from app.onboarding.store import OWN_FILES, STALE_TEMP_S

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from app.onboarding.reader import StateReader


PROBLEM_KINDS = ("inconsistent", "drift", "corrupt", "unreadable", "unusable", "metadata_file")
"""Every kind of problem status reports (monitoring counts each, zero included)."""


class StatusProblem(Record):
    """Something wrong with the onboarding, and the way out."""

    kind: str
    """One of ``PROBLEM_KINDS``; "unusable" is a state directory the first write would refuse."""
    message: str
    fix: str


class OnboardingStatus(Record):
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
    problems: tuple[StatusProblem, ...] = ()
    notes: tuple[str, ...] = ()
    """What is worth knowing but is not a problem: GPUs not checked, leftover files."""

    def to_dict(self) -> dict[str, Any]:
        data = self._asdict()
        data["problems"] = [p._asdict() for p in self.problems]
        data["notes"] = list(self.notes)
        return data


MACHINE_ID_FILES = ("/etc/machine-id", "/var/lib/dbus/machine-id")


def machine_uuid(files: tuple[str, ...] = MACHINE_ID_FILES) -> str:
    """The machine id as a UUID (DMS's ``machine_uuid``), or "unknown": the first of
    ``files`` that holds one (systemd's, then D-Bus's)."""
    for candidate in files:
        try:
            with open(candidate, encoding="utf-8", errors="replace") as fh:
                raw = fh.read(4096).strip()
        except OSError:
            continue
        if len(raw) == 32:
            return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"
    return "unknown"


def build_status(ctl: StateReader, uuid: str) -> OnboardingStatus:
    """DMS's status plus what is wrong and how to fix it. Never raises for a bad state.

    A status that finds the files out of step with the state looks again while
    holding the write lock shared (``settled``), so a write under way (an offboard
    that committed after this read the state) is never reported as a problem.
    """
    base: dict[str, Any] = {
        "machine_uuid": uuid,
        "metadata_path": metadata_v2.path(ctl.directory),
        "database_path": ctl.store.path,
    }
    status, unsettled = _assess(ctl, base)
    if unsettled and not ctl.store.held_here():
        from app.onboarding.settled import settled

        with settled(ctl.store.lock_path):
            status, _ = _assess(ctl, base)
    return status


_UNSETTLED_KINDS = ("inconsistent", "metadata_file")


def _assess(ctl: StateReader, base: dict[str, Any]) -> tuple[OnboardingStatus, bool]:
    """The status from one read, and whether a write under way could explain what it found."""
    try:
        state = ctl.store.read()
    except StateCorrupt as exc:
        problem = StatusProblem("corrupt", exc.problem, exc.fix)
        return OnboardingStatus(onboarded=False, error=str(exc), problems=(problem,), **base), False
    except StateError as exc:
        problem = StatusProblem("unreadable", str(exc), exc.fix)
        return OnboardingStatus(onboarded=False, error=str(exc), problems=(problem,), **base), False
    metadata = state.get("metadata")
    offer = state.get("offer") or {}
    # Each file is read once: the key here, metadataV2.json by ``disagreement``.
    onboarded = metadata is not None and identity.identity_exists(ctl.directory)
    mismatch = metadata_v2.disagreement(ctl.directory, metadata)
    problems = _file_problems(ctl, metadata, onboarded, mismatch)
    notes = leftovers.notes(ctl.directory, metadata, mismatch)
    unsettled = bool(notes) or any(p.kind in _UNSETTLED_KINDS for p in problems)
    lock = state_dir.lock_file_problem(ctl.store.lock_path)
    if lock is not None:  # no write can work until it is gone, offboard --force included
        problems = [p._replace(fix=f"{lock.fix}; then {p.fix}") for p in problems]
        problems.insert(0, StatusProblem("unusable", str(lock), lock.fix))
    refused = state_dir.unusable(ctl.directory, OWN_FILES)
    if refused is not None:  # said now, not after a whole form is filled in
        problems.append(StatusProblem("unusable", str(refused), refused.fix))
    if metadata is not None and offer:
        found, note = drift(ctl, offer)
        problems.extend(found)
        notes.extend([note] if note else [])
    leftover_temps = ctl.store.leftover_temp_files(older_than_s=STALE_TEMP_S)
    if leftover_temps:
        notes.append(
            f"{len(leftover_temps)} temporary file(s) left by an interrupted write, e.g. "
            f"{os.path.basename(leftover_temps[0])}; the next change removes them (or remove them by hand)"
        )
    status = OnboardingStatus(
        onboarded=onboarded,
        error=problems[0].message if problems else None,
        is_available=bool(offer.get("is_available", True)) if onboarded else False,
        channel=offer.get("channel"),
        node_id=(metadata or {}).get("node_id"),
        payment_addr=offer.get("payment_addr"),
        reserved_cpu=offer.get("cpu"),
        reserved_memory=offer.get("memory"),
        problems=tuple(problems),
        notes=tuple(notes),
        **base,
    )
    return status, unsettled


def _file_problems(
    ctl: StateReader, metadata: Any, onboarded: bool, mismatch: str | None
) -> list[StatusProblem]:
    """The key and metadataV2.json against the state, less what a write leaves and mends
    (``mismatch``: ``metadata_v2.disagreement``'s answer)."""
    problems = []
    if metadata is not None and not onboarded:
        problems.append(_inconsistent(ctl, True))
    elif (
        metadata is None
        and identity.key_present(ctl.directory)
        and not leftovers.stray_key(ctl.directory, metadata)  # a directory: no write mends it
    ):
        problems.append(_inconsistent(ctl, False))
    if mismatch and not leftovers.metadata_file_leftover(ctl.directory, mismatch):
        problems.append(
            StatusProblem(
                "metadata_file",
                f"{mismatch}; it is derived from {ctl.store.path}, which is what counts",
                "it is rewritten by the next onboard, resource-config or apply; "
                "'nunet-onboard offboard --force' moves a directory in its place aside",
            )
        )
    return problems


def inconsistency(ctl: StateReader, has_metadata: bool) -> str:
    """What is wrong when the metadata and the node identity disagree, in words (for
    status and for apply's plan alike): the key missing, unusable, or alone."""
    key = identity.key_path(ctl.directory)
    if has_metadata and identity.key_present(ctl.directory):
        return (
            f"the metadata is present but the node identity {key} does not hold a "
            "usable key (empty or damaged)"
        )
    if has_metadata:
        return f"the metadata is present but the node identity {key} is missing"
    return f"{key} is a directory, where no node identity should be (the state names none)"


def _inconsistent(ctl: StateReader, has_metadata: bool) -> StatusProblem:
    return StatusProblem(
        "inconsistent",
        inconsistency(ctl, has_metadata),
        "run 'nunet-onboard offboard --force', then onboard again",
    )


def drift(ctl: StateReader, offer: dict[str, Any]) -> tuple[list[StatusProblem], str | None]:
    """The stored offer checked against today's hardware, and a note on the GPUs.

    Status never runs the GPU tools (they may take seconds, or hang): the GPUs are
    checked only when the controller already holds a GPU probe (the app does),
    and a probe whose tool failed says so rather than calling the GPUs missing.
    """
    gpus = list(offer.get("gpus") or [])
    machine = ctl.fit_machine()
    note = None
    if gpus and not machine.gpus.probed:
        note = (
            f"the offered GPUs ({', '.join(map(str, gpus))}) were not checked: status does "
            "not run the GPU tools; 'nunet-onboard capacity' shows them"
        )
    elif gpus and not machine.gpus.readable:
        note = (
            "the GPUs could not be read ("
            + "; ".join(machine.gpus.faults)
            + "); the offered GPUs are kept as they are"
        )
    checked_gpus = gpus if note is None else []
    found = rules.check_resources(
        cpu=int(offer.get("cpu", 0)),
        memory=int(offer.get("memory", 0)),
        cardano=bool(offer.get("cardano", False)),
        disk=int(offer.get("disk", 0)),
        gpus=checked_gpus,
        cores=offer.get("cores"),
        limits=ctl.limits(machine),
        stored_disk=int(offer.get("disk", 0)),
    )
    problems = [
        StatusProblem(
            "drift",
            f"the offer no longer fits this machine: {p.message}",
            "change the offer with 'nunet-onboard resource-config' (or the Allocate screen)",
        )
        for p in found
    ]
    return problems, note
