"""Where settings come from: --state-dir > environment > TOML file > defaults."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from app import paths
from app.config import ConfigError, load_settings


def write_config(text: str) -> Path:
    path = Path(os.environ["NUNET_ONBOARD_CONFIG"])
    path.write_text(text)
    return path


def test_toml_file_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("NUNET_ONBOARD_STATE_DIR")
    write_config(
        f'state_dir = "{tmp_path / "from-toml"}"\nlog_level = "DEBUG"\ngpu_timeout_s = 2.5\n'
    )
    settings = load_settings()
    assert settings.state_dir == str(tmp_path / "from-toml")
    assert settings.log_level == "DEBUG" and settings.gpu_timeout_s == 2.5
    assert paths.resolve_state_dir() == str(tmp_path / "from-toml")  # the fast path agrees


def test_environment_beats_file_and_cli_beats_both(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    write_config(f'state_dir = "{tmp_path / "toml"}"\n')
    monkeypatch.setenv("NUNET_ONBOARD_STATE_DIR", str(tmp_path / "env"))
    assert load_settings().state_dir == str(tmp_path / "env")
    assert paths.resolve_state_dir() == str(tmp_path / "env")
    assert load_settings(tmp_path / "cli").state_dir == str(tmp_path / "cli")
    assert paths.resolve_state_dir(tmp_path / "cli") == str(tmp_path / "cli")


def test_default_is_the_user_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NUNET_ONBOARD_STATE_DIR")
    assert load_settings().state_dir == paths.default_state_dir()
    assert paths.resolve_state_dir() == paths.default_state_dir()
    assert os.path.basename(paths.default_state_dir()) == "nunet-onboard"


def test_bad_value_names_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NUNET_ONBOARD_LOG_LEVEL", "LOUD")
    with pytest.raises(
        ConfigError, match=r"^NUNET_ONBOARD_LOG_LEVEL is 'LOUD' \(allowed: one of DEBUG, INFO,"
    ):
        load_settings()


def test_broken_toml_is_one_clear_error() -> None:
    path = write_config("state_dir = [unclosed\n")
    with pytest.raises(ConfigError, match=str(path)):
        load_settings()
    with pytest.raises(ValueError, match="cannot be read"):
        paths.read_config_file()


@pytest.mark.parametrize(
    ("env", "toml", "cli"),
    [
        ({}, None, None),
        ({}, None, "cli"),
        ({"NUNET_ONBOARD_STATE_DIR": "env"}, None, None),
        ({"NUNET_ONBOARD_STATE_DIR": "~/env"}, None, None),
        ({}, 'state_dir = "toml"\n', None),
        ({}, 'state_dir = "toml"\n', "cli"),
        ({"NUNET_ONBOARD_STATE_DIR": "env"}, 'state_dir = "toml"\n', None),
        ({}, "", None),
        ({}, 'state_dir = ""\n', None),
        ({"NUNET_ONBOARD_STATE_DIR": ""}, None, None),
        ({"NUNET_ONBOARD_LOG_LEVEL": "DEBUG"}, None, None),
        ({"nunet_onboard_gpu_timeout_s": "2"}, None, None),
        ({}, 'state_dir = "toml"\nlog_backups = 5\n', None),
    ],
)
def test_quick_path_agrees_with_the_validated_model(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    env: dict[str, str],
    toml: str | None,
    cli: str | None,
) -> None:
    """Whatever is configured, load_settings gives what pydantic-settings gives (which
    is handed the one state directory that app.paths resolves for every command)."""
    from app.settings_model import load_validated

    monkeypatch.delenv("NUNET_ONBOARD_STATE_DIR")
    monkeypatch.chdir(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if toml is not None:
        write_config(toml)
    cli_dir = tmp_path / cli if cli else None
    directory = paths.resolve_state_dir(cli_dir)
    assert load_settings(cli_dir) == load_validated(directory, paths.read_config_file())[0]


def test_nothing_configured_does_not_load_pydantic(tmp_path: Path) -> None:
    """The common case (at most a state directory) spares the app pydantic-settings' import."""
    import subprocess
    import sys

    code = (
        "import sys\nfrom app.config import load_settings\n"
        "s = load_settings()\n"
        "print(s.state_dir, s.log_level, sorted(m for m in sys.modules if 'pydantic' in m))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == [os.environ["NUNET_ONBOARD_STATE_DIR"], "INFO", "[]"]


@pytest.mark.parametrize(
    ("env", "toml", "extra"),
    [
        ({"NUNET_ONBOARD_STATE_DIR": "~/nunet"}, None, None),
        ({}, 'state_dir = "~/nunet"\n', None),
        ({"NUNET_ONBOARD_STATE_DIR": "~/nunet"}, None, "DEBUG"),  # the validated model
        ({}, 'state_dir = "~/nunet"\nlog_level = "DEBUG"\n', None),
    ],
)
def test_a_home_relative_state_dir_is_the_same_for_every_command(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    env: dict[str, str],
    toml: str | None,
    extra: str | None,
) -> None:
    """``~`` is the home directory for the commands that write (settings) and for
    ``status`` (app.paths): before, onboard wrote under ./~/nunet and status looked in
    ~/nunet, so a node onboarded that way read as not onboarded."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NUNET_ONBOARD_STATE_DIR")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if extra:
        monkeypatch.setenv("NUNET_ONBOARD_LOG_LEVEL", extra)
    if toml is not None:
        write_config(toml)
    wanted = tmp_path / "home" / "nunet"
    assert load_settings().state_dir == str(wanted)
    assert paths.resolve_state_dir(None) == str(wanted)


def test_onboard_then_status_with_a_home_relative_state_dir(
    tmp_path: Path, fake_host: object
) -> None:
    """The installed command line, as a provider's unit file would run it."""
    import subprocess
    import sys

    env = {**os.environ, "HOME": str(tmp_path / "home"), "NUNET_ONBOARD_STATE_DIR": "~/nunet"}
    run = [sys.executable, "-m", "app"]
    address = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    kw = {"cwd": tmp_path, "env": env, "capture_output": True, "text": True, "timeout": 60}
    capacity = subprocess.run([*run, "capacity", "--json"], **kw)  # type: ignore[call-overload]
    allowed = json.loads(capacity.stdout)["allowed"]
    cpu, memory = str(allowed["cpu"]["min"] + 1), str(allowed["memory"]["min"] + 1)
    onboard = [*run, "onboard", "-c", cpu, "-m", memory, "-n", "nunet-test", "-a", address]
    done = subprocess.run([*onboard, "--yes"], **kw)  # type: ignore[call-overload]
    assert done.returncode == 0, done.stderr
    status = subprocess.run([*run, "status", "--check"], **kw)  # type: ignore[call-overload]
    assert status.returncode == 0, status.stdout + status.stderr
    assert (tmp_path / "home" / "nunet" / "state.json").is_file()
    assert not (tmp_path / "~").exists()


@pytest.mark.parametrize("home", ["/home/provider", "/root/", "/", "relative/home", None])
@pytest.mark.parametrize("xdg", [None, "", "relative/xdg", "/srv/xdg"])
def test_the_default_directories_are_platformdirs_answers(
    monkeypatch: pytest.MonkeyPatch, home: str | None, xdg: str | None
) -> None:
    """app.paths finds ~/.config and ~/.local/share without importing platformdirs in
    the plain case; whatever HOME and the XDG variables hold, the answer is the library's."""
    import platformdirs

    monkeypatch.delenv(paths.CONFIG_ENV, raising=False)
    for name, value in (("HOME", home), ("XDG_DATA_HOME", xdg), ("XDG_CONFIG_HOME", xdg)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    try:
        data = platformdirs.user_data_path(paths.APP_NAME)
        config = platformdirs.user_config_path(paths.APP_NAME) / "config.toml"
    except RuntimeError:  # platformdirs cannot place a relative HOME without a passwd entry
        pytest.skip("platformdirs cannot resolve this HOME here")
    assert paths.default_state_dir() == str(data)
    assert paths.config_file() == str(config)


def test_status_in_the_default_directory_does_not_import_platformdirs(tmp_path: Path) -> None:
    """Plain ``nunet-onboard status`` (nothing configured) resolves ~/.local/share itself."""
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("NUNET_ONBOARD_", "XDG_"))}
    env["HOME"] = str(tmp_path)
    code = (
        "import json, sys\nfrom app.cli import main\nrc = main(['status', '--json'])\n"
        "print(json.dumps([rc, 'platformdirs' in sys.modules]), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert json.loads(result.stderr.strip().splitlines()[-1]) == [0, False]
    shown = json.loads(result.stdout)["database_path"]
    assert shown == str(tmp_path / ".local" / "share" / "nunet-onboard" / "state.json")
