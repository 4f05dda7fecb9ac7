"""The payment address is stored in one form, whatever way it came in: blanks around it
(a pasted newline), ``0X``, an all-capital Cardano address. The CLI stored such text as
typed into state.json and metadataV2.json, while the app and ``apply`` trimmed it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.onboarding.addresses import normal_address
from tests.cli.helpers import main_cli, smallest_offer
from tests.cli.test_cli_apply_words import offer
from tests.conftest import CARDANO_TESTNET, ETH_ADDRESS

Capsys = pytest.CaptureFixture[str]


def stored(state: str) -> tuple[str, str]:
    """The address in state.json's offer and in metadataV2.json's public_key."""
    offer = json.loads((Path(state) / "state.json").read_text())["offer"]
    metadata = json.loads((Path(state) / "metadataV2.json").read_text())
    return offer["payment_addr"], metadata["public_key"]


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        (f" {ETH_ADDRESS}\n", ETH_ADDRESS),
        ("0X" + ETH_ADDRESS[2:], ETH_ADDRESS),
        (ETH_ADDRESS.lower(), ETH_ADDRESS.lower()),  # its case is its checksum: kept
        (CARDANO_TESTNET.upper(), CARDANO_TESTNET),
        (f"\t{CARDANO_TESTNET} ", CARDANO_TESTNET),
    ],
)
def test_onboard_and_resource_config_store_one_form(
    capsys: Capsys, state: str, machine: dict[str, Any], typed: str, kept: str
) -> None:
    argv = smallest_offer(machine, state, "--yes")
    argv[argv.index("-a") + 1] = typed
    assert main_cli(capsys, *argv)[0] == 0
    assert stored(state) == (kept, kept)
    assert main_cli(capsys, "resource-config", "-a", ETH_ADDRESS, "--state-dir", state)[0] == 0
    assert main_cli(capsys, "resource-config", "-a", typed, "--state-dir", state)[0] == 0
    assert stored(state) == (kept, kept)


def test_apply_sees_no_change_in_another_spelling_of_the_same_address(
    capsys: Capsys, state: str, machine: dict[str, Any], tmp_path: Path
) -> None:
    file = tmp_path / "offer.toml"
    file.write_text(offer(machine, address=ETH_ADDRESS))
    assert main_cli(capsys, "apply", str(file), "--state-dir", state)[0] == 0
    file.write_text(offer(machine, address="0X" + ETH_ADDRESS[2:] + "  "))
    code, out, _ = main_cli(capsys, "apply", str(file), "--check", "--state-dir", state)
    assert (code, out) == (0, "No change: this node is as the file says.\n")
    assert stored(state) == (ETH_ADDRESS, ETH_ADDRESS)


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("", ""),
        ("  ", ""),
        ("0x", "0x"),
        ("0X", "0x"),
        ("0XABC", "0xABC"),
        ("ADDR1QX", "addr1qx"),
        ("STAKE1UX", "stake1ux"),
        ("Addr1qx", "Addr1qx"),  # mixed case: left for the check to refuse
        ("ADDR", "ADDR"),  # no separator: not bech32, left as it is
        ("DdzFF", "DdzFF"),  # base58 (Byron) is case-sensitive
        ("AE2TD", "AE2TD"),
    ],
)
def test_normal_address(text: str, form: str) -> None:
    assert normal_address(text) == form
