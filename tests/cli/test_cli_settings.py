"""Settings as a user gives them: every command agrees on them, or says what is wrong.

`app.cli.main(argv)` in this process, on real files in a tmp directory, with the
settings in real environment variables and a real config file, as a user sets them.
The commands that write (and the app) refuse a bad setting; the read-only ones
warn and go on, unless they cannot tell where the state is.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import Terminal, main_cli, smallest_offer

Capsys = pytest.CaptureFixture[str]

READ_ONLY = [["status"], ["status", "--check"], ["info"], ["capacity"], ["wallet", "list"]]
ERROR = "nunet-onboard: error: "


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """An empty current directory, a home, the default state directory and the config
    file (empty); no state directory set anywhere."""
    cwd, home = tmp_path / "cwd", tmp_path / "home"
    cwd.mkdir()
    home.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("NUNET_ONBOARD_STATE_DIR")
    config = tmp_path / "config.toml"
    config.write_text("")
    monkeypatch.setenv("NUNET_ONBOARD_CONFIG", str(config))
    return {
        "cwd": cwd,
        "home": home,
        "default": tmp_path / "data" / "nunet-onboard",
        "config": config,
    }


def without_state_dir(argv: list[str]) -> list[str]:
    """``smallest_offer``'s line without its ``--state-dir``: the setting decides."""
    at = argv.index("--state-dir")
    return argv[:at] + argv[at + 2 :]


def status_json(capsys: Capsys) -> dict[str, Any]:
    code, out, err = main_cli(capsys, "status", "--json")
    assert (code, err) == (0, "")
    data: dict[str, Any] = json.loads(out)
    return data


def onboard_status_offboard(
    capsys: Capsys, machine: dict[str, Any], state: str, wanted: Path
) -> None:
    """onboard, status, info, wallet list and offboard all use ``wanted``."""
    code, _, err = main_cli(capsys, *without_state_dir(smallest_offer(machine, state, "--yes")))
    assert code == 0, err
    assert (wanted / "state.json").is_file()
    data = status_json(capsys)
    assert data["onboarded"] is True
    assert data["database_path"] == str(wanted / "state.json")
    assert main_cli(capsys, "status", "--check")[0] == 0
    assert main_cli(capsys, "info", "--json")[0] == 0
    assert main_cli(capsys, "wallet", "list")[0] == 0
    code, _, err = main_cli(capsys, "offboard", "--yes")
    assert code == 0, err
    assert status_json(capsys)["onboarded"] is False


# -- an empty or relative state directory ------------------------------------------


@pytest.mark.parametrize(
    ("where", "value", "wanted"),
    [
        ("environment", "", "default"),
        ("config file", "", "default"),
        ("environment", "rel/state", "cwd/rel/state"),
        ("config file", "rel/state", "cwd/rel/state"),
    ],
)
def test_every_command_uses_the_same_absolute_state_dir(
    capsys: Capsys,
    monkeypatch: pytest.MonkeyPatch,
    machine: dict[str, Any],
    state: str,
    places: dict[str, Path],
    where: str,
    value: str,
    wanted: str,
) -> None:
    """``NUNET_ONBOARD_STATE_DIR=`` or ``state_dir = ""`` is not set, and a relative one is
    taken from the current directory: onboard used to write to the current directory
    while status read the default one (and status took a relative path as it was)."""
    if where == "environment":
        monkeypatch.setenv("NUNET_ONBOARD_STATE_DIR", value)
    else:  # with another key, so that the validated settings model is used too
        places["config"].write_text(f'state_dir = "{value}"\nlog_level = "INFO"\n')
    first, _, rest = wanted.partition("/")
    onboard_status_offboard(capsys, machine, state, places[first] / rest)
    if value == "":
        assert list(places["cwd"].iterdir()) == []


def test_an_empty_variable_leaves_the_config_file_in_force(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, places: dict[str, Path], tmp_path: Path
) -> None:
    monkeypatch.setenv("NUNET_ONBOARD_STATE_DIR", "")
    monkeypatch.setenv("NUNET_ONBOARD_LOG_LEVEL", "")  # not set either: no warning
    places["config"].write_text(f'state_dir = "{tmp_path / "from-file"}"\n')
    assert status_json(capsys)["database_path"] == str(tmp_path / "from-file" / "state.json")


