"""onboard and resource-config in this process: the flags' words, the question, the warnings.

`app.cli.main(argv)` on a real state directory and this machine's real hardware (GPUs
from a fake nvidia-smi on PATH where a test needs some); a terminal on stdin
(tests.cli.helpers.Terminal) stands in for the person who answers. The argument types
of `app.cli.args` are also called directly, as argparse calls them.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import Any

import pytest

from app.cli import args as types
from app.cli.exits import UsageError
from app.cli.offer_cmds import capacity_from_args
from tests.cli.helpers import Terminal, main_cli, main_json, smallest_offer
from tests.conftest import ETH_ADDRESS
from tests.fakes import FakeHost
from tests.hardware.boundaries import make_fake_pynvml

Capsys = pytest.CaptureFixture[str]
LOWER_ETH = ETH_ADDRESS.lower()  # valid, but without a checksum: a warning, not a refusal
NO_CHECKSUM = (
    "this Ethereum address has no checksum (all one case), so a typo would not be caught: "
    "check it character by character"
)


@pytest.fixture
def two_gpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two RTX 3090s from a fake nvidia-smi, the only tool on PATH; no NVML library."""
    monkeypatch.setitem(
        sys.modules, "pynvml", make_fake_pynvml(init_error="NVMLError_LibraryNotFound")
    )
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    line = "{i}, NVIDIA GeForce RTX 3090, 24576, 23000, 550.54.14, GPU-{i}, 3, 41\n"
    tool = bin_dir / "nvidia-smi"
    tool.write_text(f"#!/bin/sh\n/bin/cat <<'EOF'\n{line.format(i=0)}{line.format(i=1)}EOF\n")
    tool.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))


# -- the question before onboarding ---------------------------------------------------


def test_onboard_at_a_terminal_shows_the_offer_and_a_no_writes_nothing(
    capsys: Capsys,
    monkeypatch: pytest.MonkeyPatch,
    state: str,
    machine: dict[str, Any],
    two_gpus: None,
) -> None:
    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    argv = smallest_offer(machine, state, "--gpus", "0,1", "--disk", "3", "-u", "-l=false")
    code, out, err = main_cli(capsys, *argv)
    assert code == 1
    assert err.endswith("nunet-onboard: not onboarded: cancelled\n")
    assert out == (
        "This will be onboarded:\n"
        f"  CPU                {machine['cpu_min']} MHz\n"
        f"  Memory             {machine['mem_min']} MB ({machine['mem_min'] / 1024:.1f} GiB)\n"
        "  Disk               3 GB\n"
        "  GPUs               GPU 0, GPU 1\n"
        "  Cores              as many as needed\n"
        "  Channel            nunet-team\n"
        "  NTX price          0.25 NTX/min\n"
        f"  Payment address    {ETH_ADDRESS}\n"
        "  Cardano            no\n"
        "  Available to jobs  no\n"
        "  Server mode        no\n"
        "Onboard this machine with this offer? [y/N] "
    )
    assert not (Path(state) / "state.json").exists()


def test_onboard_at_a_terminal_defaults_and_a_yes(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, machine: dict[str, Any]
) -> None:
    monkeypatch.setattr(sys, "stdin", Terminal("yes\n"))
    code, out, _ = main_cli(capsys, *smallest_offer(machine, state))
    assert code == 0
    shown, _, after = out.partition("Onboard this machine with this offer? [y/N] ")
    assert "  Disk               0 GB\n  GPUs               none\n" in shown
    assert "  Available to jobs  yes\n  Server mode        yes\n" in shown
    assert after.startswith("Onboarded\n  Name  ")
    assert main_json(capsys, "status", "--state-dir", state)["onboarded"] is True


def test_onboard_at_a_terminal_with_no_answer_is_cancelled(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, machine: dict[str, Any]
) -> None:
    monkeypatch.setattr(sys, "stdin", Terminal(""))  # the input ends: no answer is no
    code, _, err = main_cli(capsys, *smallest_offer(machine, state))
    assert code == 1 and "not onboarded: cancelled" in err
    assert not (Path(state) / "state.json").exists()


@pytest.mark.parametrize("extra", [["--yes"], ["--json"]])
def test_onboard_at_a_terminal_does_not_ask_with_yes_or_json(
    capsys: Capsys,
    monkeypatch: pytest.MonkeyPatch,
    state: str,
    machine: dict[str, Any],
    extra: list[str],
) -> None:
    monkeypatch.setattr(sys, "stdin", Terminal(""))  # asking would read "" and cancel
    code, out, _ = main_cli(capsys, *smallest_offer(machine, state, *extra))
    assert code == 0 and "[y/N]" not in out and "This will be onboarded" not in out
    assert (Path(state) / "state.json").exists()


