"""DMS's command lines read as DMS reads them, on a fake machine with fractional clocks.

DMS v0.4.159 parses flags with spf13/pflag: bool flags take ``=false`` and never the
next word, short flags combine, integers are Go's ``strconv.ParseInt(s, 0, 64)``, and
stray words are ignored. Its CPU bounds are ``int64(total/10)``..``int64(total*9/10)``
on the float sum of the clocks. The machine is ``tests/fakes.py``'s, put where the
hardware probe would answer, so no figure of the machine running the tests counts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.hardware import MachineInfo
from tests.cli.helpers import main_cli, main_json
from tests.conftest import ETH_ADDRESS
from tests.fakes import fake_machine

Capsys = pytest.CaptureFixture[str]

# 2 x 2596.14 MHz = 5192.28 MHz: DMS allows 519-4673 MHz (a rounded total: 519-4672).
SMALL = fake_machine(cores=2, mhz=2596.14, memory_mb=16384, gpus=0)
# 4 x 2599.9 MHz = 10399.6 MHz: room for a Cardano node (6000 MHz, 10000 MB).
BIG = fake_machine(cores=4, mhz=2599.9, memory_mb=32768, gpus=0)


def on(monkeypatch: pytest.MonkeyPatch, machine: MachineInfo) -> None:
    """The hardware probe answers with ``machine`` (the probe is the machine boundary)."""
    import app.hardware

    monkeypatch.setattr(app.hardware, "probe_machine", lambda *a, **k: machine)
    monkeypatch.setattr(app.hardware, "probe_capacity", lambda *a, **k: machine)


@pytest.fixture
def small(monkeypatch: pytest.MonkeyPatch) -> None:
    on(monkeypatch, SMALL)


@pytest.fixture
def big(monkeypatch: pytest.MonkeyPatch) -> None:
    on(monkeypatch, BIG)


def offer_in(state: Path) -> dict[str, Any]:
    stored: dict[str, Any] = json.loads((state / "state.json").read_text())["offer"]
    return stored


def onboard(capsys: Capsys, state: Path, *flags: str) -> tuple[int, str, str]:
    """``onboard`` with DMS's required flags after ``flags`` (which may repeat them)."""
    base = ("-n", "nunet-test", "-a", ETH_ADDRESS, "--state-dir", str(state), "--yes")
    return main_cli(capsys, "onboard", *flags, *base)


# -- the CPU bounds, the records ----------------------------------------------------------
@pytest.mark.usefixtures("small")
def test_the_top_cpu_bound_is_dms_on_the_float_total(capsys: Capsys, tmp_path: Path) -> None:
    allowed = main_json(capsys, "capacity", "--state-dir", str(tmp_path))["allowed"]["cpu"]
    assert (allowed["min"], allowed["max"]) == (519, 4673)
    code, _, err = onboard(capsys, tmp_path / "over", "-c", "4674", "-m", "8192")
    assert code == 1 and "4674 MHz is above the maximum 4673 MHz (90 % of 5192.28 MHz)" in err
    code, _, err = onboard(capsys, tmp_path / "under", "-c", "518", "-m", "8192")
    assert code == 1 and "518 MHz is below the minimum 519 MHz" in err
    assert onboard(capsys, tmp_path / "top", "-c", "4673", "-m", "8192")[0] == 0
    assert onboard(capsys, tmp_path / "low", "-c", "519", "-m", "8192")[0] == 0


@pytest.mark.usefixtures("big")
def test_the_records_truncate_the_total_and_keep_the_first_clock(
    capsys: Capsys, tmp_path: Path
) -> None:
    """DMS's cpu_max is int64(10399.6) = 10399, not 10400; its available CPU is that less
    the offer; its cpu_hz is the first logical CPU's clock as measured."""
    assert onboard(capsys, tmp_path, "-c", "5000", "-m", "8192")[0] == 0
    info = main_json(capsys, "info", "--state-dir", str(tmp_path))
    assert info["resource"]["cpu_max"] == 10399
    assert info["available"]["cpu"] == 10399 - 5000
    available = main_json(capsys, "capacity", "-a", "--state-dir", str(tmp_path))
    assert available["cpu_hz"] == 2599.9
    assert available["vcpu"] == 1  # floor(5000 / 2599.9)
    code, out, _ = main_cli(capsys, "capacity", "--state-dir", str(tmp_path))
    assert code == 0 and "10399 MHz (4 cores x 2600 MHz)" in out  # whole MHz for people


