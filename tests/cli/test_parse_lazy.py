"""``app.cli.parse`` builds only the commands a line names, and answers as the whole parser does."""

from __future__ import annotations

import json
import sys

import pytest

from app.cli import build, parse
from app.cli.parser import Parser

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


@pytest.mark.parametrize("argv", LINES, ids=" ".join)
def test_a_good_line_parses_as_the_whole_parser_parses_it(argv: list[str]) -> None:
    lazy = vars(parse(list(argv)))
    whole = vars(build().parse_args(list(argv)))
    assert lazy.keys() == whole.keys()
    for key, value in whole.items():  # handlers are the same functions
        assert lazy[key] == value, key


@pytest.mark.parametrize("argv", BAD, ids=" ".join)
def test_help_version_and_errors_are_the_whole_parsers(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Parser, "redact_values", "wallet" in argv)
    with pytest.raises(SystemExit) as whole_exit:
        build().parse_args(list(argv))
    whole = capsys.readouterr()
    with pytest.raises(SystemExit) as lazy_exit:
        parse(list(argv))
    lazy = capsys.readouterr()
    assert (lazy_exit.value.code, lazy.out, lazy.err) == (
        whole_exit.value.code,
        whole.out,
        whole.err,
    )
    assert whole.out or whole.err
    assert Parser.probing is False


def test_a_line_builds_only_its_own_commands() -> None:
    """The command modules of other groups are not even imported for ``status``."""
    import subprocess

    code = (
        "import json, sys\nfrom app.cli import parse\nparse(['status', '--json'])\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('app.cli.'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded = json.loads(out)
    assert "app.cli.status_cmds" in loaded
    assert not {"app.cli.wallet_cmds", "app.cli.apply_cmd", "app.cli.offer_cmds"} & set(loaded)


COMMAND_MODULES = {
    "capacity": "app.cli.capacity_cmds",
    "onboard": "app.cli.offer_parser",
    "resource-config": "app.cli.offer_parser",
    "status": "app.cli.status_cmds",
    "info": "app.cli.status_cmds",
    "offboard": "app.cli.offboard_cmds",
    "apply": "app.cli.apply_cmd",
    "wallet": "app.cli.wallet_parser",
}


@pytest.mark.parametrize("argv", [line for line in LINES if line and line[0] in COMMAND_MODULES])
def test_each_commands_line_is_parsed_without_the_other_commands(argv: list[str]) -> None:
    """Each group builds for its own names: in a fresh interpreter, parsing a line never
    falls back to the whole parser, whose building imports every command's module."""
    import subprocess

    parse(list(argv))  # in this process too, so that mutation testing sees this test
    command = next(word for word in argv if word in COMMAND_MODULES)
    code = (
        f"import json, sys\nfrom app.cli import parse\nparse({argv!r})\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('app.cli.'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded = set(json.loads(out))
    others = set(COMMAND_MODULES.values()) - {COMMAND_MODULES[command]}
    assert COMMAND_MODULES[command] in loaded
    assert loaded.isdisjoint(others), sorted(loaded & others)