def test_onboard_without_a_terminal_does_not_ask(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, machine: dict[str, Any]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("n\n"))
    code, out, _ = main_cli(capsys, *smallest_offer(machine, state))
    assert code == 0 and out.startswith("Onboarded\n")


def test_onboard_refuses_when_another_onboarded_while_asking(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, machine: dict[str, Any]
) -> None:
    from app.cli import main

    def another_user_onboards() -> None:
        assert main([*smallest_offer(machine, state, "--yes"), "-x", "0.5"]) == 0

    monkeypatch.setattr(sys, "stdin", Terminal("y\n", another_user_onboards))
    code, _, err = main_cli(capsys, *smallest_offer(machine, state))
    assert code == 1 and "nunet-onboard: error: " in err
    assert main_json(capsys, "capacity", "--available", "--state-dir", state)["ntx_price"] == 0.5


# -- what is said before anything is written --------------------------------------------


def test_the_plugin_flag_is_accepted_with_a_note(
    capsys: Capsys, state: str, machine: dict[str, Any]
) -> None:
    code, _, err = main_cli(capsys, *smallest_offer(machine, state, "--yes", "-p", "gpu"))
    assert code == 0
    assert (
        "nunet-onboard: note: -p/--plugin is accepted for DMS compatibility and ignored "
        "(plugins are not part of onboarding)\n"
    ) in err
    code, _, err = main_cli(capsys, "resource-config", "-p", "x", "-x", "1", "--state-dir", state)
    assert code == 0 and "note: -p/--plugin is accepted" in err


def test_a_warning_names_the_flag_typed(
    capsys: Capsys, state: str, machine: dict[str, Any]
) -> None:
    argv = smallest_offer(machine, state, "--yes")
    argv[argv.index("-a") : argv.index("-a") + 2] = ["--address", LOWER_ETH]
    code, _, err = main_cli(capsys, *argv)
    assert code == 0
    assert f"nunet-onboard: warning: -a/--address: {NO_CHECKSUM}\n" in err
    # resource-config warns about the offer as it now is, even for a field not given
    code, out, err = main_cli(capsys, "resource-config", "-x", "0.5", "--state-dir", state)
    assert code == 0 and f"nunet-onboard: warning: -a/--address: {NO_CHECKSUM}\n" in err
    assert out.startswith("Resource configuration changed\n  Name  ")
    assert "  NTX price            0.5 NTX/min\n" in out


def test_already_onboarded_is_refused_before_any_warning(
    capsys: Capsys, state: str, machine: dict[str, Any]
) -> None:
    argv = smallest_offer(machine, state, "--yes")
    argv[argv.index("-a") + 1] = LOWER_ETH
    assert main_cli(capsys, *argv)[0] == 0
    code, out, err = main_cli(capsys, *argv)
    assert (code, out) == (1, "")
    assert err == (
        "nunet-onboard: error: this machine is already onboarded; change the offer with "
        "'nunet-onboard resource-config', or offboard first\n"
    )


def test_every_rule_broken_is_named_by_its_flag(
    capsys: Capsys, state: str, machine: dict[str, Any]
) -> None:
    argv = smallest_offer(machine, state, "--yes")
    argv[argv.index("-c") : argv.index("-c") + 2] = [f"--cpu={machine['cpu'] * 2}"]
    argv[argv.index("-m") : argv.index("-m") + 2] = ["--memory", str(machine["memory"] * 2)]
    argv[argv.index("-n")] = "--channel"
    argv[argv.index("--channel") + 1] = "nunet-nowhere"
    code, out, err = main_cli(capsys, *argv)
    assert (code, out) == (1, "")
    assert err.startswith("nunet-onboard: error: ") and err.count("\n") == 1
    said = err.removeprefix("nunet-onboard: error: ").split("; ")
    assert [p.split(": ")[0] for p in said if p.startswith("-")] == [
        "-n/--channel",
        "-c/--cpu",
        "-m/--memory",
    ], said
    assert not (Path(state) / "state.json").exists()


