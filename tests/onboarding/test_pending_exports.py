"""The notes of wallet exports under way: a dead export's key files of a wallet never
recorded are removed, only while they hold what it wrote; an export still under way,
a recorded wallet, a changed file and any other file are never touched."""

from __future__ import annotations

import fcntl
import json
import logging
import os
import time
from pathlib import Path

import pytest

from app.onboarding import pending_exports
from app.onboarding.reader import StateReader
from tests.onboarding.log_lines import logged

ADDRESS = "addr_test1-not-recorded"


@pytest.fixture
def state(tmp_path: Path) -> Path:
    directory = tmp_path / "state"
    directory.mkdir(mode=0o700)
    return directory


def dead_export(state: Path, keys: Path) -> tuple[Path, dict[Path, bytes]]:
    """What ``kill -9`` leaves after an export wrote its key files: the note, unlocked,
    and the files (in a directory the export made inside another it made)."""
    files = {keys / "payment.skey": b"secret key\n", keys / "payment.addr": b"addr\n"}
    with pending_exports.PendingExport(str(state), ADDRESS, [keys, keys.parent]) as export:
        export.note_files({path: content.decode() for path, content in files.items()})
        keys.mkdir(parents=True)
        for path, content in files.items():
            path.write_bytes(content)
        kept = Path(export.path).read_bytes()
    note = state / Path(export.path).name
    note.write_bytes(kept)  # as the kill left it: the export never removed it
    return note, files


def test_the_note_says_what_the_export_will_write_and_is_gone_when_it_is_done(
    state: Path, tmp_path: Path
) -> None:
    keys = tmp_path / "out" / "keys"
    with pending_exports.PendingExport(str(state), ADDRESS, [keys, keys.parent]) as export:
        note = Path(export.path)
        assert note.parent == state and note.name.startswith(".wallet-pending-")
        assert note.name.endswith(".json") and (note.stat().st_mode & 0o777) == 0o600
        assert json.loads(note.read_bytes()) == {
            "address": ADDRESS, "dirs": [str(keys), str(keys.parent)], "files": {},
        }  # fmt: skip
        export.note_files({keys / "a.skey": "key"})
        digest = "2c70e12b7a0646f92279f427c7b38e7334d8e5389cff167a1dc30e73f826b683"
        assert json.loads(note.read_bytes())["files"] == {str(keys / "a.skey"): digest}
        assert pending_exports.clean(str(state), lambda address: False) == []  # held
        assert note.exists()
    assert not note.exists()


def test_a_dead_export_of_an_unrecorded_wallet_loses_its_key_files_and_directories(
    state: Path, tmp_path: Path
) -> None:
    keys = tmp_path / "out" / "keys"
    note, files = dead_export(state, keys)
    asked: list[str] = []
    removed = pending_exports.clean(str(state), lambda address: asked.append(address) or False)
    assert asked == [ADDRESS]
    assert sorted(removed) == sorted(str(path) for path in files)
    assert not keys.exists() and not keys.parent.exists() and not note.exists()


def test_a_recorded_wallet_keeps_its_files_and_only_the_note_goes(
    state: Path, tmp_path: Path
) -> None:
    keys = tmp_path / "out" / "keys"
    note, files = dead_export(state, keys)
    assert pending_exports.clean(str(state), lambda address: address == ADDRESS) == []
    assert all(path.read_bytes() == content for path, content in files.items())
    assert not note.exists()


def test_a_changed_file_another_file_and_a_link_are_never_removed(
    state: Path, tmp_path: Path
) -> None:
    keys = tmp_path / "out" / "keys"
    note, files = dead_export(state, keys)
    skey, addr = files
    skey.write_bytes(b"changed since\n")
    (keys / "mine.txt").write_bytes(b"the user's\n")
    target = tmp_path / "elsewhere"
    target.write_bytes(files[addr])
    addr.unlink()
    addr.symlink_to(target)  # holds what was written, but through a link
    assert pending_exports.clean(str(state), lambda address: False) == []
    assert skey.read_bytes() == b"changed since\n" and (keys / "mine.txt").exists()
    assert addr.is_symlink() and target.exists()
    assert keys.is_dir() and not note.exists()  # not empty: kept


