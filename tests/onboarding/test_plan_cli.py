"""``nunet-onboard apply`` as scripts and the Ansible module call it: exit codes 0/1/2,
``--json`` with exactly the documented keys, ``-`` for stdin, and what it imports.

In-process through ``app.cli.main`` on this machine's real hardware (so sizes are
percentages); one subprocess checks the modules a no-change apply loads.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from tests.conftest import ETH_ADDRESS

REPO = Path(__file__).resolve().parents[2]
OFFER = f"""
cpu = "50%"
memory = "50%"
channel = "nunet-team"
address = "{ETH_ADDRESS}"
"""


def apply(
    capsys: pytest.CaptureFixture[str], state: Path, file: str, *flags: str
) -> tuple[int, str, str]:
    code = main(["apply", file, "--state-dir", str(state), *flags])
    out, err = capsys.readouterr()
    return code, out, err


def test_apply_converges_then_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    offer = tmp_path / "offer.toml"
    offer.write_text(OFFER)
    state = tmp_path / "state"

    code, out, err = apply(capsys, state, str(offer), "--check", "--json")
    assert (code, err) == (0, "")
    preview = json.loads(out)
    assert list(preview) == ["changed", "action", "before", "after", "warnings"]
    assert (preview["changed"], preview["action"], preview["before"]) == (True, "onboard", {})
    assert not (state / "state.json").exists()

    code, out, _ = apply(capsys, state, str(offer), "--json")
    done = json.loads(out)
    assert (code, done["action"], done["after"]) == (0, "onboard", preview["after"])

    code, out, _ = apply(capsys, state, str(offer))
    assert (code, out.strip()) == (0, "No change: this node is as the file says.")

    offer.write_text(OFFER.replace('memory = "50%"', 'memory = "40%"'))
    code, out, _ = apply(capsys, state, str(offer), "--check")
    assert code == 0 and out.startswith("Would resource-config:")
    assert "memory" in out and "->" in out and "cpu" not in out


def test_stdin_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    document = json.dumps(
        {"cpu": "50%", "memory": "50%", "channel": "nunet-test", "address": ETH_ADDRESS}
    )
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(document.encode())))
    code, out, err = apply(capsys, tmp_path / "state", "-", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out)["after"]["channel"] == "nunet-test"


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (OFFER.replace('"50%"', '"95%"', 1), 1, "cpu 95% = "),
        (OFFER + "memroy = 5\n", 2, "offer.toml line 6: memroy is not a known key; allowed:"),
        (
            OFFER.replace('"50%"', '"lots"', 1),
            2,
            "offer.toml line 2: cpu: 'lots' is not a CPU amount; give MHz",
        ),
        ("cpu = [\n", 2, "not valid TOML"),
    ],
)
def test_exit_codes_and_one_line_messages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, code: int, message: str
) -> None:
    offer = tmp_path / "offer.toml"
    offer.write_text(content)
    got, out, err = apply(capsys, tmp_path / "state", str(offer), "--json")
    assert got == code
    assert out == ""
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    if code == 1:
        assert "allowed " in err and " MHz" in err


def test_unreadable_inputs_are_bad_usage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = apply(capsys, tmp_path / "state", str(tmp_path / "missing.toml"))
    assert code == 2 and "cannot read" in err and "No such file" in err
    binary = tmp_path / "offer.toml"
    binary.write_bytes(b"\xff\xfe cpu = 1")
    code, _, err = apply(capsys, tmp_path / "state", str(binary))
    assert code == 2 and "not UTF-8 text" in err
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (1 << 20))
    code, _, err = apply(capsys, tmp_path / "state", str(big))
    assert code == 2 and "larger than 64 KiB" in err


def test_a_broken_state_needs_force_in_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / "state.json").write_text("{oops")
    offer = tmp_path / "offer.toml"
    offer.write_text(OFFER)
    code, _, err = apply(capsys, state, str(offer), "--json")
    assert code == 1 and "unreadable" in err and "force = true" in err
    offer.write_text(OFFER + "force = true\n")
    code, out, _ = apply(capsys, state, str(offer), "--json")
    result = json.loads(out)
    assert (code, result["action"]) == (0, "onboard")
    assert any("cleaned up first" in w for w in result["warnings"])


def test_a_no_change_apply_loads_no_heavy_library(tmp_path: Path) -> None:
    offer = tmp_path / "offer.toml"
    offer.write_text(OFFER)
    state = tmp_path / "state"
    assert main(["apply", str(offer), "--state-dir", str(state), "--json"]) == 0
    probe = (
        "import sys; from app.cli import main\n"
        f"code = main(['apply', {str(offer)!r}, '--state-dir', {str(state)!r}, '--json'])\n"
        "heavy = ('textual', 'pydantic', 'pydantic_settings', 'eth_account', 'pycardano')\n"
        "print(code, sorted(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.stderr.strip().splitlines()[-1] == "0 []"
    assert json.loads(result.stdout)["action"] == "none"
