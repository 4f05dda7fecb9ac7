"""Issue 7.6, 7.7, 7.12, 13.1-13.3: the state directory's owner, mode and links; forced offboard.

As root (CI) and, where the test can drop privileges, as an unprivileged user in a
subprocess.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from app.logs import configure_logging
from app.onboarding.controller import OnboardingController
from app.onboarding.errors import StateError
from app.onboarding.store import StateStore
from tests.cli.helpers import REPO
from tests.conftest import remount_read_only
from tests.fakes import fake_machine
from tests.tui.conftest import offer

NOBODY = 65534


def test_a_shared_directory_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    with pytest.raises(StateError, match=r"open to other users \(mode 1777\) and shared"):
        StateStore(shared).update(lambda s: None)
    assert shared.stat().st_mode & 0o7777 == 0o1777  # the sticky bit is still there
    assert list(shared.iterdir()) == []


def test_an_already_private_existing_directory_is_used(tmp_path: Path) -> None:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    StateStore(private).update(lambda s: None)
    assert (private / "state.json").exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="chown to another user needs root")
def test_a_directory_of_another_user_is_refused(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o700)
    os.chown(theirs, NOBODY, NOBODY)
    with pytest.raises(StateError, match=f"belongs to user {NOBODY}, not to you"):
        StateStore(theirs).update(lambda s: None)
    assert list(theirs.iterdir()) == []


def test_a_dangling_lock_symlink_is_not_followed(tmp_path: Path, state_dir: Path) -> None:
    StateStore(state_dir).update(lambda s: None)
    target = tmp_path / "planted"
    (state_dir / ".state.lock").unlink()
    (state_dir / ".state.lock").symlink_to(target)
    with pytest.raises(StateError, match="symbolic link"):
        StateStore(state_dir).update(lambda s: None)
    assert not target.exists()


def test_a_state_file_symlink_is_not_read(tmp_path: Path, state_dir: Path) -> None:
    StateStore(state_dir).update(lambda s: None)
    secret = tmp_path / "root-only"
    secret.write_text('{"schema_version": 1}')
    (state_dir / "state.json").unlink()
    (state_dir / "state.json").symlink_to(secret)
    with pytest.raises(StateError, match="symbolic link"):
        StateStore(state_dir).read()


def test_a_key_symlink_is_not_an_identity(tmp_path: Path, controller: OnboardingController) -> None:
    controller.onboard(offer())
    real = tmp_path / "elsewhere.key"
    real.write_bytes(controller.key_path.read_bytes())
    controller.key_path.unlink()
    controller.key_path.symlink_to(real)
    assert not controller.is_onboarded()
    controller.offboard(force=True)
    assert not os.path.lexists(controller.key_path) and real.exists()  # the link went, not the file


def test_a_log_symlink_is_not_followed(tmp_path: Path, state_dir: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    (state_dir / "logs").mkdir(parents=True)
    (state_dir / "logs" / "nunet-onboard.log").symlink_to(victim)
    assert configure_logging(state_dir / "logs" / "nunet-onboard.log") is None
    assert victim.read_text() == "precious\n"


def test_a_state_directory_that_is_a_file_says_so(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("")
    with pytest.raises(StateError, match="is a file, not a directory") as err:
        StateStore(not_a_dir).update(lambda s: None)
    assert "permission" not in str(err.value)
    status = OnboardingController(not_a_dir).status()
    assert "a file, not a directory" in status.problems[0].message
    assert "permissions" not in status.problems[0].fix


@pytest.mark.skipif(
    shutil.which("chattr") is None or os.geteuid() != 0, reason="needs chattr, root"
)
def test_an_immutable_directory_says_so(state_dir: Path) -> None:
    StateStore(state_dir).update(lambda s: None)
    if subprocess.run(["chattr", "+i", str(state_dir)], capture_output=True).returncode != 0:
        pytest.skip("this file system does not support chattr +i")
    try:
        with pytest.raises(StateError, match="immutable") as err:
            StateStore(state_dir).update(lambda s: None)
        assert "permission denied" not in str(err.value)
    finally:
        subprocess.run(["chattr", "-i", str(state_dir)], check=True)


UNPRIVILEGED = """
import os, sys
from pathlib import Path
from app.onboarding.errors import StateError
from app.onboarding.store import StateStore
import app.paths
import tempfile, logging, app.onboarding.lock  # what writers import when they first write
os.setgid(65534); os.setuid(65534)  # everything is imported: the venv may be root-only
base = Path(sys.argv[1])
for name, expect in (("root-owned", "belongs to user 0"), ("shared", "open to other users")):
    try:
        StateStore(base / name).update(lambda s: None)
    except StateError as exc:
        assert expect in str(exc), str(exc)
    else:
        raise SystemExit(f"{name} was used")