def test_a_note_an_export_still_holds_is_left_alone(state: Path, tmp_path: Path) -> None:
    note, files = dead_export(state, tmp_path / "out" / "keys")
    fd = os.open(note, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # its writer, alive
        assert pending_exports.clean(str(state), lambda address: False) == []
        assert note.exists() and all(path.exists() for path in files)
    finally:
        os.close(fd)


def test_a_torn_note_is_removed_and_touches_nothing(state: Path, tmp_path: Path) -> None:
    note = state / ".wallet-pending-torn.json"
    note.write_bytes(b'{"address": "x", "fil')  # a kill while it was written
    (state / ".wallet-pending-other.txt").write_bytes(b"not a note")
    asked: list[str] = []
    assert pending_exports.clean(str(state), lambda address: asked.append(address) or False) == []
    assert asked == [""] and not note.exists() and (state / ".wallet-pending-other.txt").exists()


def test_a_note_that_is_a_link_is_skipped_and_a_missing_directory_cleans_nothing(
    state: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(json.dumps({"address": ADDRESS, "dirs": [], "files": {}}).encode())
    (state / ".wallet-pending-link.json").symlink_to(elsewhere)
    assert pending_exports.clean(str(state), lambda address: False) == []
    assert elsewhere.exists()
    assert pending_exports.clean(str(tmp_path / "missing"), lambda address: False) == []


def test_a_note_just_made_and_not_yet_locked_is_left_alone(tmp_path: Path) -> None:
    """An export makes its note (empty) and locks it a moment later: a wallet command
    cleaning in between must not remove it, or a kill after would leave key files."""
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    note = state / ".wallet-pending-new.json"
    note.write_bytes(b"")
    assert pending_exports.clean(str(state), lambda address: False) == []
    assert note.exists()


def test_an_empty_note_a_kill_left_long_ago_is_removed(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    note = state / ".wallet-pending-old.json"
    note.write_bytes(b"")
    old = time.time() - 2 * pending_exports.FRESH_NOTE_S
    os.utime(note, (old, old))
    assert pending_exports.clean(str(state), lambda address: False) == []
    assert not note.exists()


def test_before_each_wallet_command_an_unrecorded_wallets_files_go_with_a_log_line(
    state: Path, tmp_path: Path
) -> None:
    keys = tmp_path / "out" / "keys"
    _, files = dead_export(state, keys)
    with logged(logging.WARNING) as lines:
        pending_exports.clean_unrecorded(StateReader(str(state)))
    assert not any(path.exists() for path in files)
    assert sorted(lines) == sorted(
        f"removed {path}: a key file of a wallet an interrupted export left unrecorded"
        for path in files
    )


def test_an_unreadable_state_removes_nothing(state: Path, tmp_path: Path) -> None:
    """The wallet may be recorded in a state that cannot be read now: its files stay."""
    _, files = dead_export(state, tmp_path / "out" / "keys")
    (state / "state.json").write_bytes(b"{not json")
    pending_exports.clean_unrecorded(StateReader(str(state)))
    assert all(path.exists() for path in files)


@pytest.mark.parametrize("ours", [True, False], ids=["its-wallet-recorded", "another-recorded"])
def test_the_files_stay_exactly_when_the_state_records_their_wallet(
    state: Path, tmp_path: Path, ours: bool
) -> None:
    from app.onboarding.store import StateStore

    record = {"chain": "cardano", "address": ADDRESS if ours else "addr_test1-another"}
    StateStore(str(state)).update(lambda s: s["wallets"].append(record))
    reader = StateReader(str(state))
    assert [w["address"] for w in reader.wallets()] == [record["address"]]
    _, files = dead_export(state, tmp_path / "out" / "keys")
    pending_exports.clean_unrecorded(reader)
    assert [path.exists() for path in files] == [ours] * len(files)