# -- pflag's bool flags and short-flag clusters ---------------------------------------------
@pytest.mark.usefixtures("big")
@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (["-u=false"], {"is_available": True, "server_mode": True, "cardano": False}),
        (["-u=true"], {"is_available": False}),
        (["-ul=false"], {"is_available": False, "server_mode": False}),
        (["-l=0"], {"server_mode": False, "is_available": True}),
        (["-l=f"], {"server_mode": False}),
        (["-Cu"], {"cardano": True, "is_available": False}),
        (["-uC=1"], {"cardano": True, "is_available": False}),
        (["--cardano=t", "--unavailable=F"], {"cardano": True, "is_available": True}),
        (["-C=false"], {"cardano": False}),
    ],
)
def test_bool_flags_take_pflag_values(
    capsys: Capsys, tmp_path: Path, flags: list[str], expected: dict[str, Any]
) -> None:
    code, _, err = onboard(capsys, tmp_path, "-c", "6000", "-m", "10000", *flags)
    assert code == 0, err
    stored = offer_in(tmp_path)
    assert {key: stored[key] for key in expected} == expected


@pytest.mark.usefixtures("big")
def test_a_bool_flag_never_takes_the_next_word(capsys: Capsys, tmp_path: Path) -> None:
    """pflag: ``-C false`` is ``-C`` (Cardano on) and a stray word ``false``."""
    code, _, err = onboard(capsys, tmp_path, "-c", "6000", "-m", "10000", "-C", "false")
    assert code == 0, err
    assert offer_in(tmp_path)["cardano"] is True
    assert (
        "nunet-onboard: warning: 1 extra word on the command line ignored, as DMS ignores "
        "them (not shown, as they may be secret); a true/false flag takes its value only "
        "after = (FLAG=false), never from the next word\n"
    ) in err


@pytest.mark.usefixtures("big")
@pytest.mark.parametrize(
    "flags",
    [
        ["-c6000", "-m10000"],
        ["-c=6000", "-m=10000"],
        ["-uc", "6000", "-m", "10000"],
        ["-ulc6000", "-m", "10000"],
        ["--cpu", "6000", "--memory=10000"],
    ],
)
def test_a_value_joins_its_short_flag_as_pflag_allows(
    capsys: Capsys, tmp_path: Path, flags: list[str]
) -> None:
    code, _, err = onboard(capsys, tmp_path, *flags)
    assert code == 0, err
    assert (offer_in(tmp_path)["cpu"], offer_in(tmp_path)["memory"]) == (6000, 10000)


@pytest.mark.usefixtures("small")
def test_a_bool_flag_with_a_value_that_is_no_bool_is_bad_usage(
    capsys: Capsys, tmp_path: Path
) -> None:
    code, out, err = onboard(capsys, tmp_path, "-c", "600", "-m", "8192", "-u=maybe")
    assert (code, out) == (2, "")
    assert "argument -u/--unavailable: 'maybe' is not true or false" in err
    assert err.count("\n") == 1
    assert not (tmp_path / "state.json").exists()


@pytest.mark.usefixtures("small")
@pytest.mark.parametrize(
    ("flag", "expected"),
    [
        ("-u=", "argument -u/--unavailable: '' is not true or false"),
        ("-m=", "argument -m/--memory: '' is not a size"),
    ],
)
def test_a_short_flag_with_an_empty_value_names_the_flag_and_the_empty_value(
    capsys: Capsys, tmp_path: Path, flag: str, expected: str
) -> None:
    """pflag: ``-u=`` gives -u the value "" (refused as no bool), as ``--unavailable=`` does."""
    code, out, err = onboard(capsys, tmp_path, "-c", "600", "-m", "8192", flag)
    assert (code, out) == (2, "")
    assert expected in err
    assert not (tmp_path / "state.json").exists()