own = base / "mine" / "state"
StateStore(own).update(lambda s: None)
assert own.stat().st_mode & 0o777 == 0o700
print("ok")
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="dropping privileges needs root")
def test_the_same_rules_for_an_unprivileged_user(tmp_path: Path) -> None:
    base = Path(tempfile.mkdtemp(prefix="nunet-unpriv-"))  # under /tmp: others can reach it
    os.chmod(base, 0o755)
    (base / "root-owned").mkdir(mode=0o700)
    (base / "shared").mkdir()
    os.chmod(base / "shared", 0o1777)
    os.chown(base / "shared", NOBODY, NOBODY)
    (base / "mine").mkdir()
    os.chown(base / "mine", NOBODY, NOBODY)
    try:
        _run_unprivileged(base)
    finally:
        shutil.rmtree(base)


def _run_unprivileged(base: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", UNPRIVILEGED, str(base)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "NUNET_ONBOARD_LOCK_TIMEOUT": "2"},
    )
    if "ModuleNotFoundError" in result.stderr:
        pytest.skip(f"python cannot run unprivileged here: {result.stderr[-200:]}")
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


# -- issue 13.1 and 13.3: force goes past every error -------------------------------------
def test_forced_offboard_goes_past_a_state_file_that_is_a_directory(
    controller: OnboardingController,
) -> None:
    controller.onboard(offer())
    controller.state_path.unlink()
    controller.state_path.mkdir()
    with pytest.raises(StateError, match="is a directory"):
        controller.offboard()
    result = controller.offboard(force=True)
    assert not controller.key_path.exists()
    assert any("node identity" in r for r in result.removed)
    assert any("a directory (moved aside to" in r for r in result.removed)
    assert result.failed == ()
    assert controller.offboard_plan().remove == ()


def test_forced_offboard_on_a_read_only_directory_reports_what_it_could_not_remove(
    state_dir: Path,
) -> None:
    from tests.conftest import read_only_dir

    with read_only_dir() as base:
        remount_read_only_back(base)
        state_dir = base / "state"
        ctl = OnboardingController(state_dir, probe=lambda: fake_machine())
        ctl.onboard(offer())
        remount_read_only(base)
        result = ctl.offboard(force=True)
        assert ctl.key_path.exists()  # nothing could be removed...
        failures = " ".join(result.failed)
        assert "read-only" in failures
        assert "node identity" in failures and "offer" not in " ".join(result.removed)
        assert json.loads(ctl.state_path.read_text())["metadata"] is not None


def remount_read_only_back(path: Path) -> None:
    """read_only_dir() hands out a read-only dir; make it writable first to onboard in it."""
    if os.geteuid() == 0:
        subprocess.run(["mount", "-o", "remount,rw", str(path)], check=True)
    else:
        path.chmod(0o700)


@pytest.mark.parametrize("case", ["shared", "another user's"])
def test_status_says_what_the_first_write_would_refuse(tmp_path: Path, case: str) -> None:
    """Found by a QA pass: status (and the app's Status screen) said nothing of a state
    directory every write refuses, so a user learned it after filling in a whole form."""
    from app.onboarding.controller import OnboardingController

    target = tmp_path / "dir"
    target.mkdir()
    os.chmod(target, 0o755)
    if case == "another user's":
        if os.geteuid() != 0:
            pytest.skip("chown to another user needs root")
        os.chown(target, NOBODY, NOBODY)
    status = OnboardingController(target).status()
    with pytest.raises(StateError) as refused:
        StateStore(target).update(lambda s: None)
    unusable = [p for p in status.problems if p.kind == "unusable"]
    assert [(p.message, p.fix) for p in unusable] == [(str(refused.value), refused.value.fix)]


def test_status_of_a_private_or_missing_directory_has_no_such_problem(tmp_path: Path) -> None:
    from app.onboarding.controller import OnboardingController

    assert OnboardingController(tmp_path / "not yet").status().problems == ()
    (tmp_path / "a file").write_text("")  # already said: the state file cannot be read
    assert [p.kind for p in OnboardingController(tmp_path / "a file").status().problems] == [
        "unreadable"
    ]
    (tmp_path / "mine").mkdir(mode=0o700)
    assert OnboardingController(tmp_path / "mine").status().problems == ()
