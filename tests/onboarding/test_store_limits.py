"""The state file's refusals at their edges: the size
cap, the depth counted on the text before parsing, the parser running out of stack, a
value Python will not read, a value nested to the limit. Each refusal names the file and
why, and keeps a copy of what it could not read. Which leftover temp files count and which
a write removes (with the clock stopped, ages are exact); what an update writes."""

from __future__ import annotations

import hashlib  # loaded before a test lowers the recursion limit: _keep_aside imports it
import json
import os
import resource
import sys
import threading
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.onboarding.errors import StateCorrupt, StateError
from app.onboarding.store import (
    MAX_EXTRA_DEPTH,
    MAX_STATE_BYTES,
    SCHEMA_VERSION,
    STALE_TEMP_S,
    STATE_FILE,
    StateStore,
    _too_deep,
)
from tests.conftest import HANG_S

TEXT_DEPTH_LIMIT = MAX_EXTRA_DEPTH + 8  # the depth _parse counts on the raw text


def nested(depth: int, before: str = "") -> bytes:
    """A state whose text nests `depth` deep: the object, then lists in "extra"."""
    inner = depth - 1
    return ('{"schema_version":1,' + before + '"extra":' + "[" * inner + "]" * inner + "}").encode()


def refused(store: StateStore, raw: bytes) -> StateCorrupt:
    store.ensure_dir()
    Path(store.path).write_bytes(raw)
    with pytest.raises(StateCorrupt) as err:
        store.read()
    return err.value


def assert_names_the_file_and_keeps_a_copy(store: StateStore, err: StateCorrupt, why: str) -> None:
    assert err.path == store.path
    assert (
        err.kept_at is not None and Path(err.kept_at).read_bytes() == Path(store.path).read_bytes()
    )
    assert err.problem == (
        f"the state file {store.path} cannot be read ({why}); a copy is kept at {err.kept_at}"
    )


