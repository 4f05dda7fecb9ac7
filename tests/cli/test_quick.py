"""The ``status`` and ``apply`` lines read without argparse give what argparse gives.

``app.cli.quick`` reads the plain ``status`` lines (monitoring runs them every few
seconds) and ``apply`` lines (a fleet runs one per node per play) without importing
argparse. Every line it accepts must parse under the whole parser to the same
attributes; every line it declines goes to argparse, which then prints its usual
help or error.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import app
from app.cli import build, main
from app.cli.quick import quick_parse
from tests.cli.helpers import smallest_offer
from tests.conftest import ETH_ADDRESS

TOKENS = [
    "status",
    "--json",
    "--check",
    "-v",
    "--verbose",
    "--state-dir",
    "/d",
    "--state-dir=/e",
    "--state-dir=",
    "-x",
    "--js",
    "-h",
    "info",
    "apply",
    "plan.toml",
    "-",
]


def _argparse(argv: list[str]) -> dict[str, object] | None:
    """The whole parser's attributes for the line, or None where it refuses it."""
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        try:
            return _named(vars(build().parse_args(argv)))
        except SystemExit:
            return None


def _named(values: dict[str, Any]) -> dict[str, Any]:
    """The attributes with the handler as the command it names: argparse's imports its
    module when it runs, the quick path's is the command itself."""
    handler = values["handler"]
    return {**values, "handler": f"{handler.__module__}.{handler.__name__}"}


def _agrees(argv: list[str]) -> bool:
    quick = quick_parse(list(argv))
    if quick is None:
        return True  # argparse reads it, as for every other command
    return _named(vars(quick)) == _argparse(list(argv))


def test_every_short_line_the_quick_path_takes_parses_the_same_under_argparse() -> None:
    lines = [list(p) for n in range(4) for p in itertools.product(TOKENS, repeat=n)]
    taken = [argv for argv in lines if quick_parse(list(argv)) is not None]
    assert len(taken) > 50  # the quick path is used, not only declined
    wrong = [argv for argv in taken if not _agrees(argv)]
    assert wrong == []


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), min_size=4, max_size=7))
def test_longer_lines_agree_too(argv: list[str]) -> None:
    assert _agrees(argv)


@pytest.mark.parametrize(
    "argv",
    [
        ["status"],
        ["status", "--json"],
        ["status", "--check", "--json"],
        ["--state-dir", "/srv/nunet", "status", "--json"],
        ["status", "--state-dir=/srv/nunet", "-v"],
        ["-v", "status", "--verbose", "--check"],
        ["apply", "-", "--json"],  # the fleet's line (the Ansible module)
        ["apply", "plan.toml", "--check"],
        ["--state-dir", "/srv/nunet", "apply", "--check", "-"],
    ],
    ids=" ".join,
)
def test_the_lines_monitoring_runs_take_the_quick_path(argv: list[str]) -> None:
    parsed = quick_parse(list(argv))
    assert parsed is not None
    assert _named(vars(parsed)) == _argparse(list(argv))


@pytest.mark.parametrize(
    "argv",
    [
        ["--json", "status"],  # --json is status's option, not the program's
        ["status", "--js"],  # an abbreviation: argparse decides
        ["status", "--state-dir"],  # no value
        ["status", "--state-dir", "--json"],  # an option where the value should be
        ["status", "status"],
        ["status", "-h"],
        ["info"],
        [],
        ["apply"],  # no FILE
        ["apply", "a.toml", "b.toml"],  # two
        ["apply", "--", "-x.toml"],  # a FILE after --
        ["apply", "-1"],  # argparse may read it as a FILE or an option
        ["status", "-"],  # status takes no FILE
    ],
    ids=lambda argv: " ".join(argv) or "(empty)",
)
def test_anything_else_is_left_to_argparse(argv: list[str]) -> None:
    assert quick_parse(list(argv)) is None


def test_status_help_and_errors_still_come_from_argparse(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["status", "--bogus"])
    assert exit_.value.code == 2
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["status", "--help"])
    assert exit_.value.code == 0
    assert "--check" in capsys.readouterr().out


AVOIDED = (
    # argparse and the heavy libraries
    "argparse", "dataclasses", "logging", "psutil", "platform", "shutil", "tempfile",
    "textual", "pydantic", "eth_account", "pycardano", "socket", "tomllib", "prometheus_client",
    # the standard library a typed, pathlib-based command pays before its first line
    "pathlib", "urllib", "ipaddress", "fnmatch", "typing", "threading", "contextlib",
    "warnings", "math", "collections.abc",
)  # fmt: skip


# The fast start-up path: every module of ours that `status --json` or the fleet's
# `apply FILE --check --json` (on a node already as the file says) loads. The tests below
# hold this list to what those lines load, and only these modules take the start-up
# measures (docs/architecture.md, "The fast start-up path"). One of them: a module
# imports its typing-only names under a module constant `TYPE_CHECKING = False` instead
# of `from typing import TYPE_CHECKING`. mypy treats any name TYPE_CHECKING as
# typing.TYPE_CHECKING (true while it checks), and at run time the block is skipped
# without `typing` (~0.4x a bare interpreter start) being imported. Everywhere else the
# plain `from typing import TYPE_CHECKING` is used.
HOT_PATH = (
    "app", "app.config", "app.light_record", "app.paths", "app.safe_read", "app.shown",
    "app.cli", "app.cli.apply_cmd", "app.cli.exits", "app.cli.output", "app.cli.quick",
    "app.cli.session", "app.cli.status_cmds",
    "app.hardware", "app.hardware._files", "app.hardware.cgroups", "app.hardware.cpu",
    "app.hardware.disk", "app.hardware.memory", "app.hardware.model", "app.hardware.probe",
    "app.hardware.usable",
    "app.onboarding", "app.onboarding.addresses", "app.onboarding.controller",
    "app.onboarding.errors", "app.onboarding.identity",
    "app.onboarding.leftovers", "app.onboarding.metadata_v2", "app.onboarding.offer_fields",
    "app.onboarding.offer_file", "app.onboarding.plan", "app.onboarding.reader",
    "app.onboarding.rules", "app.onboarding.state_dir",
    "app.onboarding.state_schema", "app.onboarding.status", "app.onboarding.store",
    "app.onboarding.units",
)  # fmt: skip