def test_resource_config_keeps_what_is_not_given(
    capsys: Capsys, state: str, machine: dict[str, Any]
) -> None:
    assert main_cli(capsys, *smallest_offer(machine, state, "--yes"))[0] == 0
    changed = main_json(capsys, "resource-config", "-u", "--state-dir", state)
    assert changed["reserved"] == {"cpu": machine["cpu_min"], "memory": machine["mem_min"]}
    assert changed["ntx_price"] == 0.25 and changed["network"] == "nunet-team"
    assert main_json(capsys, "status", "--state-dir", state)["is_available"] is False
    main_json(capsys, "resource-config", "--available", "--state-dir", state)
    assert main_json(capsys, "status", "--state-dir", state)["is_available"] is True


# -- the argument types, as argparse calls them -------------------------------------------


def test_capacity_from_args_names_a_missing_value_by_its_flag() -> None:
    given = argparse.Namespace(cpu=None, memory=100, channel="nunet-team", payment_addr="x")
    with pytest.raises(UsageError) as caught:
        capacity_from_args(given)
    assert str(caught.value) == "-c/--cpu: missing; allowed: a whole number of MHz, 0 or more"
    offer = capacity_from_args(
        argparse.Namespace(cpu=5, memory=6, channel="c", payment_addr="a", disk=None, gpus=(1,))
    )
    assert (offer.cpu, offer.memory, offer.disk, offer.gpus) == (5, 6, 0, (1,))


@pytest.mark.parametrize(
    ("field", "argv", "said"),
    [
        ("cpu", ["--cpu=5"], "-c/--cpu"),
        ("cpu", ["-c", "5"], "-c/--cpu"),
        ("cpu", ["-c=5"], "-c/--cpu"),
        ("cpu", [], "-c/--cpu"),
        ("channel", ["-x", "1", "--channel", "a"], "-n/--channel"),
        ("channel", ["--nunet-channel=a"], "-n/--nunet-channel"),
        ("channel", ["--channel=a"], "-n/--channel"),
        ("channel", ["--channel=a=b"], "-n/--channel"),
        ("channel", ["-n", "a"], "-n/--nunet-channel"),
        ("is_available", ["--available"], "-u/--available"),
        ("is_available", ["-u"], "-u/--unavailable"),
        ("disk", ["--disk", "5"], "--disk"),
        ("disk", [], "--disk"),
        ("payment_addr", ["--cpu", "1"], "-a/--address"),
        ("ntx_price", [], "-x/--ntx-price"),
        ("server_mode", ["-l=false"], "-l/--local-enable"),
        ("some_field", ["--some-field"], "some field"),
    ],
)
def test_flag_for_names_the_flag_as_typed(field: str, argv: list[str], said: str) -> None:
    assert types.flag_for(field, argv) == said


def test_flag_for_reads_the_command_line_when_not_given_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "argv", ["nunet-onboard", "--channel=x"])
    assert types.flag_for("channel") == "-n/--channel"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("=TRUE", True),
        (" 1 ", True),
        ("t", True),
        ("yes", True),
        ("false", False),
        ("=false", False),
        ("0", False),
        ("F", False),
        ("no", False),
    ],
)
def test_flag_bool_reads_pflag_words(text: str, value: bool) -> None:
    assert types.flag_bool(text) is value


@pytest.mark.parametrize("text", ["maybe", "Xtrue", "==x", ""])
def test_flag_bool_refuses_anything_else(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError) as caught:
        types.flag_bool(text)
    assert str(caught.value) == f"{text!r} is not true or false"


@pytest.mark.parametrize(
    ("text", "value"), [("", ()), ("  ", ()), ("0", (0,)), ("0,1", (0, 1)), ("3,0", (3, 0))]
)
def test_gpu_list(text: str, value: tuple[int, ...]) -> None:
    assert types.gpu_list(text) == value


def test_the_types_are_named_for_argparse_and_say_what_is_wrong() -> None:
    assert [t.__name__ for t in (types.whole, types.price, types.memory_mb, types.disk_gb)] == [
        "whole number",
        "number",
        "size",
        "size",
    ]
    assert (types.whole("7"), types.price("0.5"), types.memory_mb("1GiB"), types.disk_gb("2")) == (
        7,
        0.5,
        1024,
        2,
    )
    with pytest.raises(argparse.ArgumentTypeError) as caught:
        types.memory_mb("lots")
    assert "'lots'" in str(caught.value)


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("-C", "maybe", "argument -C/--cardano: 'maybe' is not true or false"),
        ("-l", "2", "argument -l/--local-enable: '2' is not true or false"),
        ("-m", "lots", "argument -m/--memory: 'lots' "),
        ("--disk", "lots", "argument --disk: 'lots' "),
        ("--cores", "x", "argument --cores: 'x' is not a whole number"),
    ],
)
def test_a_bad_value_is_bad_usage_naming_the_flag(
    capsys: Capsys, state: str, machine: dict[str, Any], flag: str, value: str, message: str
) -> None:
    code, out, err = main_cli(capsys, *smallest_offer(machine, state, "--yes", f"{flag}={value}"))
    assert (code, out) == (2, "")
    assert err.startswith(f"nunet-onboard onboard: error: {message}")


