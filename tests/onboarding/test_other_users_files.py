"""Another user's files: they never make a directory ours, and their state is never believed.

Files are given to user 65534 (nobody) with os.chown, which needs root.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from app.onboarding.errors import StateError
from app.onboarding.store import StateStore
from tests.cli.helpers import run_cli
from tests.conftest import ETH_ADDRESS

NOBODY = 65534
pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="giving files to another user needs root")


def _planted(directory: Path, name: str) -> None:
    (directory / name).touch()
    os.chown(directory / name, NOBODY, NOBODY)


def test_a_lock_file_planted_in_a_sticky_directory_does_not_make_it_ours(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    _planted(shared, ".state.lock")
    with pytest.raises(StateError, match=r"open to other users \(mode 1777\) and shared"):
        StateStore(shared).update(lambda s: None)
    assert shared.stat().st_mode & 0o7777 == 0o1777
    assert sorted(p.name for p in shared.iterdir()) == [".state.lock"]


def test_a_sticky_directory_is_never_chmodded_even_with_our_own_files(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    (shared / ".state.lock").touch()  # ours: root's, as the test runs
    with pytest.raises(StateError, match="shared"):
        StateStore(shared).update(lambda s: None)
    assert shared.stat().st_mode & 0o7777 == 0o1777


def test_a_file_another_user_planted_does_not_make_an_open_directory_ours(tmp_path: Path) -> None:
    open_dir = tmp_path / "open"
    open_dir.mkdir()
    os.chmod(open_dir, 0o777)
    _planted(open_dir, "state.json")
    with pytest.raises(StateError, match="holds no nunet-onboard state"):
        StateStore(open_dir).update(lambda s: None)
    assert open_dir.stat().st_mode & 0o7777 == 0o777


def test_a_state_file_another_user_owns_is_not_believed(tmp_path: Path) -> None:
    state = tmp_path / "state"
    offer = tmp_path / "offer.toml"
    offer.write_text(
        'state = "onboarded"\ncpu = "50%"\nmemory = "20%"\nchannel = "nunet-team"\n'
        f'address = "{ETH_ADDRESS}"\n'
    )
    assert run_cli("apply", str(offer), state_dir=state).returncode == 0
    os.chown(state / "state.json", NOBODY, NOBODY)
    result = run_cli("status", "--json", state_dir=state)
    data = json.loads(result.stdout)
    assert data["payment_addr"] is None and not data["onboarded"]
    assert f"belongs to user {NOBODY}, not to you" in data["error"]
    refused = run_cli("resource-config", "-x", "1", state_dir=state)
    assert refused.returncode == 1
    assert f"belongs to user {NOBODY}, not to you" in refused.stderr
    assert (state / "state.json").stat().st_uid == NOBODY  # left as it was


def test_reading_a_state_file_another_user_owns_is_refused_with_the_way_out(
    tmp_path: Path,
) -> None:
    store = StateStore(tmp_path / "state")
    store.update(lambda s: None)
    os.chown(store.path, NOBODY, NOBODY)
    with pytest.raises(StateError) as refused:
        store.read()
    assert str(refused.value) == (
        f"the state file {store.path} belongs to user {NOBODY}, not to you (user "
        f"{os.geteuid()}), and nunet-onboard does not believe a file another user wrote; "
        "move it away"
    )
    assert refused.value.fix == f"move {store.path} away"
