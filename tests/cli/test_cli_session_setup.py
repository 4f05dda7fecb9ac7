"""What every command sets up, in this process: the settings, the log file, -v.

`app.cli.main(argv)` on a real state directory; the settings come from the
environment and the config file, as they do for a user.
"""

from __future__ import annotations

import io
import logging
import sys
from pathlib import Path
from typing import Any

import pytest

from app.logs import LOGGER_NAME
from tests.cli.helpers import main_cli, smallest_offer
from tests.conftest import ETH_ADDRESS

Capsys = pytest.CaptureFixture[str]


@pytest.fixture
def bad_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "config.toml"
    config.write_text("state_dir = [\n")
    monkeypatch.setenv("NUNET_ONBOARD_CONFIG", str(config))
    monkeypatch.delenv("NUNET_ONBOARD_STATE_DIR")
    return config


@pytest.mark.parametrize("argv", [["status"], ["capacity", "--onboarded"], ["wallet", "list"]])
def test_a_read_only_command_with_an_unreadable_config_is_bad_usage(
    capsys: Capsys, bad_config: Path, argv: list[str]
) -> None:
    code, out, err = main_cli(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.startswith(f"nunet-onboard: error: the config file {bad_config} cannot be read: ")
    assert err.count("\n") == 1


def test_a_writing_command_with_an_unreadable_config_is_bad_usage(
    capsys: Capsys, bad_config: Path
) -> None:
    code, out, err = main_cli(capsys, "offboard", "--yes")
    assert (code, out) == (2, "")
    assert err.startswith("nunet-onboard: error: ") and str(bad_config) in err
    assert err.count("\n") == 1


def test_verbose_also_logs_to_stderr(capsys: Capsys, state: str, machine: dict[str, Any]) -> None:
    code, _, err = main_cli(capsys, *smallest_offer(machine, state, "--yes", "-v"))
    assert code == 0
    assert " INFO nunet_onboard.controller: onboarded: node " in err
    code, _, err = main_cli(capsys, "offboard", "--yes", "--state-dir", state)
    assert code == 0 and "nunet_onboard" not in err  # without -v: the log file only
    log = (Path(state) / "logs" / "nunet-onboard.log").read_text()
    assert " INFO nunet_onboard.controller: onboarded: " in log
    assert " INFO nunet_onboard.controller: offboarded: " in log


def test_the_log_level_setting_is_used(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, machine: dict[str, Any]
) -> None:
    monkeypatch.setenv("NUNET_ONBOARD_LOG_LEVEL", "WARNING")
    assert main_cli(capsys, *smallest_offer(machine, state, "--yes"))[0] == 0
    log = Path(state) / "logs" / "nunet-onboard.log"
    assert not log.exists() or " INFO " not in log.read_text()
    monkeypatch.setenv("NUNET_ONBOARD_LOG_LEVEL", "DEBUG")
    assert main_cli(capsys, "offboard", "--yes", "--state-dir", state)[0] == 0
    assert " INFO nunet_onboard.controller: offboarded: " in log.read_text()


def fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's logger as a new process finds it: nothing configured by an earlier command."""
    logger = logging.getLogger(LOGGER_NAME)
    for handler in logger.handlers:
        handler.close()
    monkeypatch.setattr(logger, "handlers", [])


def test_resource_config_logs_the_change(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, machine: dict[str, Any]
) -> None:
    assert main_cli(capsys, *smallest_offer(machine, state, "--yes"))[0] == 0
    fresh_process(monkeypatch)
    assert main_cli(capsys, "resource-config", "-x", "0.5", "--state-dir", state)[0] == 0
    log = (Path(state) / "logs" / "nunet-onboard.log").read_text()
    assert " INFO nunet_onboard.controller: resource-config: ntx_price 0.5\n" in log


def test_wallet_commands_log_to_the_state_directory(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str
) -> None:
    log = Path(state) / "logs" / "nunet-onboard.log"
    fresh_process(monkeypatch)
    argv = ["wallet", "new", "--chain", "ethereum", "--words", "12", "--state-dir", state]
    code, out, _ = main_cli(capsys, *argv)
    assert code == 0
    address = out.split("Address", 1)[1].split()[0]
    assert f" ethereum {address}\n" in log.read_text()
    log.unlink()
    fresh_process(monkeypatch)
    monkeypatch.setattr(sys, "stdin", io.StringIO(" ".join(["test"] * 11 + ["junk"])))
    argv = ["wallet", "restore", "--chain", "ethereum", "--state-dir", state]
    assert main_cli(capsys, *argv)[0] == 0
    assert f" ethereum {ETH_ADDRESS}\n" in log.read_text()
