"""The notes of wallet exports under way: one just made is never taken for a dead one."""

from __future__ import annotations

import os
import time
from pathlib import Path

from app.onboarding import pending_exports


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
