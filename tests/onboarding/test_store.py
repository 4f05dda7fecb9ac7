"""The state store under faults: kills mid-write, concurrent writers, bad files, read-only disks."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.onboarding.errors import StateCorrupt, StateError
from app.onboarding.refusals import StateChanged
from app.onboarding.store import SCHEMA_VERSION, StateStore, empty_state
from tests.conftest import HANG_S, read_only_dir, remount_read_only

REPO = Path(__file__).resolve().parents[2]

WRITER = """
import sys
from pathlib import Path
from app.onboarding.store import StateStore
store = StateStore(Path(sys.argv[1]))
rounds = int(sys.argv[2])
pad = "x" * 200_000  # a big file makes a torn write likely if writes were not atomic
def bump(state):
    state["counter"] = state.get("counter", 0) + 1
    state["pad"] = pad
    state["copy"] = state["counter"]
print("ready", flush=True)
for n in range(rounds):
    store.update(bump)
    if n == 0:
        print("wrote", flush=True)
"""


def spawn_writer(state_dir: Path, rounds: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(state_dir), str(rounds)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_missing_file_reads_as_empty_state(state_dir: Path) -> None:
    assert StateStore(state_dir).read() == empty_state()
    assert not state_dir.exists()  # reading creates nothing


def test_write_creates_private_dir_and_file(state_dir: Path) -> None:
    store = StateStore(state_dir)
    store.update(lambda s: s.__setitem__("note", {"cpu": 1}))
    assert state_dir.stat().st_mode & 0o777 == 0o700
    assert Path(store.path).stat().st_mode & 0o777 == 0o600
    assert json.loads(Path(store.path).read_text())["schema_version"] == SCHEMA_VERSION
    assert store.leftover_temp_files() == []


def test_a_failing_change_writes_nothing(state_dir: Path) -> None:
    store = StateStore(state_dir)
    store.update(lambda s: s.__setitem__("note", {"cpu": 1}))
    before = Path(store.path).read_bytes()

    def broken(state: dict[str, object]) -> None:
        state["note"] = {"cpu": 2}
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        store.update(broken)
    assert Path(store.path).read_bytes() == before


def test_sigkill_at_random_points_leaves_old_or_new_state(state_dir: Path) -> None:
    store = StateStore(state_dir)
    rng = random.Random(1234)
    last_seen = 0
    for _ in range(12):
        proc = spawn_writer(state_dir, 10_000)
        assert proc.stdout is not None
        # Killed only once it has written: on a loaded machine the first write may take
        # longer than any sleep, and a kill before it would prove nothing. The kill then
        # lands at a random point of the writes that follow.
        assert proc.stdout.readline() == b"ready\n"
        assert proc.stdout.readline() == b"wrote\n"
        time.sleep(rng.uniform(0.0, 0.3))
        proc.send_signal(signal.SIGKILL)
        proc.wait(HANG_S)
        state = store.read()  # must parse: never a torn file
        counter = state.get("counter", 0)
        assert counter >= last_seen
        assert state.get("copy", 0) == counter  # the whole of one version, not a mix
        assert counter > 0  # the write it announced is there
        last_seen = counter


def test_two_processes_updating_at_once_lose_no_update(state_dir: Path) -> None:
    writers = [spawn_writer(state_dir, 40) for _ in range(2)]
    for proc in writers:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    assert StateStore(state_dir).read()["counter"] == 80


def test_corrupt_file_is_kept_aside_and_never_overwritten(state_dir: Path) -> None:
    state_dir.mkdir(mode=0o700)
    store = StateStore(state_dir)
    Path(store.path).write_text('{"schema_version": 1, "offer": {"cpu": ')
    with pytest.raises(StateCorrupt) as info:
        store.read()
    assert "not valid JSON" in str(info.value) and "offboard --force" in str(info.value)
    kept = info.value.kept_at
    assert kept is not None and Path(kept).read_text() == '{"schema_version": 1, "offer": {"cpu": '
    with pytest.raises(StateCorrupt):
        store.update(lambda s: s.__setitem__("offer", None))
    assert Path(store.path).read_text() == '{"schema_version": 1, "offer": {"cpu": '
    # reading again does not pile up copies
    with pytest.raises(StateCorrupt):
        store.read()
    assert len(list(state_dir.glob("state.json.unreadable-*"))) == 1


@pytest.mark.parametrize("content", ['{"schema_version": 99}', "[]", '{"offer": null}', "\xff\xfe"])
def test_unknown_schema_or_shape_is_refused(state_dir: Path, content: str) -> None:
    state_dir.mkdir(mode=0o700)
    store = StateStore(state_dir)
    Path(store.path).write_bytes(content.encode("latin-1"))
    with pytest.raises(StateCorrupt):
        store.read()
    assert Path(store.path).read_bytes() == content.encode("latin-1")


def test_read_only_directory_gives_a_clear_error_and_keeps_the_state() -> None:
    with read_only_dir() as base:
        store = StateStore(base / "state")
        store.update(lambda s: s.__setitem__("note", {"cpu": 1}))
        before = Path(store.path).read_bytes()
        remount_read_only(base)
        with pytest.raises(StateError) as info:
            store.update(lambda s: s.__setitem__("note", {"cpu": 2}))
        message = str(info.value)
        assert "read-only file system" in message or "permission denied" in message
        assert "Traceback" not in message
        assert Path(store.path).read_bytes() == before
        assert store.read()["note"] == {"cpu": 1}


def test_state_dir_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "not-a-dir"
    target.write_text("")
    with pytest.raises(StateError, match="not a directory"):
        StateStore(target).update(lambda s: None)


def test_history_is_capped(state_dir: Path) -> None:
    store = StateStore(state_dir)
    for i in range(60):
        store.update(lambda s, i=i: s["history"].append({"n": i}))
    history = store.read()["history"]
    assert len(history) == 50 and history[-1] == {"n": 59, "revision": 60}


def test_every_write_increments_the_revision(state_dir: Path) -> None:
    store = StateStore(state_dir)
    assert store.read()["revision"] == 0
    store.update(lambda s: None)
    store.update(lambda s: None)
    assert store.read()["revision"] == 2


def test_a_write_prepared_from_an_older_read_is_refused(state_dir: Path) -> None:
    store = StateStore(state_dir)
    base = store.read()["revision"]
    store.update(
        lambda s: s["history"].append({"action": "resource-config", "detail": "cpu 3000 MHz"})
    )
    before = Path(store.path).read_bytes()
    with pytest.raises(StateChanged, match=r"resource-config \(cpu 3000 MHz\)") as err:
        store.update(lambda s: s.update(note={"cpu": 1}), base_revision=base)
    assert "nothing was written" in str(err.value)
    assert Path(store.path).read_bytes() == before
    store.update(lambda s: s.update(note={"cpu": 1}), base_revision=base + 1)
    assert store.read()["note"] == {"cpu": 1}


def test_existing_loose_dir_holding_our_state_is_tightened(state_dir: Path) -> None:
    StateStore(state_dir).update(lambda s: None)
    os.chmod(state_dir, 0o755)
    StateStore(state_dir).update(lambda s: None)
    assert state_dir.stat().st_mode & 0o777 == 0o700
