"""The command line as a drop-in for DMS's: its flags, its units, scripts that rely on it.

In-process (``app.cli.main``) for speed, on the fake host (tests/cli/conftest.py) and a
tmp state; the closed pipe and the top-level handler also once as a real subprocess.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.onboarding.controller import OnboardingController
from app.onboarding.rules import OfferLimits
from tests.cli.helpers import REPO
from tests.conftest import CARDANO_MAINNET, ETH_ADDRESS
from tests.fakes import FakeHost


@pytest.fixture
def limits(fake_host: FakeHost) -> OfferLimits:
    """The fake host's bounds, as the real probe reads them."""
    return OnboardingController(Path("/nonexistent")).limits()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def state_of(state: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((state / "state.json").read_text())  # type: ignore[no-any-return]


def test_dms_manual_command_line_onboards_a_mainnet_address_on_nunet_test(
    tmp_path: Path, limits: OfferLimits, capsys: pytest.CaptureFixture[str]
) -> None:
    """DMS's manual form (`onboard -m MB -c MHZ -n nunet-test -a addr1q...`), with DMS's extra flags."""
    state = str(tmp_path / "s")
    code, _, err = run(
        capsys,
        "onboard", "-m", str(limits.memory_min), "-c", str(limits.cpu_min),
        "-n", "nunet-test", "-a", CARDANO_MAINNET, "-x", "0.5", "-u", "-l", "-p", "ml",
        "--yes", "--state-dir", state,
    )  # fmt: skip
    assert code == 0, err
    assert "-p/--plugin is accepted for DMS compatibility and ignored" in err
    offer = state_of(tmp_path / "s")["offer"]
    assert offer["channel"] == "nunet-test" and offer["payment_addr"] == CARDANO_MAINNET
    assert offer["is_available"] is False and offer["server_mode"] is True
    assert offer["memory"] == limits.memory_min and offer["cpu"] == limits.cpu_min
    metadata_file = json.loads((tmp_path / "s" / "metadataV2.json").read_bytes())
    assert metadata_file["public_key"] == CARDANO_MAINNET


def test_long_dms_spellings_and_pflag_booleans(
    tmp_path: Path, limits: OfferLimits, capsys: pytest.CaptureFixture[str]
) -> None:
    state = str(tmp_path / "s")
    code, _, err = run(
        capsys,
        "onboard", "--memory", f"{limits.memory_min}", "--cpu", f"{limits.cpu_min}",
        "--nunet-channel", "nunet-edge", "--address", ETH_ADDRESS, "--ntx-price", "-0",
        "--local-enable=false", "--cardano=false", "--yes", "--state-dir", state,
    )  # fmt: skip
    assert code == 0, err
    offer = state_of(tmp_path / "s")["offer"]
    assert offer["server_mode"] is False and offer["cardano"] is False
    assert json.dumps(offer["ntx_price"]) == "0.0"  # -0 is stored as 0, never -0.0
    assert offer["is_available"] is True


def test_sizes_with_units(
    tmp_path: Path, limits: OfferLimits, capsys: pytest.CaptureFixture[str]
) -> None:
    gib = limits.memory_min // 1024 + 1  # the fake host's 1234-11110 MB: 2 GiB
    assert gib * 1024 <= limits.memory_max and limits.disk_free >= 1
    code, _, err = run(
        capsys,
        "onboard", "-m", f"{gib}GiB", "-c", str(limits.cpu_min), "-n", "nunet-test",
        "-a", ETH_ADDRESS, "--disk", "1GiB", "--yes", "--state-dir", str(tmp_path / "s"),
    )  # fmt: skip
    assert code == 0, err
    offer = state_of(tmp_path / "s")["offer"]
    assert offer["memory"] == gib * 1024 and offer["disk"] == 1


def test_decimal_megabytes_are_stored_as_dms_binary_megabytes(
    tmp_path: Path, limits: OfferLimits, capsys: pytest.CaptureFixture[str]
) -> None:
    """-m 8000MB is 8e9 bytes: 7629 of DMS's MB (MiB), never 8000; --disk 100GB is 93 GB."""
    code, _, err = run(
        capsys,
        "onboard", "-m", "8000MB", "-c", str(limits.cpu_min), "-n", "nunet-test",
        "-a", ETH_ADDRESS, "--disk", "100GB", "--yes", "--state-dir", str(tmp_path / "s"),
    )  # fmt: skip
    assert code == 0, err
    offer = state_of(tmp_path / "s")["offer"]
    assert (offer["memory"], offer["disk"]) == (7629, 93)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("\uff14\uff10\uff10\uff10", "'\uff14\uff10\uff10\uff10'"),
        ("४०००", "'४०००'"),
        ("9" * 20000, "…"),
    ],
)
def test_numbers_are_ascii_and_echoes_are_cut(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, shown: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(
            ["onboard", "-c", value, "-m", "1", "-n", "x", "-a", "y", "--state-dir", str(tmp_path)]
        )
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and shown in err and len(err) < 400
    assert err.count("\n") == 1


def test_resource_config_changes_any_part_and_keeps_the_rest(
    tmp_path: Path, limits: OfferLimits, capsys: pytest.CaptureFixture[str]
) -> None:
    state = str(tmp_path / "s")
    base = ["--state-dir", state]
    onboard = ["onboard", "-y", "-c", str(limits.cpu_min), "-m", str(limits.memory_min)]
    code, _, err = run(capsys, *onboard, "-n", "nunet-test", "-a", ETH_ADDRESS, "-x", "0.25", *base)
    assert code == 0, err
    code, _, err = run(capsys, "resource-config", "--unavailable", *base)
    assert code == 0, err
    offer = state_of(tmp_path / "s")["offer"]
    assert offer["is_available"] is False
    assert offer["ntx_price"] == 0.25 and offer["cpu"] == limits.cpu_min  # kept
    code, _, err = run(
        capsys, "resource-config", "--available", "-n", "nunet-team", "-a", CARDANO_MAINNET,
        "-x", "1", "-c", str(limits.cpu_max), *base,
    )  # fmt: skip
    assert code == 0, err
    offer = state_of(tmp_path / "s")["offer"]
    assert offer["is_available"] is True and offer["channel"] == "nunet-team"
    assert offer["payment_addr"] == CARDANO_MAINNET and offer["ntx_price"] == 1.0
    assert offer["cpu"] == limits.cpu_max and offer["memory"] == limits.memory_min
    help_text = subprocess.run(
        [sys.executable, "-m", "app", "resource-config", "--help"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "default 0" not in help_text and "kept when not given" in help_text


def test_status_check_exit_codes(
    tmp_path: Path, limits: OfferLimits, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "s"
    base = ["--state-dir", str(state)]
    assert run(capsys, "status", "--check", *base)[0] == 1  # not onboarded
    assert run(capsys, "status", *base)[0] == 0
    onboard = ["onboard", "-y", "-c", str(limits.cpu_min), "-m", str(limits.memory_min)]
    assert run(capsys, *onboard, "-n", "nunet-test", "-a", ETH_ADDRESS, *base)[0] == 0
    code, out, _ = run(capsys, "status", "--check", "--json", *base)
    assert code == 0 and json.loads(out)["metadata_path"] == str(state / "metadataV2.json")
    (state / "metadataV2.json").write_text("{}")  # what an interrupted write leaves: a note
    assert run(capsys, "status", "--check", *base)[0] == 0
    (state / "metadataV2.json").unlink()  # a problem: onboarded, and DMS's file is gone
    assert run(capsys, "status", "--check", *base)[0] == 1
    (state / "state.json").write_text("[")  # unreadable
    assert run(capsys, "status", "--check", *base)[0] == 1


def test_capacity_json_ranges_and_available_rows(
    tmp_path: Path, limits: OfferLimits, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--state-dir", str(tmp_path / "s")]
    code, out, _ = run(capsys, "capacity", "--json", *base)
    allowed = json.loads(out)["allowed"]
    assert allowed["cpu"] == {"min": limits.cpu_min, "max": limits.cpu_max, "unit": "MHz"}
    assert allowed["memory"]["min"] == limits.memory_min
    assert allowed["cores"] == {"min": 1, "max": limits.cores_total}
    onboard = ["onboard", "-y", "-c", str(limits.cpu_min), "-m", str(limits.memory_min)]
    assert run(capsys, *onboard, "-n", "nunet-test", "-a", ETH_ADDRESS, *base)[0] == 0
    code, out, _ = run(capsys, "capacity", "--available", *base)
    assert code == 0
    assert f"Memory offered  {limits.memory_min} MB" in out and "NTX price" in out
    for raw in ("tot_cpu_hz", "cpu_no", "ram "):
        assert raw not in out


def test_errors_name_the_flag_the_user_typed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--state-dir", str(tmp_path / "s"), "-y", "-c", "1", "-m", "1", "-a", "0xabc"]
    code, _, err = run(capsys, "onboard", "--channel", "x", *base)
    assert code == 1 and "-n/--channel: 'x' is not known" in err
    assert "-a/--address: not a valid address: wrong length" in err
    assert "payment_addr" not in err and "ntx_price" not in err and "Input should" not in err
    assert err.count("\n") == 1


COMMANDS = [
    ["--help"],
    ["capacity"],
    ["capacity", "--json"],
    ["status"],
    ["status", "--json"],
    ["onboard", "--yes", "-c", "{cpu}", "-m", "{mem}", "-n", "nunet-test", "-a", ETH_ADDRESS],
    ["info"],
    ["capacity", "--available"],
    ["capacity", "--onboarded", "--json"],
    ["resource-config", "-x", "2"],
    ["wallet", "check", ETH_ADDRESS],
    ["wallet", "list"],
    ["offboard", "--yes"],
]


def test_closed_pipe_ends_quietly_with_the_commands_own_code(
    tmp_path: Path, limits: OfferLimits, monkeypatch: pytest.MonkeyPatch
) -> None:
    """stdout is a pipe whose reader has gone, as after ``| head -1``: every command."""
    import io

    state = str(tmp_path / "s")
    read_fd, write_fd = os.pipe()
    os.close(read_fd)
    broken = os.fdopen(write_fd, "w", buffering=1)
    stderr = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    try:
        for argv in COMMANDS:
            argv = [a.format(cpu=limits.cpu_min, mem=limits.memory_min) for a in argv]
            monkeypatch.setattr(sys, "stdout", broken)
            try:
                code = main([*argv, "--state-dir", state] if argv != ["--help"] else argv)
            except SystemExit as exit_:  # --help
                code = int(exit_.code or 0)
            assert code == 0, (argv, stderr.getvalue())
            sys.stdout.flush()
    finally:
        monkeypatch.undo()
        with contextlib.suppress(OSError):
            broken.close()
    err = stderr.getvalue()
    assert "Traceback" not in err and "Broken pipe" not in err and "BrokenPipe" not in err


def test_closed_pipe_in_a_real_process(tmp_path: Path) -> None:
    read_fd, write_fd = os.pipe()
    os.close(read_fd)
    result = subprocess.run(
        [sys.executable, "-m", "app", "capacity", "--state-dir", str(tmp_path)],
        cwd=REPO, stdout=write_fd, stderr=subprocess.PIPE, text=True, timeout=60,
    )  # fmt: skip
    os.close(write_fd)
    assert result.returncode == 0 and result.stderr == ""


def test_an_unexpected_error_is_one_line_and_logged(tmp_path: Path) -> None:
    """A bug (here: a state dir whose log directory is fine but whose probe crashes) -> exit 1."""
    state = tmp_path / "s"
    code = (
        "import sys, app.cli.status_cmds as s\n"
        "def boom(args): raise RuntimeError('kaboom')\n"
        "s.cmd_status = boom\n"
        "from app.cli import main\n"
        f"sys.exit(main(['status', '--state-dir', {str(state)!r}]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert "unexpected error (RuntimeError: 'kaboom')" in result.stderr
    log = (state / "logs" / "nunet-onboard.log").read_text()
    assert "Traceback" in log and "kaboom" in log


WORDS = (
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
)


@pytest.mark.parametrize(
    "argv",
    [
        ["wallet", "restore", "--chain", "ethereum", "--account", WORDS],
        ["wallet", "restore", "--chain", WORDS],
        ["wallet", "new", "--chain", "cardano", "--words", WORDS],
        ["wallet", "restore", "--chain", "cardano", WORDS],
        ["wallet", "restore", "--chain", "cardano", "--passphrase-file", WORDS],
    ],
)
def test_wallet_usage_errors_never_echo_a_value(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
) -> None:
    """A mnemonic typed into the wrong option is never printed back (issue 7.10)."""
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    try:
        code = main([*argv, "--state-dir", str(tmp_path)])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1
    assert "abandon" not in out + err