def test_typed_makes_an_argparse_type_named_for_its_messages() -> None:
    from app.onboarding.units import parse_whole

    convert = types._typed(parse_whole, "count")
    assert convert.__name__ == "count" and convert("12") == 12
    with pytest.raises(argparse.ArgumentTypeError) as caught:
        convert("twelve")
    assert str(caught.value) == "'twelve' is not a whole number of 0 or more"


def test_onboard_refuses_when_anything_was_written_while_asking(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, machine: dict[str, Any]
) -> None:
    """The offer was confirmed against the state as it was: a wallet made meanwhile
    (another terminal) changed it, so nothing is onboarded and the user is told why."""
    from app.cli import main

    def another_terminal_makes_a_wallet() -> None:
        assert (
            main(["wallet", "new", "--chain", "ethereum", "--words", "12", "--state-dir", state])
            == 0
        )

    monkeypatch.setattr(sys, "stdin", Terminal("y\n", another_terminal_makes_a_wallet))
    code, _, err = main_cli(capsys, *smallest_offer(machine, state))
    assert code == 1
    assert "nunet-onboard: error: the onboarding state changed since this was prepared (" in err
    assert main_json(capsys, "status", "--state-dir", state)["onboarded"] is False


def test_info_names_the_gpus_of_the_machine(
    capsys: Capsys, state: str, machine: dict[str, Any], two_gpus: None
) -> None:
    code, _, _ = main_cli(capsys, *smallest_offer(machine, state, "--yes", "--gpus", "0,1"))
    assert code == 0
    code, out, _ = main_cli(capsys, "info", "--state-dir", state)
    assert code == 0
    assert "  GPUs of the machine  NVIDIA GeForce RTX 3090, NVIDIA GeForce RTX 3090\n" in out


def test_onboard_without_its_required_flags_names_each(capsys: Capsys, state: str) -> None:
    code, out, err = main_cli(capsys, "onboard", "--yes", "--state-dir", state)
    assert (code, out) == (2, "")
    assert err == (
        "nunet-onboard onboard: error: the following arguments are required: -c/--cpu, "
        "-m/--memory, -n/--nunet-channel/--channel, -a/--address "
        "(see 'nunet-onboard onboard --help')\n"
    )


def test_only_resource_config_keeps_what_is_not_given(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "10000")
    onboard_help = main_cli(capsys, "onboard", "--help")[1]
    change_help = main_cli(capsys, "resource-config", "--help")[1]
    assert "kept when not given" not in onboard_help
    assert change_help.count("; kept when not given") == 12  # every flag of the offer


SMALL_HOST = FakeHost(
    cores=2, memory_kb=8 * 1024 * 1024 + 123, cpu_quota=None, cpuset=None, memory_max=None
)
"""Too small for a Cardano node: 5192 MHz and 8192 MB, no container limits."""


@pytest.mark.parametrize("fake_host", [SMALL_HOST], indirect=True, ids=["small-host"])
def test_a_bare_cardano_flag_means_true(
    capsys: Capsys, state: str, fake_host: FakeHost, machine: dict[str, Any]
) -> None:
    assert machine["cpu_max"] < 6000  # so -C is refused here
    code, out, err = main_cli(capsys, *smallest_offer(machine, state, "--yes", "-C"))
    assert (code, out) == (1, "")
    assert err.startswith("nunet-onboard: error: -m/--memory: a Cardano node needs at least ")


def stored_offer(state: str) -> dict[str, Any]:
    import json

    offer: dict[str, Any] = json.loads((Path(state) / "state.json").read_text())["offer"]
    return offer


def test_a_bare_local_enable_flag_means_true(
    capsys: Capsys, state: str, machine: dict[str, Any]
) -> None:
    assert main_cli(capsys, *smallest_offer(machine, state, "--yes", "-l=false"))[0] == 0
    assert stored_offer(state)["server_mode"] is False
    assert main_cli(capsys, "resource-config", "-l", "--state-dir", state)[0] == 0
    assert stored_offer(state)["server_mode"] is True
    assert main_cli(capsys, "resource-config", "--local-enable=no", "--state-dir", state)[0] == 0
    assert stored_offer(state)["server_mode"] is False