# -- Go's integers ------------------------------------------------------------------------
@pytest.mark.usefixtures("small")
@pytest.mark.parametrize(
    "memory", ["0x2000", "0X2000", "8_192", "0o20000", "020000", "0b10000000000000", "+8192"]
)
def test_memory_in_go_integer_forms(capsys: Capsys, tmp_path: Path, memory: str) -> None:
    code, _, err = onboard(capsys, tmp_path, "-c", "600", "-m", memory)
    assert code == 0, err
    assert offer_in(tmp_path)["memory"] == 8192


@pytest.mark.usefixtures("small")
def test_cpu_in_go_integer_forms(capsys: Capsys, tmp_path: Path) -> None:
    assert onboard(capsys, tmp_path, "-c", "0x1_241", "-m", "8GiB")[0] == 0  # 4673, 8192
    assert (offer_in(tmp_path)["cpu"], offer_in(tmp_path)["memory"]) == (4673, 8192)


NOT_GO = (
    "is not a whole number as DMS reads it: 8192, 0x2000, 0o20000, 0b10000000000000 or "
    "8_192 (a leading 0 means octal, so 8 and 9 cannot follow it)"
)


@pytest.mark.usefixtures("small")
@pytest.mark.parametrize(
    "memory",
    [
        *("8__192", "_8192", "8192_", "0x", "0b102", "089", "+089", "-089", "0x_", "0_8"),
        *("0XZZ", "0O8", "0B2"),
    ],
)
def test_what_go_refuses_as_an_integer_is_refused(
    capsys: Capsys, tmp_path: Path, memory: str
) -> None:
    """DMS refuses these (pflag's ``invalid argument``); ``089`` is not 89: a leading 0 is
    octal; a base prefix is read in either case."""
    code, out, err = onboard(capsys, tmp_path, "-c", "600", "-m", memory)
    assert (code, out) == (2, "")
    assert f"argument -m/--memory: '{memory}' {NOT_GO} (see " in err
    assert err.count("\n") == 1


@pytest.mark.usefixtures("small")
@pytest.mark.parametrize(
    ("memory", "said"),
    [
        ("08.5", "is not a whole number of MB"),
        ("-0x10", "is not a size; give MB (e.g. 8192)"),
        ("0Q", "is not a size; give MB (e.g. 8192)"),
    ],
)
def test_what_is_no_go_integer_is_read_as_a_size(
    capsys: Capsys, tmp_path: Path, memory: str, said: str
) -> None:
    """A decimal point, a sign before a Go form, a unit after a 0: the size's own reader
    answers, not Go's refusal."""
    code, _, err = onboard(capsys, tmp_path, "-c", "600", "-m", memory)
    assert code == 2
    assert f"argument -m/--memory: '{memory}' {said}" in err and NOT_GO not in err


@pytest.mark.usefixtures("small")
def test_an_integer_beyond_int64_is_out_of_range(capsys: Capsys, tmp_path: Path) -> None:
    code, _, err = onboard(capsys, tmp_path, "-c", "600", "-m", "0x8000000000000000")
    assert code == 2 and "'0x8000000000000000' is out of range" in err


# -- stray words --------------------------------------------------------------------------
@pytest.mark.usefixtures("small")
def test_stray_words_are_ignored_with_one_warning_that_never_shows_them(
    capsys: Capsys, tmp_path: Path
) -> None:
    code, _, err = main_cli(
        capsys,
        *("onboard", "-c", "600", "-m", "8192", "-n", "nunet-test", "-a", ETH_ADDRESS, "--yes"),
        *("--state-dir", str(tmp_path), "abandon", "ability", "--", "-x", "able"),
    )
    assert code == 0, err
    assert err.count("extra words on the command line ignored") == 1
    assert "4 extra words" in err
    assert not any(word in err for word in ("abandon", "ability", "able"))
    assert offer_in(tmp_path)["ntx_price"] == 0.0  # "-x" after "--" is a word, not a flag


