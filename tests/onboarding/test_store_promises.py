"""The state store's promises: the directory is
made private (parents too), errors name the path and what to do, a corrupt file is kept
aside under a content-named copy, the file's layout, and what StateChanged reports."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from app.onboarding.errors import StateCorrupt, StateError
from app.onboarding.refusals import StateChanged
from app.onboarding.store import SCHEMA_VERSION, StateStore


def test_a_missing_state_reads_as_the_empty_shape(tmp_path: Path) -> None:
    assert StateStore(tmp_path / "none").read() == {
        "schema_version": SCHEMA_VERSION,
        "revision": 0,
        "offer": None,
        "metadata": None,
        "available_resources": None,
        "wallets": [],
        "history": [],
    }


def test_the_directory_and_its_missing_parents_are_made_private(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "a" / "b" / "state")
    store.update(lambda s: None)
    assert Path(store.state_dir).stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize("mode", [0o755, 0o670])
def test_an_open_directory_of_ours_is_tightened(tmp_path: Path, mode: int) -> None:
    state_dir = tmp_path / "state"
    state_dir.mkdir()
    (state_dir / ".state.lock").touch()  # one of our files: the directory is ours
    state_dir.chmod(mode)
    StateStore(state_dir).update(lambda s: None)
    assert state_dir.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize("mode", [0o755, 0o670])
def test_an_open_directory_not_ours_is_refused_and_left_as_it_is(tmp_path: Path, mode: int) -> None:
    state_dir = tmp_path / "state"
    state_dir.mkdir()
    state_dir.chmod(mode)
    with pytest.raises(StateError) as caught:
        StateStore(state_dir).update(lambda s: None)
    assert str(caught.value) == (
        f"the state directory {state_dir} is open to other users (mode {mode:04o}) and "
        "holds no nunet-onboard state, so it is left as it is and not used; "
        "choose another with --state-dir or NUNET_ONBOARD_STATE_DIR, "
        "or make it private yourself (chmod 700)"
    )
    assert state_dir.stat().st_mode & 0o777 == mode
    assert list(state_dir.iterdir()) == []


def test_a_state_dir_under_a_file_says_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    store = StateStore(tmp_path / "file" / "state")
    with pytest.raises(StateError) as caught:
        store.update(lambda s: None)
    assert str(caught.value) == (
        f"cannot use the state directory: a part of {store.state_dir} is a file, "
        "not a directory; choose another with --state-dir or NUNET_ONBOARD_STATE_DIR"
    )


def test_a_failed_write_names_the_file_and_leaves_no_temp_file(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state")
    store.ensure_dir()
    Path(store.path).mkdir()  # os.replace cannot put a file over a directory
    with pytest.raises(StateError) as caught:
        store.write({"schema_version": SCHEMA_VERSION})
    message = str(caught.value)
    assert message.startswith("cannot write the state file: ")
    assert f"({store.path})" in message and message.endswith("; nothing was changed")
    assert "Errno" not in message
    assert store.leftover_temp_files() == []


def test_writes_go_through_a_temp_file_that_leftover_temp_files_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = StateStore(tmp_path / "state")
    real_replace = os.replace
    seen: list[Path] = []

    def watched(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        seen.append(Path(src))
        assert store.leftover_temp_files() == [os.fspath(src)]
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", watched)
    store.update(lambda s: None)
    assert len(seen) == 1 and str(seen[0].parent) == store.state_dir


def test_the_file_is_indented_json_in_a_fixed_order(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state")
    offer = {"cpu": 1, "memory": 2, "channel": "nunet-team", "payment_addr": "addr"}
    store.update(lambda s: s.__setitem__("offer", offer))
    text = Path(store.path).read_text()
    assert text.startswith(
        '{\n  "schema_version": 1,\n  "revision": 1,\n  "offer": {\n    "cpu": 1,\n    "memory"'
    )
    assert text.endswith("}\n")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\x80not text", "not text"),
        (b"{broken", "not valid JSON: "),
        (b"[1, 2]", "the file holds a list, not a JSON object)"),
        (
            b'{"schema_version": 99}',
            "schema_version 99 is not one this version knows (1); "
            "it may come from a newer nunet-onboard",
        ),
    ],
)
def test_an_unreadable_file_is_kept_aside_by_its_content(
    tmp_path: Path, raw: bytes, reason: str
) -> None:
    store = StateStore(tmp_path / "state")
    store.ensure_dir()
    Path(store.path).write_bytes(raw)
    with pytest.raises(StateCorrupt) as caught:
        store.read()
    exc = caught.value
    assert exc.path == store.path
    assert f"the state file {store.path} cannot be read ({reason}" in str(exc)
    digest = hashlib.sha256(raw).hexdigest()[:12]
    assert exc.kept_at == os.path.join(store.state_dir, f"state.json.unreadable-{digest}")
    assert Path(exc.kept_at).read_bytes() == raw
    assert Path(store.path).read_bytes() == raw  # never overwritten


def _log(action: str, detail: str = "") -> object:
    def change(state: dict[str, object]) -> None:
        history = state["history"]
        assert isinstance(history, list)
        history.append({"time": f"t-{action}", "action": action, "detail": detail})

    return change


def test_state_changed_lists_only_what_came_after_the_read(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state")
    store.update(_log("onboard", "cpu 1000 MHz"))  # type: ignore[arg-type]
    store.update(_log("resource-config", "cpu 2000 MHz"))  # type: ignore[arg-type]
    store.update(_log("offboard"))  # type: ignore[arg-type]
    with pytest.raises(StateChanged) as caught:
        store.update(lambda s: None, base_revision=1)
    exc = caught.value
    assert (exc.base, exc.now) == (1, 3)
    assert exc.changes == [
        "resource-config (cpu 2000 MHz) at t-resource-config",
        "offboard at t-offboard",
    ]
    assert "resource-config (cpu 2000 MHz) at t-resource-config; offboard at t-offboard" in str(exc)


def test_old_history_entries_keep_their_revision(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state")
    store.ensure_dir()
    legacy = {"schema_version": SCHEMA_VERSION, "history": [{"action": "onboard", "time": "t"}]}
    Path(store.path).write_text(json.dumps(legacy))
    state = store.update(_log("resource-config"))  # type: ignore[arg-type]
    assert "revision" not in state["history"][0]
    assert state["history"][1]["revision"] == 1


def test_removing_a_missing_state_file_is_not_an_error(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state")
    store.ensure_dir()
    store.remove_state_file()
    store.update(lambda s: None)
    store.remove_state_file()
    assert not Path(store.path).exists()