def test_only_the_fast_path_avoids_importing_typing() -> None:
    """The ``TYPE_CHECKING = False`` idiom costs a reader a second look: it is kept to the
    modules whose start-up it saves."""
    root = Path(app.__file__).parent
    idiom = {
        ".".join(("app", *path.relative_to(root).with_suffix("").parts)).removesuffix(".__init__")
        for path in root.rglob("*.py")
        if re.search(r"^TYPE_CHECKING = False\b", path.read_text(encoding="utf-8"), re.M)
    }
    assert idiom, "the idiom is looked for as the fast path writes it"
    assert sorted(idiom - set(HOT_PATH)) == []


def plain_env(home: Path) -> dict[str, str]:
    """The environment of a machine that configures nothing (no config file: reading
    one imports tomllib, and with it typing), with ``home`` as HOME."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NUNET_ONBOARD_", "XDG_"))}
    return {**env, "HOME": str(home)}


def loaded_by(argv: list[str], home: Path) -> tuple[int, list[str], str, list[str]]:
    """Exit code, the ``AVOIDED`` modules loaded, stdout and the modules of ours loaded by
    ``main(argv)`` in a fresh interpreter, on a machine that configures nothing."""
    code = (
        "import json, sys\nfrom app.cli import main\n"
        f"rc = main({argv!r})\n"
        f"avoided = sorted(m for m in {AVOIDED!r} if m in sys.modules)\n"
        "ours = sorted(m for m in sys.modules if m.split('.')[0] == 'app')\n"
        "print(json.dumps([rc, avoided, ours]), file=sys.stderr)\n"
    )
    # -S: no site, so no .pth file (an editable install's import finder loads pathlib)
    # runs before our code; the package is found where this test imported it from.
    root = os.path.dirname(os.path.dirname(os.path.abspath(app.__file__)))
    result = subprocess.run(
        [sys.executable, "-S", "-c", code],
        capture_output=True, text=True, timeout=60, check=False,
        env={**plain_env(home), "PYTHONPATH": root},
    )  # fmt: skip
    rc, loaded, ours = json.loads(result.stderr.strip().splitlines()[-1])
    return rc, loaded, result.stdout, ours


@pytest.mark.parametrize("onboarded", [False, True], ids=["fresh", "onboarded"])
def test_a_status_line_imports_neither_argparse_nor_the_heavy_libraries(
    capsys: pytest.CaptureFixture[str],
    machine: dict[str, Any],
    state: str,
    onboarded: bool,
    tmp_path: Path,
) -> None:
    """What ``status --json`` loads, in a fresh interpreter: the budget is 2.5x a bare start,
    and ``import re, json`` (the console script's and the output's) is 1.8x already.
    Onboarded, status also reads the machine for its drift check."""
    if "MUTANT_UNDER_TEST" in os.environ:  # benchmarks/mutation.py: mutmut's copy of app/
        pytest.skip("mutated modules import mutmut's trampoline, which loads these libraries")
    if onboarded:
        assert main(smallest_offer(machine, state)) == 0
        capsys.readouterr()
    rc, loaded, out, ours = loaded_by(["status", "--json", "--state-dir", state], tmp_path)
    assert (rc, loaded) == (0, [])
    assert set(ours) <= set(HOT_PATH)
    assert "app.onboarding.refusals" not in ours  # a read raises none of a write's refusals
    shown = json.loads(out)
    assert (shown["onboarded"], shown["problems"]) == (onboarded, [])


def test_the_fleets_apply_check_imports_no_more_than_status(
    capsys: pytest.CaptureFixture[str], machine: dict[str, Any], state: str, tmp_path: Path
) -> None:
    """``apply FILE --check --json`` with a JSON offer (what the Ansible module sends) on a
    node already as it says: a plan that changes nothing loads what ``status`` loads
    (a TOML file adds tomllib, and typing with it)."""
    if "MUTANT_UNDER_TEST" in os.environ:
        pytest.skip("mutated modules import mutmut's trampoline, which loads these libraries")
    assert main(smallest_offer(machine, state)) == 0
    capsys.readouterr()
    offer = {
        "state": "onboarded", "cpu": machine["cpu_min"], "memory": machine["mem_min"],
        "channel": "nunet-team", "address": ETH_ADDRESS, "ntx_price": 0.25,
    }  # fmt: skip
    (tmp_path / "offer.json").write_text(json.dumps(offer))
    argv = ["apply", str(tmp_path / "offer.json"), "--check", "--json", "--state-dir", state]
    rc, loaded, out, ours = loaded_by(argv, tmp_path)
    assert (rc, loaded) == (0, []), out
    _, _, _, status_loads = loaded_by(["status", "--json", "--state-dir", state], tmp_path)
    assert sorted({*ours, *status_loads}) == sorted(HOT_PATH)
    assert json.loads(out)["changed"] is False
