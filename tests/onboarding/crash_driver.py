"""Stop a real onboarding operation at each of its file-system steps, from the outside.

    python -m tests.onboarding.crash_driver kill OPERATION WORK RESULTS.json
    python -m tests.onboarding.crash_driver race OPERATION WORK RESULTS.json

The operations are the controller's own (onboard, apply, resource-config, offboard)
on a real state directory with the fake machine. Nothing in ``app`` knows it is being
stopped: a forked child installs a Python audit hook (``sys.addaudithook``), which
sees every ``open`` for writing, ``rename`` and ``unlink`` in the state directory
*before* it happens.

``kill``: first the operation runs whole in a child that only counts those steps
(N). Then, for each step k of 1..N, a fresh copy of the starting directory is made
and a child runs the operation with a hook that sends itself SIGKILL just before
step k: a ``kill -9`` at that exact point, every time the same. After each, this
process reads ``status`` and then applies the same offer without force, and
records what it saw, so the test can check that every stopping point converges.

``race``: a child reads ``status`` and, the moment it first opens the named file
(after it has read ``state.json``), waits on a pipe while this process carries out
the whole operation; then the child goes on. That is a reader meeting a write in
the middle, made to happen every time.

Started as a fresh interpreter by the test (not forked from pytest, whose threads
could hold a lock in the child).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from app.onboarding import identity, metadata_v2
from app.onboarding.controller import OnboardingController
from app.onboarding.offer_file import load_target, resolve
from app.onboarding.plan import capacity_of
from tests.fakes import fake_machine

ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
FIRST = f'cpu = "50%"\nmemory = "60%"\nchannel = "nunet-team"\naddress = "{ADDRESS}"\n'
SECOND = FIRST.replace('"50%"', '"30%"').replace('"60%"', '"40%"')
OFFBOARDED = 'state = "offboarded"\n'
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def controller(state_dir: Path) -> OnboardingController:
    return OnboardingController(state_dir, probe=lambda: fake_machine())


def _capacity(ctl: OnboardingController, text: str) -> Any:
    return capacity_of(resolve(load_target(text), ctl.machine(gpus=True)))


# name: (arrange the starting state, the operation, the offer that converges it)
OPERATIONS: dict[str, tuple[str | None, Callable[[OnboardingController], object], str]] = {
    "onboard": (None, lambda c: c.onboard(_capacity(c, FIRST)), FIRST),
    "apply-onboard": (None, lambda c: c.apply(load_target(FIRST)), FIRST),
    "resource-config": (FIRST, lambda c: c.resource_config(_capacity(c, SECOND)), SECOND),
    "apply-resource-config": (FIRST, lambda c: c.apply(load_target(SECOND)), SECOND),
    "offboard": (FIRST, lambda c: c.offboard(), OFFBOARDED),
    "offboard-force": (FIRST, lambda c: c.offboard(force=True), OFFBOARDED),
    "apply-offboard": (FIRST, lambda c: c.apply(load_target(OFFBOARDED)), OFFBOARDED),
}


def _mutating(state_dir: str, event: str, args: tuple[Any, ...]) -> bool:
    """A step that changes the state directory: an open for writing, a rename, an unlink."""
    state_dir = state_dir.rstrip(os.sep) + os.sep
    if event == "open":
        path, _, flags = args
        writes = isinstance(flags, int) and flags & _WRITE_FLAGS
        return bool(writes) and isinstance(path, str) and path.startswith(state_dir)
    if event in ("os.rename", "os.remove", "os.mkdir", "os.rmdir"):
        return isinstance(args[0], str) and args[0].startswith(state_dir)
    return False


def _child(run: Callable[[], object], hook: Callable[[str, tuple[Any, ...]], None]) -> NoReturn:
    code = 0
    try:
        sys.addaudithook(hook)
        run()
    except BaseException as exc:  # a refusal is an outcome, not a crash of the driver
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        code = 3
    finally:
        os._exit(code)


def _run_counting(state_dir: Path, operation: str, counts: Path) -> int:
    """Run the operation whole in a child; how many mutating steps it took."""
    target = str(state_dir)
    pid = os.fork()
    if pid == 0:
        seen: list[str] = []

        def count(event: str, args: tuple[Any, ...]) -> None:
            if _mutating(target, event, args):
                seen.append(f"{event} {os.path.basename(str(args[0]))}")

        def run() -> None:
            OPERATIONS[operation][1](controller(state_dir))
            counts.write_text(json.dumps(seen))

        _child(run, count)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, f"{operation} failed when run whole"
    return len(json.loads(counts.read_text())) if counts.exists() else 0


def _run_killed_at(state_dir: Path, operation: str, step: int) -> int:
    """Run the operation in a child that SIGKILLs itself just before mutating step ``step``."""
    target = str(state_dir)
    pid = os.fork()
    if pid == 0:
        seen = [0]

        def kill_at(event: str, args: tuple[Any, ...]) -> None:
            if _mutating(target, event, args):
                seen[0] += 1
                if seen[0] == step:
                    os.kill(os.getpid(), signal.SIGKILL)

        _child(lambda: OPERATIONS[operation][1](controller(state_dir)), kill_at)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _files(ctl: OnboardingController) -> dict[str, Any]:
    """What is on disk, checked against the state: the facts a test asserts on."""
    state = ctl.store.read()
    metadata = state.get("metadata")
    key_ok = identity.identity_exists(ctl.state_dir)
    return {
        "onboarded": metadata is not None,
        "key_present": identity.key_present(ctl.state_dir),
        "key_is_the_node": key_ok
        and metadata is not None
        and identity.load_peer_id(ctl.state_dir) == metadata["node_id"],
        "metadata_file_matches": ctl.metadata_path.exists()
        and metadata is not None
        and ctl.metadata_path.read_bytes() == metadata_v2.render(metadata),
        "metadata_file_present": os.path.lexists(ctl.metadata_path),
        "cpu": (state.get("offer") or {}).get("cpu"),
    }


def _status(ctl: OnboardingController) -> dict[str, Any]:
    status = ctl.status()
    return {"problems": [p.message for p in status.problems], "notes": list(status.notes)}


def kill(operation: str, work: Path) -> list[dict[str, Any]]:
    _, _, converge = OPERATIONS[operation]
    template = _started(operation, work / "template")
    steps = _run_counting(_fresh(template, work / "count"), operation, work / "count.json")
    results = []
    for step in range(1, steps + 2):  # steps + 1: not killed, the operation completes
        state_dir = _fresh(template, work / f"kill-{step}")
        code = _run_killed_at(state_dir, operation, step)
        ctl = controller(state_dir)
        after_kill = _status(ctl)
        plan = ctl.apply(load_target(converge))
        again = ctl.apply(load_target(converge))
        results.append(
            {
                "step": step,
                "of": steps,
                "exit": code,
                "after_kill": after_kill,
                "plan": plan.action,
                "again": again.action,
                "status": _status(ctl),
                "files": _files(ctl),
                "steps": json.loads((work / "count.json").read_text()),
            }
        )
    return results


def _started(operation: str, state_dir: Path) -> Path:
    """``state_dir`` in the state ``operation`` starts from (onboarded, or empty)."""
    start = OPERATIONS[operation][0]
    if start is not None:
        controller(state_dir).apply(load_target(start))
    else:
        state_dir.mkdir(mode=0o700)
    return state_dir


def _fresh(template: Path, state_dir: Path) -> Path:
    shutil.copytree(template, state_dir, symlinks=True)
    state_dir.chmod(0o700)
    return state_dir


def race(operation: str, work: Path) -> dict[str, Any]:
    """A status that has read state.json waits, before it opens the key (or, for a
    change of the offer, the metadata file), while the whole operation runs."""
    start, run, _ = OPERATIONS[operation]
    state_dir = _started(operation, work / "state")
    # The first file status opens after state.json: the key when the state names one.
    watched = "node.key" if start is not None and "offboard" in operation else "metadataV2.json"
    paused_r, paused_w = os.pipe()
    go_r, go_w = os.pipe()
    out = work / "status.json"
    pid = os.fork()
    if pid == 0:
        waited = [False]

        def pause(event: str, args: tuple[Any, ...]) -> None:
            if event == "open" and not waited[0] and str(args[0]).endswith(watched):
                waited[0] = True
                os.write(paused_w, b"p")
                os.read(go_r, 1)

        def read_status() -> None:
            found = _status(controller(state_dir))
            out.write_text(json.dumps({**found, "paused": waited[0]}))
            if not waited[0]:
                os.write(paused_w, b"n")  # never paused: the driver must not wait for it

        _child(read_status, pause)
    if os.read(paused_r, 1) == b"p":
        run(controller(state_dir))
    os.write(go_w, b"g")
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return {"status": json.loads(out.read_text()), "files": _files(controller(state_dir))}


def fail_commit(operation: str, work: Path) -> dict[str, Any]:
    """The operation in a child whose rename of state.json fails (a full disk, ENOSPC):
    what it said, and what the files are then."""
    _, run, _ = OPERATIONS[operation]
    state_dir = _started(operation, work / "state")
    said = work / "said.txt"
    target = str(state_dir)
    pid = os.fork()
    if pid == 0:

        def full_disk(event: str, args: tuple[Any, ...]) -> None:
            commit = event == "os.rename" and os.path.basename(str(args[1])) == "state.json"
            if commit and _mutating(target, event, args):
                raise OSError(28, "No space left on device", str(args[1]))

        def attempt() -> None:
            try:
                result = run(controller(state_dir))
                said.write_text(repr(getattr(result, "failed", result)))
            except Exception as exc:
                said.write_text(str(exc))

        _child(attempt, full_disk)
    os.waitpid(pid, 0)
    ctl = controller(state_dir)
    return {"said": said.read_text(), "status": _status(ctl), "files": _files(ctl)}


def loop(operation: str, work: Path) -> dict[str, Any]:
    """``status`` read over and over while a child onboards and offboards ``operation``
    times: every problem any read named (none is allowed), and how many reads there were."""
    state_dir = work / "state"
    state_dir.mkdir(mode=0o700)
    pid = os.fork()
    if pid == 0:

        def cycles() -> None:
            ctl = controller(state_dir)
            for _ in range(int(operation)):
                ctl.apply(load_target(FIRST))
                ctl.apply(load_target(OFFBOARDED))

        _child(cycles, lambda event, args: None)
    reads, problems = 0, []
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        problems.extend(_status(controller(state_dir))["problems"])
        reads += 1
        if done:
            break
    return {"reads": reads, "problems": problems, "exit": os.waitstatus_to_exitcode(status)}


def main() -> int:
    mode, operation, work, results = sys.argv[1:5]
    work_dir = Path(work)
    modes = {"kill": kill, "race": race, "fail-commit": fail_commit, "loop": loop}
    outcome: object = modes[mode](operation, work_dir)  # type: ignore[operator]
    Path(results).write_text(json.dumps(outcome))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
