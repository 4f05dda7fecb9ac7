"""``apply`` in this process, as a person reads it: the plan's rows, its warnings, its
one-line refusals word for word (tests/onboarding/test_plan_cli.py has the JSON side)."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from app.onboarding.addresses import ETHEREUM_REFUSED_BY_DMS
from tests.cli.helpers import Terminal, main_cli, main_json
from tests.conftest import ETH_ADDRESS
from tests.fakes import FakeHost

Capsys = pytest.CaptureFixture[str]


def offer(machine: dict[str, Any], **changes: object) -> str:
    fields: dict[str, object] = {
        "cpu": machine["cpu_min"],
        "memory": machine["mem_min"],
        "channel": "nunet-team",
        "address": ETH_ADDRESS.lower(),  # valid; its missing checksum is a warning
        **changes,
    }
    return "".join(f"{k} = {v!r}\n".replace("'", '"') for k, v in fields.items() if v is not None)


def stdin_bytes(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_apply_says_what_it_would_do_then_does_it(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, machine: dict[str, Any]
) -> None:
    text = offer(machine).encode()
    stdin_bytes(monkeypatch, text)
    code, out, err = main_cli(capsys, "apply", "-", "--check", "--state-dir", state)
    assert code == 0
    # The address checker's warning, as onboard gives it; then what this machine's size
    # adds (an offer below one core on a small one).
    warned = err.splitlines()
    assert warned[0] == (
        "nunet-onboard: warning: payment address: this Ethereum address has no checksum (all "
        "one case), so a typo would not be caught: check it character by character"
    )
    assert f"nunet-onboard: warning: payment address: {ETHEREUM_REFUSED_BY_DMS}" in warned
    assert all(line.startswith("nunet-onboard: warning: ") for line in warned)
    lines = out.splitlines()
    assert lines[0] == "Would onboard:"
    assert f"  cpu          - -> {machine['cpu_min']}" in lines
    assert f"  memory       - -> {machine['mem_min']}" in lines
    assert "  channel      - -> nunet-team" in lines
    assert f"  address      - -> {ETH_ADDRESS.lower()}" in lines
    # The file's words and spellings, not the stored offer's or Python's.
    assert "  available    - -> true" in lines and "  cardano      - -> false" in lines
    assert "  gpus         - -> none" in lines
    assert not [line for line in lines if "payment_addr" in line or "True" in line]
    assert not (Path(state) / "state.json").exists()

    stdin_bytes(monkeypatch, text)
    code, out, _ = main_cli(capsys, "apply", "-", "--state-dir", state)
    assert code == 0 and out.splitlines()[0] == "Applied: onboard"
    assert main_json(capsys, "status", "--state-dir", state)["onboarded"] is True

    stdin_bytes(monkeypatch, offer(machine, cpu=machine["cpu_max"]).encode())
    code, out, _ = main_cli(capsys, "apply", "-", "--state-dir", state)
    assert code == 0
    assert out == (
        f"Applied: resource-config\n  cpu  {machine['cpu_min']} -> {machine['cpu_max']}\n"
    )

    stdin_bytes(monkeypatch, offer(machine, cpu=machine["cpu_max"]).encode())
    code, out, err = main_cli(capsys, "apply", "-", "--state-dir", state)
    assert (code, out) == (0, "No change: this node is as the file says.\n")
    assert "warning:" in err  # warnings are said even when nothing changes

    stdin_bytes(monkeypatch, b'state = "offboarded"\n')
    code, out, _ = main_cli(capsys, "apply", "-", "--check", "--state-dir", state)
    assert code == 0 and out.splitlines()[0] == "Would offboard:"
    assert f"  cpu          {machine['cpu_max']} -> -" in out.splitlines()


def test_apply_from_stdin_names_it_in_errors(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str
) -> None:
    stdin_bytes(monkeypatch, b"cpu = 1\n\xff")
    code, out, err = main_cli(capsys, "apply", "-", "--state-dir", state)
    assert (code, out) == (2, "")
    assert err == "nunet-onboard: error: stdin is not UTF-8 text (byte 8)\n"
    stdin_bytes(monkeypatch, b"#" * (64 * 1024 + 1))
    code, _, err = main_cli(capsys, "apply", "-", "--state-dir", state)
    assert code == 2
    assert err == ("nunet-onboard: error: stdin is larger than 64 KiB; an offer is a few lines\n")
    stdin_bytes(monkeypatch, b"#" * (64 * 1024))  # exactly the limit: read, and empty
    code, _, err = main_cli(capsys, "apply", "-", "--state-dir", state)
    assert code == 2 and "larger than" not in err and err.startswith("nunet-onboard: error: stdin")


def test_apply_of_a_missing_file(capsys: Capsys, state: str, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"
    code, _, err = main_cli(capsys, "apply", str(missing), "--state-dir", state)
    assert code == 2
    shown = "…" + str(missing)[-40:]  # a path's end says the most; 40 characters of it
    assert err == f"nunet-onboard: error: cannot read {shown}: No such file or directory\n"


def test_apply_refused_by_a_rule_exits_1(
    capsys: Capsys, state: str, tmp_path: Path, machine: dict[str, Any]
) -> None:
    file = tmp_path / "offer.toml"
    file.write_text(offer(machine, cpu=machine["cpu"]))
    code, out, err = main_cli(capsys, "apply", str(file), "--state-dir", state)
    assert (code, out) == (1, "")
    assert err.startswith("nunet-onboard: error: ") and err.count("\n") == 1
    assert not (Path(state) / "state.json").exists()


def test_apply_that_changes_something_logs_it(
    capsys: Capsys, state: str, tmp_path: Path, machine: dict[str, Any]
) -> None:
    file = tmp_path / "offer.toml"
    file.write_text(offer(machine))
    assert main_cli(capsys, "apply", str(file), "--state-dir", state)[0] == 0
    log = (Path(state) / "logs" / "nunet-onboard.log").read_text()
    assert " INFO nunet_onboard.controller: onboarded: node " in log


def test_apply_with_nothing_to_change_rewrites_a_missing_metadata_file(
    capsys: Capsys, state: str, machine: dict[str, Any], tmp_path: Path
) -> None:
    """status says a missing metadataV2.json "is rewritten by the next onboard,
    resource-config or apply": an apply of the offer already on record does so too."""
    plan = tmp_path / "offer.toml"
    plan.write_text(offer(machine))
    assert main_cli(capsys, "apply", str(plan), "--state-dir", state)[0] == 0
    metadata = Path(state) / "metadataV2.json"
    written = metadata.read_bytes()
    metadata.unlink()
    assert main_json(capsys, "status", "--state-dir", state)["problems"]

    code, out, _ = main_cli(capsys, "apply", str(plan), "--check", "--state-dir", state)
    assert (code, out) == (0, "No change: this node is as the file says.\n")
    assert not metadata.exists()  # a check writes nothing
    code, out, _ = main_cli(capsys, "apply", str(plan), "--state-dir", state)
    assert (code, out) == (0, "No change: this node is as the file says.\n")
    assert metadata.read_bytes() == written
    assert main_json(capsys, "status", "--state-dir", state)["problems"] == []


