"""A wallet is recorded only once its words reached the user; key files of a wallet
never recorded do not stay, even after ``kill -9``."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from app.onboarding import pending_exports
from app.onboarding.controller import OnboardingController
from tests.cli.helpers import REPO, run_cli

NOT_SHOWN = "the new wallet's words could not be shown"


def wallet_new(
    state: Path, *extra: str, stdout: str = "/dev/full", umask: int | None = None
) -> subprocess.CompletedProcess[str]:
    """``wallet new`` with its stdout on ``stdout`` ("closed": no fd 1 at all)."""

    def child_setup() -> None:
        if stdout == "closed":
            os.close(1)
        if umask is not None:
            os.umask(umask)

    with open(os.devnull if stdout == "closed" else stdout, "w") as out:
        return subprocess.run(
            [sys.executable, "-m", "app", "wallet", "new", *extra, "--state-dir", str(state)],
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=child_setup,
            timeout=60,
        )


def recorded(state: Path) -> list[str]:
    result = run_cli("wallet", "list", "--json", state_dir=state)
    assert result.returncode == 0, result.stderr
    return [w["address"] for w in json.loads(result.stdout)]


@pytest.mark.parametrize("stdout", ["/dev/full", "closed"])
def test_a_wallet_whose_words_cannot_be_written_is_not_recorded(
    tmp_path: Path, stdout: str
) -> None:
    state = tmp_path / "state"
    result = wallet_new(state, "--chain", "ethereum", stdout=stdout)
    assert result.returncode == 1
    assert NOT_SHOWN in result.stderr and "was not recorded" in result.stderr
    assert "unexpected error" not in result.stderr
    assert recorded(state) == []


def test_key_files_of_a_wallet_whose_words_cannot_be_written_are_removed(tmp_path: Path) -> None:
    state, keys = tmp_path / "state", tmp_path / "keys" / "node-1"
    result = wallet_new(state, "--chain", "cardano", "--export", str(keys))
    assert result.returncode == 1 and NOT_SHOWN in result.stderr
    assert not (tmp_path / "keys").exists()
    assert recorded(state) == []
    assert [p.name for p in state.iterdir() if p.name.startswith(".wallet-pending-")] == []


KILLED_EXPORT = """
import os, signal, sys
from pathlib import Path
from app.onboarding.controller import OnboardingController

def killed(wallet, paths):  # the key files are written; the wallet is not recorded yet
    os.kill(os.getpid(), signal.SIGKILL)

OnboardingController(sys.argv[1]).new_exported_wallet(
    "cardano", Path(sys.argv[2]), None, show=killed
)
"""


def killed_export(state: Path, keys: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", KILLED_EXPORT, str(state), str(keys)],
        cwd=REPO,
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == -9, result.stderr
    assert (keys / "payment.skey").is_file()  # what a kill at that moment leaves


def test_the_next_run_removes_the_key_files_a_kill_left_unrecorded(tmp_path: Path) -> None:
    state, keys = tmp_path / "state", tmp_path / "keys" / "node-1"
    killed_export(state, keys)
    result = wallet_new(state, "--chain", "cardano", stdout=os.devnull)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "keys").exists()
    assert len(recorded(state)) == 1  # only the wallet whose words were shown
    assert [p.name for p in state.iterdir() if p.name.startswith(".wallet-pending-")] == []


def test_a_key_file_changed_since_the_kill_is_kept(tmp_path: Path) -> None:
    state, keys = tmp_path / "state", tmp_path / "keys"
    killed_export(state, keys)
    (keys / "stake.vkey").write_text("the user's own file now\n")
    controller = OnboardingController(state)
    pending_exports.clean_unrecorded(controller)
    assert sorted(p.name for p in keys.iterdir()) == ["stake.vkey"]


def test_an_export_under_way_is_left_alone(tmp_path: Path) -> None:
    state, keys = tmp_path / "state", tmp_path / "keys"
    state.mkdir(mode=0o700)
    keys.mkdir()
    (keys / "payment.skey").write_text("key\n")
    with pending_exports.PendingExport(str(state), "addr1xyz", []) as pending:
        pending.note_files({keys / "payment.skey": "key\n"})
        assert pending_exports.clean(str(state), lambda address: False) == []
        assert (keys / "payment.skey").exists()
    assert pending_exports.clean(str(state), lambda address: False) == []


def test_with_umask_000_the_directories_an_export_makes_are_private(tmp_path: Path) -> None:
    state, keys = tmp_path / "a" / "b" / "state", tmp_path / "x" / "y" / "keys"
    result = wallet_new(
        state, "--chain", "cardano", "--export", str(keys), stdout=os.devnull, umask=0
    )
    assert result.returncode == 0, result.stderr
    for directory in (tmp_path / "x", tmp_path / "x" / "y", keys, tmp_path / "a", state):
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700, directory
