"""``app.cli.parse`` builds the whole parser, naming each command's handler without importing
its module: a line pays only for its own command's imports."""

from __future__ import annotations

import json
import sys

import pytest

from app.cli import build, parse
from app.cli.command_table import Parser

LINES = [
    [],
    ["--state-dir", "/tmp/x"],
    ["-v"],
    ["status", "--json"],
    ["--state-dir", "status", "status", "--check"],
    ["info", "--json", "--state-dir", "/tmp/y"],
    ["capacity", "--available"],
    ["onboard", "-c", "1000", "-m", "2GiB", "-n", "nunet-team", "-a", "0xabc", "--yes"],
    ["resource-config", "--memory", "3000"],
    ["offboard", "--force", "-y"],
    ["apply", "offer.toml", "--check"],
    ["wallet", "new", "--chain", "cardano"],
]

BAD = [
    ["-h"],
    ["--help"],
    ["--version"],
    ["status", "-h"],
    ["wallet", "-h"],
    ["statu"],
    ["bogus", "status"],
    ["status", "--bogus"],
    ["--bogus"],
    ["onboard", "-c", "lots"],
    ["wallet", "new", "--chain", "dogecoin"],
    ["wallet", "new", "some secret words"],
]


HANDLERS = {
    "capacity": "app.cli.capacity_cmds.cmd_capacity",
    "onboard": "app.cli.offer_cmds.cmd_onboard",
    "resource-config": "app.cli.offer_cmds.cmd_resource_config",
    "status": "app.cli.status_cmds.cmd_status",
    "info": "app.cli.status_cmds.cmd_info",
    "offboard": "app.cli.offboard_cmds.cmd_offboard",
    "apply": "app.cli.apply_cmd.cmd_apply",
    "wallet": "app.cli.wallet_cmds.cmd_new",
}
COMMAND_MODULES = {
    "app.cli.capacity_cmds",
    "app.cli.offer_cmds",
    "app.cli.status_cmds",
    "app.cli.offboard_cmds",
    "app.cli.wallet_cmds",
}


@pytest.mark.parametrize("argv", [line for line in LINES if line and line[0] in HANDLERS])
def test_each_line_names_its_commands_handler(argv: list[str]) -> None:
    handler = parse(list(argv)).handler
    assert f"{handler.__module__}.{handler.__name__}" == HANDLERS[argv[0]]
    module, _, name = HANDLERS[argv[0]].rpartition(".")
    assert callable(getattr(__import__(module, fromlist=[name]), name))


@pytest.mark.parametrize("argv", BAD, ids=" ".join)
def test_help_version_and_errors_exit_without_a_traceback(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as parsed:
        parse(list(argv))
    said = capsys.readouterr()
    assert parsed.value.code in (0, 2)
    assert said.out or said.err
    assert "Traceback" not in said.err
    if "wallet" in argv:  # a mnemonic typed in the wrong place is never echoed
        assert "secret words" not in said.err and "dogecoin" not in said.err
    assert Parser.redact_values == ("wallet" in argv)


@pytest.mark.parametrize("argv", [line for line in LINES if line and line[0] in HANDLERS])
def test_parsing_a_line_imports_no_commands_module(argv: list[str]) -> None:
    """The whole parser is built for every line quick.py does not read: it names each
    handler without importing it, so a line costs only its own command's imports."""
    import subprocess

    code = (
        f"import json, sys\nfrom app.cli import parse\nparse({argv!r})\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('app.cli.'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert not set(json.loads(out)) & COMMAND_MODULES


def test_the_whole_parser_is_what_parse_uses() -> None:
    assert vars(parse(["status", "--json"])).keys() == vars(build().parse_args(["status"])).keys()