@pytest.mark.parametrize("fake_host", [FakeHost(gpus=2)], indirect=True, ids=["two-gpus"])
def test_the_plan_rows_are_in_the_files_words_in_their_order(
    capsys: Capsys, state: str, machine: dict[str, Any], tmp_path: Path
) -> None:
    """Sorted by the name the file gives each key (``address``, not ``payment_addr``);
    a list of GPUs as the file writes it."""
    path = tmp_path / "offer.toml"
    path.write_text(offer(machine, gpus=[0, 1]))
    code, out, err = main_cli(capsys, "apply", str(path), "--check", "--state-dir", state)
    assert code == 0, err
    rows = out.splitlines()[1:]
    labels = [row.split()[0] for row in rows]
    assert labels == sorted(labels) and labels[0] == "address"
    assert "  gpus         - -> 0, 1" in rows


def test_an_offer_file_named_through_a_symbolic_link_is_read(
    capsys: Capsys, state: str, machine: dict[str, Any], tmp_path: Path
) -> None:
    (tmp_path / "offer.toml").write_text(offer(machine))
    (tmp_path / "link.toml").symlink_to(tmp_path / "offer.toml")
    code, out, err = main_cli(
        capsys, "apply", str(tmp_path / "link.toml"), "--check", "--state-dir", state
    )
    assert code == 0, err
    assert out.startswith("Would onboard:\n")


def test_an_offer_file_that_is_a_fifo_is_refused_by_its_name_unread(
    capsys: Capsys, state: str, tmp_path: Path
) -> None:
    fifo = tmp_path / "offer.toml"
    os.mkfifo(fifo)
    code, out, err = main_cli(capsys, "apply", str(fifo), "--state-dir", state)
    assert (code, out) == (2, "")
    assert err.startswith("nunet-onboard: error: the offer file ")  # the path, cut short
    assert err.endswith(
        "/offer.toml is a FIFO (named pipe); nunet-onboard reads only a regular file\n"
    )


def test_an_offer_typed_at_the_terminal_is_read_after_saying_how_to_end_it(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch, state: str, machine: dict[str, Any]
) -> None:
    typed = Terminal(offer(machine))
    typed.buffer = io.BytesIO(offer(machine).encode())  # a real stdin reads bytes
    monkeypatch.setattr(sys, "stdin", typed)
    code, out, err = main_cli(capsys, "apply", "-", "--check", "--state-dir", state)
    assert code == 0 and out.startswith("Would onboard:\n")
    assert err.startswith(
        "nunet-onboard: reading the offer from the terminal: type or paste it, then Ctrl-D on "
        "a line of its own (Ctrl-C to stop; nunet-onboard apply FILE reads a file)\n"
    )