def test_a_relative_state_dir_flag_is_taken_from_the_current_directory(
    capsys: Capsys, machine: dict[str, Any], state: str, places: dict[str, Path]
) -> None:
    onboard = without_state_dir(smallest_offer(machine, state, "--yes"))
    assert main_cli(capsys, *onboard, "--state-dir", "rel/state")[0] == 0
    code, out, _ = main_cli(capsys, "status", "--json", "--state-dir", "rel/state")
    wanted = places["cwd"] / "rel" / "state" / "state.json"
    assert code == 0 and json.loads(out)["database_path"] == str(wanted)


# -- a config file named but not there -----------------------------------------------


def app_line(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The app (no command) on a terminal."""
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr(sys, "stdout", Terminal())
    return []


@pytest.mark.parametrize(
    "argv",
    [
        *READ_ONLY,
        ["offboard", "--yes"],
        ["resource-config", "-c", "1000"],
        ["wallet", "check", "0x0"],
        "app",
    ],
    ids=lambda argv: " ".join(argv) if isinstance(argv, list) else argv,
)
def test_a_named_config_file_that_is_missing_is_one_error_everywhere(
    capsys: Capsys,
    monkeypatch: pytest.MonkeyPatch,
    places: dict[str, Path],
    argv: list[str] | str,
) -> None:
    """A typo in NUNET_ONBOARD_CONFIG used to mean "the defaults", quietly."""
    places["config"].unlink()
    line = app_line(monkeypatch) if argv == "app" else list(argv)
    code, out, err = main_cli(capsys, *line)
    assert (code, out) == (2, "")
    assert err == (
        f"{ERROR}NUNET_ONBOARD_CONFIG names the config file {places['config']}, which does "
        "not exist; correct the path, or unset NUNET_ONBOARD_CONFIG to use the default place\n"
    )
    assert not places["default"].exists()


def test_status_with_a_missing_named_config_fails_even_with_a_state_dir(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, places: dict[str, Path], state: str
) -> None:
    """The state directory is known, but the settings meant for this node are not."""
    places["config"].unlink()
    monkeypatch.setenv("NUNET_ONBOARD_STATE_DIR", state)
    for argv in (["status", "--check"], ["status", "--state-dir", state]):
        code, out, err = main_cli(capsys, *argv)
        assert (code, out) == (2, "")
        assert err.startswith(f"{ERROR}NUNET_ONBOARD_CONFIG names the config file ")


def test_onboard_with_a_missing_named_config_writes_nothing(
    capsys: Capsys, machine: dict[str, Any], state: str, places: dict[str, Path]
) -> None:
    places["config"].unlink()
    code, _, err = main_cli(capsys, *without_state_dir(smallest_offer(machine, state, "--yes")))
    assert code == 2 and err.startswith(f"{ERROR}NUNET_ONBOARD_CONFIG names the config file ")
    assert not places["default"].exists() and list(places["cwd"].iterdir()) == []


# -- a bad setting: the read-only commands warn, the others refuse --------------------


BAD = [
    ("NUNET_ONBOARD_LOG_LEVEL", "bogus", "one of DEBUG, INFO, WARNING, ERROR", "INFO"),
    ("NUNET_ONBOARD_LOCK_TIMEOUT", "abc", "a number at least 0 and at most 600", "5"),
    ("NUNET_ONBOARD_LOCK_TIMEOUT", "-1", "a number at least 0 and at most 600", "5"),
    ("NUNET_ONBOARD_GPU_TIMEOUT_S", "abc", "a number more than 0 and at most 60", "5"),
]


@pytest.mark.parametrize("bad", BAD, ids=lambda bad: "=".join(bad[:2]))
@pytest.mark.parametrize("argv", READ_ONLY, ids=" ".join)
def test_a_read_only_command_warns_of_a_bad_setting(
    capsys: Capsys,
    monkeypatch: pytest.MonkeyPatch,
    places: dict[str, Path],
    argv: list[str],
    bad: tuple[str, str, str, str],
) -> None:
    """status and capacity used to say nothing while every write was refused."""
    variable, value, allowed, default = bad
    monkeypatch.setenv(variable, value)
    code, _, err = main_cli(capsys, *argv)
    warning = (
        f"nunet-onboard: warning: {variable} is {value!r} (allowed: {allowed}); {default} is "
        "used here, and the commands that write refuse to start until it is fixed\n"
    )
    assert err.startswith(warning)
    if argv[0] == "status":
        assert err == warning
        assert code == (1 if "--check" in argv else 0)


def test_status_check_fails_on_a_bad_setting_even_when_all_else_is_well(
    capsys: Capsys,
    monkeypatch: pytest.MonkeyPatch,
    machine: dict[str, Any],
    state: str,
    places: dict[str, Path],
) -> None:
    monkeypatch.setenv("NUNET_ONBOARD_STATE_DIR", state)
    assert main_cli(capsys, *smallest_offer(machine, state, "--yes"))[0] == 0
    assert main_cli(capsys, "status", "--check")[0] == 0
    places["config"].write_text('lock_timeout = "soon"\n')
    code, out, err = main_cli(capsys, "status", "--check", "--json")
    assert code == 1 and json.loads(out)["onboarded"] is True
    assert err.startswith(
        f"nunet-onboard: warning: lock_timeout in {places['config']} is 'soon' (allowed: a number "
    )
    assert err.count("\n") == 1


@pytest.mark.parametrize("bad", BAD, ids=lambda bad: "=".join(bad[:2]))
def test_a_writing_command_refuses_a_bad_setting(
    capsys: Capsys,
    monkeypatch: pytest.MonkeyPatch,
    machine: dict[str, Any],
    state: str,
    bad: tuple[str, str, str, str],
) -> None:
    variable, value, allowed, _ = bad
    monkeypatch.setenv(variable, value)
    code, out, err = main_cli(capsys, *smallest_offer(machine, state, "--yes"))
    assert (code, out) == (2, "")
    assert err == f"{ERROR}{variable} is {value!r} (allowed: {allowed})\n"
    assert not Path(state).exists()


@pytest.mark.parametrize("argv", [*READ_ONLY, ["offboard", "--yes"]], ids=" ".join)
def test_a_state_dir_that_is_no_text_is_an_error_everywhere(
    capsys: Capsys, places: dict[str, Path], argv: list[str]
) -> None:
    """No command can tell where the state is: status refuses too."""
    places["config"].write_text("state_dir = 5\n")
    code, out, err = main_cli(capsys, *argv)
    assert (code, out) == (2, "")
    assert err == (
        f"{ERROR}state_dir in {places['config']} is 5; give a directory as quoted text, "
        'e.g. state_dir = "/var/lib/nunet-onboard"\n'
    )


# -- a ~user that does not exist -----------------------------------------------------


@pytest.mark.parametrize("where", ["NUNET_ONBOARD_STATE_DIR", "--state-dir", "state_dir in"])
@pytest.mark.parametrize("command", [["status"], ["offboard", "--yes"]], ids=" ".join)
def test_an_unknown_user_in_the_state_dir_is_one_clear_error(
    capsys: Capsys,
    monkeypatch: pytest.MonkeyPatch,
    places: dict[str, Path],
    where: str,
    command: list[str],
) -> None:
    argv = list(command)
    if where == "--state-dir":
        argv += ["--state-dir", "~nosuchuser-x9/x"]
    elif where == "NUNET_ONBOARD_STATE_DIR":
        monkeypatch.setenv(where, "~nosuchuser-x9/x")
    else:
        places["config"].write_text('state_dir = "~nosuchuser-x9/x"\n')
        where = f"state_dir in {places['config']}"
    code, out, err = main_cli(capsys, *argv)
    assert (code, out) == (2, "")
    assert err == (
        f"{ERROR}{where} is '~nosuchuser-x9/x', and '~nosuchuser-x9' cannot be expanded: "
        "there is no user 'nosuchuser-x9'; give the directory as an absolute path\n"
    )


# -- a byte-order mark, a level in lower case -------------------------------------------


def test_a_config_file_with_a_byte_order_mark_and_a_lower_case_level_is_read(
    capsys: Capsys,
    machine: dict[str, Any],
    state: str,
    places: dict[str, Path],
    tmp_path: Path,
) -> None:
    """As a Windows editor saves it."""
    wanted = tmp_path / "from-file"
    text = f'state_dir = "{wanted}"\nlog_level = "debug"\n'
    places["config"].write_bytes(b"\xef\xbb\xbf" + text.encode())
    onboard_status_offboard(capsys, machine, state, wanted)  # "debug" was refused by onboard