@pytest.mark.usefixtures("small")
def test_stray_words_on_other_dms_commands(capsys: Capsys, tmp_path: Path) -> None:
    code, out, err = main_cli(capsys, "capacity", "abandon", "--state-dir", str(tmp_path))
    assert code == 0 and "Machine capacity" in out
    assert "1 extra word" in err and "abandon" not in err


@pytest.mark.usefixtures("small")
def test_the_stray_words_warning_suggests_no_flag_the_command_lacks(
    capsys: Capsys, tmp_path: Path
) -> None:
    """capacity has no -c: the hint is pflag's rule, not an onboard example."""
    code, _, err = main_cli(capsys, "capacity", "-f", "4673", "--state-dir", str(tmp_path))
    assert code == 0, err
    assert "1 extra word" in err and "-c 4673" not in err
    assert "a true/false flag takes its value only after =" in err


# -- capacity -f/-a/-o --------------------------------------------------------------------
@pytest.mark.usefixtures("small")
def test_capacity_takes_dms_short_flags(capsys: Capsys, tmp_path: Path) -> None:
    state = str(tmp_path)
    full = main_json(capsys, "capacity", "--state-dir", state)
    assert main_json(capsys, "capacity", "-f", "--state-dir", state) == full
    assert (full["cpu"], full["cpu_exact"]) == (5192, 5192.28)
    assert onboard(capsys, tmp_path, "-c", "600", "-m", "8192")[0] == 0
    onboarded = main_json(capsys, "capacity", "-o", "--state-dir", state)
    assert onboarded == {"cpu": 600, "memory": 8192}
    available = main_json(capsys, "capacity", "-a", "--state-dir", state)
    assert available["tot_cpu_hz"] == 600 and available["ram"] == 8192
    both = main_json(capsys, "capacity", "-fo", "--state-dir", state)
    assert both == {"full": full, "onboarded": onboarded}


@pytest.mark.usefixtures("small")
def test_capacity_shows_several_views_in_dms_order(capsys: Capsys, tmp_path: Path) -> None:
    assert onboard(capsys, tmp_path, "-c", "600", "-m", "8192")[0] == 0
    code, out, _ = main_cli(capsys, "capacity", "-aof", "--state-dir", str(tmp_path))
    assert code == 0
    titles = [line for line in out.splitlines() if line and not line.startswith(" ")]
    assert titles == [
        "Machine capacity (Provisioned)",
        "Onboarded capacity (reserved for NuNet)",
        "Available capacity (what the node offers to jobs)",
    ]


# -- wallet new -e / -c ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("flag", "chain", "prefix"),
    [("-e", "ethereum", "0x"), ("-c", "cardano", "addr1"), ("--cardano", "cardano", "addr1")],
)
def test_wallet_new_takes_dms_chain_flags(
    capsys: Capsys, tmp_path: Path, flag: str, chain: str, prefix: str
) -> None:
    made = main_json(capsys, "wallet", "new", flag, "--words", "12", "--state-dir", str(tmp_path))
    assert made["chain"] == chain and made["address"].startswith(prefix)


def test_wallet_new_with_both_dms_chain_flags_is_bad_usage(capsys: Capsys, tmp_path: Path) -> None:
    code, out, err = main_cli(capsys, "wallet", "new", "-e", "-c", "--state-dir", str(tmp_path))
    assert (code, out) == (2, "")
    assert "argument -c/--cardano: not allowed with argument -e/--ethereum" in err


@pytest.mark.usefixtures("small")
@pytest.mark.parametrize("flags", [["-c4674"], ["-uc=4674"], ["--cp", "4674"]])
def test_a_refusal_names_a_flag_typed_in_pflag_form_as_typed(
    capsys: Capsys, tmp_path: Path, flags: list[str]
) -> None:
    """Not "as stored (not given on this command line)": it was given, joined or short."""
    assert onboard(capsys, tmp_path, "-c", "600", "-m", "8192")[0] == 0
    code, _, err = main_cli(capsys, "resource-config", *flags, "--state-dir", str(tmp_path))
    assert code == 1
    assert "cpu: 4674 MHz is above the maximum 4673 MHz" in err
    assert "as stored" not in err
