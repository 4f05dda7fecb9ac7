"""A FIFO, a device or a file too big in place of any file the CLI reads: one clear
error, never a hang or memory run out.

Every command runs as a real process with a timeout, so that a regression that
waits on a FIFO fails the test instead of stalling the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.shown import shown_path
from tests.cli.helpers import REPO
from tests.conftest import ETH_ADDRESS

HANG_GUARD_S = 30
OFFER = f"""state = "onboarded"
cpu = "50%"
memory = "20%"
channel = "nunet-team"
address = "{ETH_ADDRESS}"
"""


def cli(
    *args: str, state_dir: Path, env: dict[str, str] | None = None, stdin: bytes = b""
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "NUNET_ONBOARD_CONFIG"}
    full_env.update({"NUNET_ONBOARD_STATE_DIR": str(state_dir), **(env or {})})
    result = subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        env=full_env,
        timeout=HANG_GUARD_S,
    )
    return subprocess.CompletedProcess(
        result.args, result.returncode, result.stdout.decode(), result.stderr.decode()
    )


@pytest.fixture
def state(tmp_path: Path) -> Path:
    directory = tmp_path / "state"
    directory.mkdir(mode=0o700)
    return directory


def onboarded(state: Path, tmp_path: Path) -> None:
    offer = tmp_path / "offer.toml"
    offer.write_text(OFFER)
    result = cli("apply", str(offer), state_dir=state)
    assert result.returncode == 0, result.stderr


def test_a_fifo_as_the_metadata_file_neither_hangs_status_nor_a_write(
    state: Path, tmp_path: Path
) -> None:
    onboarded(state, tmp_path)
    metadata = state / "metadataV2.json"
    metadata.unlink()
    os.mkfifo(metadata)
    result = cli("status", state_dir=state)
    assert result.returncode == 0, result.stderr
    assert f"{metadata} does not match the state file" in " ".join(result.stdout.split())
    # resource-config writes under the lock and then makes the file match: a FIFO
    # there once held the lock for ever, failing every other writer.
    result = cli("resource-config", "-x", "0.5", state_dir=state)
    assert result.returncode == 0, result.stderr
    assert metadata.is_file() and not metadata.is_symlink()
    assert cli("status", "--check", state_dir=state).returncode == 0


@pytest.mark.parametrize("where", ["env", "default place"])
def test_a_fifo_as_the_config_file_is_a_config_error(
    state: Path, tmp_path: Path, where: str
) -> None:
    if where == "env":
        config = tmp_path / "config.toml"
        env = {"NUNET_ONBOARD_CONFIG": str(config)}
    else:
        config = tmp_path / "xdg" / "nunet-onboard" / "config.toml"
        config.parent.mkdir(parents=True)
        env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    os.mkfifo(config)
    result = cli("status", state_dir=state, env=env)
    assert result.returncode == 2
    assert result.stderr == (
        f"nunet-onboard: error: the config file {config} is a FIFO (named pipe); "
        "nunet-onboard reads only a regular file\n"
    )


def test_dev_zero_as_the_config_file_is_refused_without_reading_it(state: Path) -> None:
    result = cli("status", state_dir=state, env={"NUNET_ONBOARD_CONFIG": "/dev/zero"})
    assert result.returncode == 2
    assert "the config file /dev/zero is a character device" in result.stderr


def test_a_deeply_nested_config_is_a_usage_error_not_a_recursion_error(
    state: Path, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n")
    for command in (["status"], ["offboard", "--yes"]):
        result = cli(*command, state_dir=state, env={"NUNET_ONBOARD_CONFIG": str(config)})
        assert result.returncode == 2, result.stderr
        assert "RecursionError" not in result.stderr
        assert f"the config file {config} cannot be read: nested more than 32" in result.stderr


def test_a_config_file_over_64_kib_is_refused(state: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("# padding\n" * 7000)
    result = cli("status", state_dir=state, env={"NUNET_ONBOARD_CONFIG": str(config)})
    assert result.returncode == 2
    assert f"the config file {config} is larger than 64 KiB" in result.stderr


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_apply_refuses_a_fifo_or_a_device_as_the_offer(
    state: Path, tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "offer.toml"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path = Path("/dev/zero")
    result = cli("apply", "--check", str(path), state_dir=state)
    assert result.returncode == 2
    what = "a FIFO (named pipe)" if kind == "fifo" else "a character device"
    assert result.stderr == (
        f"nunet-onboard: error: the offer file {shown_path(str(path))} is {what}; nunet-onboard reads only "
        "a regular file\n"
    )


def test_a_fifo_as_the_log_file_does_not_hang_a_command_that_logs(state: Path) -> None:
    (state / "logs").mkdir(mode=0o700)
    os.mkfifo(state / "logs" / "nunet-onboard.log")
    result = cli("offboard", "--yes", state_dir=state)
    assert result.returncode == 1
    assert "not onboarded" in result.stderr


@pytest.mark.parametrize("option", ["--passphrase-file", "--password-file"])
def test_a_fifo_as_a_secret_file_is_refused_without_waiting(
    state: Path, tmp_path: Path, option: str
) -> None:
    fifo = tmp_path / "secret"
    os.mkfifo(fifo)
    export = ["--export", str(tmp_path / "keys")] if option == "--password-file" else []
    result = cli(
        "wallet", "restore", "--chain", "ethereum", option, str(fifo), *export, state_dir=state
    )
    assert result.returncode == 2
    what = "passphrase" if option == "--passphrase-file" else "password"
    assert result.stderr.startswith(
        f"nunet-onboard: error: cannot read the {what} file given (a FIFO (named pipe)); "
        "give a regular file"
    )
    assert str(fifo) not in result.stderr
    assert not (tmp_path / "keys").exists() and not (state / "state.json").exists()


def test_a_passphrase_file_over_64_kib_is_refused_not_cut(state: Path, tmp_path: Path) -> None:
    passphrase = tmp_path / "passphrase"
    passphrase.write_text("p" * (64 * 1024 + 1))
    result = cli(
        "wallet", "restore", "--chain", "ethereum", "--passphrase-file", str(passphrase),
        state_dir=state, stdin=b"abandon " * 11 + b"about\n",
    )  # fmt: skip
    assert result.returncode == 2
    assert "cannot read the passphrase file given (over 64 KiB)" in result.stderr
    assert not (state / "state.json").exists()


def test_wallet_restore_reads_stdin_only_up_to_its_bound(state: Path) -> None:
    """8 MB of words on stdin: refused once 16 KiB are read, not held whole."""
    result = cli(
        "wallet", "restore", "--chain", "ethereum", state_dir=state, stdin=b"abandon " * (1 << 20)
    )
    assert result.returncode == 2
    assert result.stderr == (
        "nunet-onboard: error: stdin holds more than 16 KiB, far more than a mnemonic; "
        "nothing was restored\n"
    )
    assert not (state / "state.json").exists()