def test_a_file_of_exactly_the_size_cap_is_read(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state")
    store.ensure_dir()
    head = b'{"schema_version":1}'
    Path(store.path).write_bytes(head + b" " * (MAX_STATE_BYTES - len(head)))
    assert store.read()["schema_version"] == 1


def test_a_file_one_byte_over_the_cap_is_refused_naming_it(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state")
    head = b'{"schema_version":1}'
    err = refused(store, head + b" " * (MAX_STATE_BYTES + 1 - len(head)))
    assert_names_the_file_and_keeps_a_copy(store, err, "over 8 MB, far more than any state")


def test_text_nested_to_the_limit_is_parsed_and_refused_by_its_shape(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state")
    err = refused(store, nested(TEXT_DEPTH_LIMIT))
    why = f"extra: nested more than {MAX_EXTRA_DEPTH} levels deep"
    assert_names_the_file_and_keeps_a_copy(store, err, why)


def test_text_nested_past_the_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    """Counted on brackets only, whatever else is there (keys, values, empty lists)."""
    store = StateStore(tmp_path / "state")
    err = refused(store, nested(TEXT_DEPTH_LIMIT + 1, before='"a":[],"b":{},"c":"]]",'))
    assert_names_the_file_and_keeps_a_copy(store, err, "nested too deeply")


def _frames() -> int:
    frame, count = sys._getframe(), 0
    while frame is not None:
        frame, count = frame.f_back, count + 1
    return count


def test_a_parser_out_of_stack_is_a_file_nested_too_deeply(tmp_path: Path) -> None:
    """json.loads recurses: called deep in a stack (or under a lowered recursion limit) it
    can fail within the text's depth limit, and that is a refusal like the others."""
    store = StateStore(tmp_path / "state")
    store.ensure_dir()
    Path(store.path).write_bytes(nested(TEXT_DEPTH_LIMIT))
    limit = sys.getrecursionlimit()
    # 40 frames more than this one: room for the read and for the refusal (a copy kept
    # aside), not for parsing 40 levels of brackets. Measured: the test holds from about
    # +28 to +50 frames, with mutmut's wrappers around each function too.
    sys.setrecursionlimit(_frames() + 40)
    try:
        with pytest.raises(StateCorrupt) as err:
            store.read()
    finally:
        sys.setrecursionlimit(limit)
    assert_names_the_file_and_keeps_a_copy(store, err.value, "nested too deeply")


def test_a_value_python_will_not_read_is_refused_with_the_reason_cut_short(
    tmp_path: Path,
) -> None:
    """An integer of more than 4300 digits: the reason is json's, cut at 120 characters."""
    with pytest.raises(ValueError) as too_long:
        json.loads("9" * 5000)
    reason = str(too_long.value)
    assert len(reason) > 120
    store = StateStore(tmp_path / "state")
    err = refused(store, b'{"schema_version":1,"extra":' + b"9" * 5000 + b"}")
    assert_names_the_file_and_keeps_a_copy(store, err, f"a value we cannot read: {reason[:120]}")


def test_a_write_removes_dead_writers_temp_files_and_only_old_keep_aside_ones(
    tmp_path: Path,
) -> None:
    """Under the lock no other writer is alive, so its temp files go at once; a copy kept
    aside may be being written by a reader (no lock), so it goes only once old. One that
    cannot be removed (a directory) does not stop the write."""
    store = StateStore(tmp_path / "state")
    store.update(lambda s: None)
    temp = Path(store.state_dir) / f".{STATE_FILE}.dead1234.tmp"
    fresh = Path(store.state_dir) / f".{STATE_FILE}.unreadable-0123456789ab.new123.tmp"
    old = Path(store.state_dir) / f".{STATE_FILE}.unreadable-0123456789ab.old123.tmp"
    stuck = Path(store.state_dir) / f".{STATE_FILE}.stuck123.tmp"
    for path in (temp, fresh, old):
        path.write_bytes(b"{")
    stuck.mkdir()
    long_ago = time.time() - STALE_TEMP_S - 10
    os.utime(old, (long_ago, long_ago))
    store.update(lambda s: None)
    assert store.read()["revision"] == 2
    left = sorted(p.name for p in Path(store.state_dir).glob(f".{STATE_FILE}.*.tmp"))
    assert left == sorted([fresh.name, stuck.name])


def nested_value(kind: str, levels: int) -> str:
    """`levels` lists or objects, one in the other: the innermost is `levels - 1` deep."""
    if kind == "list":
        return "[" * levels + "]" * levels
    return '{"a":' * (levels - 1) + "{}" + "}" * (levels - 1)


@pytest.mark.parametrize("kind", ["list", "dict"])
def test_a_value_nested_to_the_limit_is_read_and_one_level_more_is_refused(
    tmp_path: Path, kind: str
) -> None:
    store = StateStore(tmp_path / "state")
    store.ensure_dir()
    at_limit = nested_value(kind, MAX_EXTRA_DEPTH + 1)
    Path(store.path).write_text('{"schema_version":1,"extra":' + at_limit + "}")
    assert json.dumps(store.read()["extra"], separators=(",", ":")) == at_limit
    beyond = nested_value(kind, MAX_EXTRA_DEPTH + 2)
    err = refused(store, ('{"schema_version":1,"extra":' + beyond + "}").encode())
    why = f"extra: nested more than {MAX_EXTRA_DEPTH} levels deep"
    assert_names_the_file_and_keeps_a_copy(store, err, why)


def test_a_bad_lock_timeout_says_what_to_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NUNET_ONBOARD_LOCK_TIMEOUT", "soon")
    with pytest.raises(StateError) as err:
        StateStore(tmp_path / "state").update(lambda s: None)
    assert err.value.fix == "fix the lock timeout setting"


def test_an_update_writes_the_schema_version_and_only_the_states_fields(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state")
    store.update(lambda s: None)
    written = json.loads(Path(store.path).read_text())
    assert list(written) == [
        "schema_version",
        "revision",
        "offer",
        "metadata",
        "available_resources",
        "wallets",
        "history",
    ]
    assert written["schema_version"] == SCHEMA_VERSION


def test_a_change_that_drops_the_history_leaves_it_empty(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state")
    store.update(lambda s: s["history"].append({"action": "onboard", "time": "t0"}))
    store.update(lambda s: s.pop("history"))
    assert store.read()["history"] == []


NOW = 1_700_000_000.0  # whole seconds: a file's mtime holds them exactly


def test_leftovers_of_exactly_the_age_asked_for_count_and_younger_ones_do_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the clock stopped, ages are exact: one of exactly `older_than_s` counts."""
    store = StateStore(tmp_path / "state")
    store.ensure_dir()
    aged = {
        age: os.path.join(store.state_dir, f".{STATE_FILE}.unreadable-0123456789ab.age{age}.tmp")
        for age in (0, 59, 60, 61)
    }
    for age, path in aged.items():
        Path(path).write_bytes(b"{")
        os.utime(path, (NOW - age, NOW - age))
    monkeypatch.setattr(time, "time", lambda: NOW)
    assert store.leftover_temp_files(older_than_s=STALE_TEMP_S) == [aged[60], aged[61]]
    assert store.leftover_temp_files() == sorted(aged.values())
    store.update(lambda s: None)  # removes a keep-aside temp file only once over 60 s old
    left = store.leftover_temp_files()
    assert left == [aged[0], aged[59], aged[60]]


# -- what cannot be read at all -----------------------------------------------------------
def read_error(store: StateStore) -> StateError:
    with pytest.raises(StateError) as err:
        store.read()
    return err.value


def test_a_symlink_in_the_state_files_place_is_named_and_not_followed(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state")
    store.ensure_dir()
    (tmp_path / "elsewhere.json").write_text('{"schema_version":1}')
    Path(store.path).symlink_to(tmp_path / "elsewhere.json")
    assert str(read_error(store)) == (
        f"cannot read the state file: {store.path} is a symbolic link, which nunet-onboard "
        "does not follow; remove it"
    )


def test_a_fifo_in_the_state_files_place_is_refused_without_waiting_for_a_writer(
    tmp_path: Path,
) -> None:
    """Opened without blocking: a FIFO with no writer would otherwise hang every command."""
    store = StateStore(tmp_path / "state")
    store.ensure_dir()
    os.mkfifo(store.path)
    found: list[BaseException] = []
    reader = threading.Thread(target=lambda: found.append(read_error(store)), daemon=True)
    reader.start()
    reader.join(timeout=HANG_S)  # a hang only: an open that blocked never returns
    assert not reader.is_alive(), "reading the state waited on a FIFO"
    (err,) = found
    assert str(err).startswith(
        f"the state file {store.path} is a FIFO (named pipe); nunet-onboard reads only a "
        "regular file; move it away"
    )
    assert isinstance(err, StateError) and err.fix == f"move {store.path} away"


def _free_fd_numbers_below(limit: int) -> int:
    used = 0
    for number in range(limit):
        try:
            os.fstat(number)
        except OSError:
            continue
        used += 1
    return limit - used


def test_a_read_the_system_refuses_names_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no file descriptor left, the open fails: the error is the system's, naming
    the file. One left is enough: the file is read through the descriptor it opened."""
    store = StateStore(tmp_path / "state")
    store.update(lambda s: None)
    lowest_free = os.dup(0)
    os.close(lowest_free)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (lowest_free, hard))
    try:
        err = read_error(store)
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert str(err) == f"cannot read the state file: Too many open files ({store.path})"
    limit = next(n for n in range(1, 4096) if _free_fd_numbers_below(n) == 1)
    resource.setrlimit(resource.RLIMIT_NOFILE, (limit, hard))
    try:
        assert store.read()["revision"] == 1
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_a_file_over_the_cap_is_kept_aside_whole_but_never_held_in_memory_whole(
    tmp_path: Path,
) -> None:
    """The copy is made a megabyte at a time and is the whole file: ``offboard --force``
    removes the original next, so a copy of its first 8 MB would lose the rest."""
    store = StateStore(tmp_path / "state")
    head = b'{"schema_version":1}'
    raw = head + b" " * (MAX_STATE_BYTES + 4096) + b"tail"
    tracemalloc.start()
    try:
        err = refused(store, raw)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert err.kept_at is not None
    assert Path(err.kept_at).read_bytes() == raw
    assert err.kept_at.endswith(f"unreadable-{hashlib.sha256(raw).hexdigest()[:12]}")
    assert peak < MAX_STATE_BYTES // 2, "the file was read into memory whole"


@pytest.mark.parametrize("occupant", ["directory", "symlink"])
def test_no_copy_is_claimed_where_something_else_holds_its_name(
    tmp_path: Path, occupant: str
) -> None:
    store = StateStore(tmp_path / "state")
    store.ensure_dir()
    raw = b"not json"
    copy = Path(store.state_dir) / f"{STATE_FILE}.unreadable-{hashlib.sha256(raw).hexdigest()[:12]}"
    if occupant == "directory":
        copy.mkdir()
    else:
        (tmp_path / "elsewhere").write_bytes(raw)
        copy.symlink_to(tmp_path / "elsewhere")
    err = refused(store, raw)
    assert err.kept_at is None
    assert "a copy is kept" not in str(err)


# -- depth before parsing -------------------------------------------------------------------------
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='ab"\\[]{}\n\u00e9'),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=30,
)


def nesting(value: object) -> int:
    """How deep ``value`` nests: 0 for a scalar, 1 for a flat list or object."""
    if isinstance(value, dict):
        return 1 + max(map(nesting, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(nesting, value), default=0)
    return 0


@given(JSON_VALUES, st.integers(min_value=0, max_value=6), st.booleans())
def test_depth_is_measured_outside_strings_whatever_they_hold(
    value: object, limit: int, ascii_only: bool
) -> None:
    """Brackets, quotes and backslashes inside strings never count; every bracket of the
    structure does (the text is what json.dumps writes, escaped either way)."""
    raw = json.dumps(value, ensure_ascii=ascii_only).encode()
    assert _too_deep(raw, limit) == (nesting(value) > limit)


def test_a_write_removes_a_dead_writers_metadata_temp_file_too(tmp_path: Path) -> None:
    """metadataV2.json is written under the same lock, the same way: a temp file of
    it that a kill left is a dead writer's, removed by the next write."""
    store = StateStore(tmp_path / "state")
    store.update(lambda s: None)
    temp = Path(store.state_dir) / ".metadataV2.json.dead1234.tmp"
    temp.write_bytes(b"{")
    assert store.leftover_temp_files() == [str(temp)]
    store.update(lambda s: None)
    assert not temp.exists()
