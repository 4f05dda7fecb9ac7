"""The state file's refusals at their edges, found unchecked by mutation testing: the size
cap, the depth counted on the text before parsing, and the parser running out of stack.
Each refusal names the file and why, and keeps a copy of what it could not read."""

from __future__ import annotations

import hashlib  # noqa: F401  (imported before the recursion limit is lowered: see below)
import sys
from pathlib import Path

import pytest

from app.onboarding.errors import StateCorrupt
from app.onboarding.store import MAX_EXTRA_DEPTH, MAX_STATE_BYTES, StateStore

TEXT_DEPTH_LIMIT = MAX_EXTRA_DEPTH + 8  # the depth _parse counts on the raw text


def nested(depth: int, before: str = "") -> bytes:
    """A state whose text nests `depth` deep: the object, then lists in "extra"."""
    inner = depth - 1
    return ('{"schema_version":1,' + before + '"extra":' + "[" * inner + "]" * inner + "}").encode()


def refused(store: StateStore, raw: bytes) -> StateCorrupt:
    store.ensure_dir()
    store.path.write_bytes(raw)
    with pytest.raises(StateCorrupt) as err:
        store.read()
    return err.value


def assert_names_the_file_and_keeps_a_copy(store: StateStore, err: StateCorrupt, why: str) -> None:
    assert err.path == store.path
    assert err.kept_at is not None and err.kept_at.read_bytes() == store.path.read_bytes()
    assert err.problem == (
        f"the state file {store.path} cannot be read ({why}); a copy is kept at {err.kept_at}"
    )


def test_a_file_of_exactly_the_size_cap_is_read(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state")
    store.ensure_dir()
    head = b'{"schema_version":1}'
    store.path.write_bytes(head + b" " * (MAX_STATE_BYTES - len(head)))
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
    store.path.write_bytes(nested(TEXT_DEPTH_LIMIT))
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
