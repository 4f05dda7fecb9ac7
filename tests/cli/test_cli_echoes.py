"""What the CLI echoes back: no mnemonic words, no control characters, no walls of text.

Every run is a real process (``run_cli``), as a person at a shell would meet it.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from app.shown import MAX_SHOWN, escaped, holds_mnemonic_words, shown
from tests.cli.helpers import REPO, run_cli

WORDS = (
    "legal winner thank year wave sausage worth useful legal winner thank year "
    "wave sausage worth useful legal winner thank year wave sausage worth title"
)


def assert_no_two_words_of_the_mnemonic(text: str) -> None:
    words = WORDS.split()
    for first, second in itertools.pairwise(words):
        assert f"{first} {second}" not in text, text


@pytest.mark.parametrize(
    "argv",
    [
        [WORDS],  # argparse: invalid choice
        ["status", *WORDS.split()],  # argparse: unrecognized arguments
        ["apply", WORDS],  # ours: cannot read FILE
        ["apply", "--check", f"/tmp/{WORDS}.toml"],
        ["onboard", "-c", WORDS, "-m", "1", "-a", "x", "-n", "nunet-team"],  # an option's value
    ],
    ids=["command", "status-args", "apply-file", "apply-path", "option-value"],
)
def test_a_mnemonic_typed_in_the_wrong_place_is_not_echoed(tmp_path: Path, argv: list[str]) -> None:
    result = run_cli(*argv, state_dir=tmp_path / "state")
    assert result.returncode == 2, result.stderr
    assert_no_two_words_of_the_mnemonic(result.stderr)
    assert "not shown: it looks like mnemonic words" in result.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["x" * 300],
        ["status", "y" * 300],
        ["apply", "z" * 300],
        ["onboard", "-c", "w" * 300, "-m", "1", "-a", "x", "-n", "nunet-team"],
    ],
    ids=["command", "status-args", "apply-file", "option-value"],
)
def test_no_usage_error_echoes_more_than_40_characters_of_a_value(
    tmp_path: Path, argv: list[str]
) -> None:
    result = run_cli(*argv, state_dir=tmp_path / "state")
    assert result.returncode == 2, result.stderr
    letter = next(arg for arg in argv if len(arg) == 300)[0]
    assert letter * MAX_SHOWN in result.stderr
    assert letter * (MAX_SHOWN + 1) not in result.stderr


def test_wallet_restore_refuses_an_export_path_of_mnemonic_words_and_makes_nothing(
    tmp_path: Path,
) -> None:
    state = tmp_path / "state"
    target = tmp_path / WORDS
    result = run_cli(
        "wallet", "restore", "--chain", "cardano", "--export", str(target),
        state_dir=state, stdin=WORDS + "\n",
    )  # fmt: skip
    assert result.returncode == 2
    assert "--export: the directory given looks like mnemonic words (not shown)" in result.stderr
    assert_no_two_words_of_the_mnemonic(result.stderr + result.stdout)
    assert not target.exists() and not state.exists()
    assert not (REPO / WORDS).exists()


def test_an_offers_keys_are_echoed_escaped_and_cut(tmp_path: Path) -> None:
    offer = tmp_path / "offer.toml"
    offer.write_text('"\\u001b[2J\\u001b]0;pwned\\u0007" = 1\n')
    result = run_cli("apply", "--check", str(offer), state_dir=tmp_path / "state")
    assert result.returncode == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "offer.toml: \\x1b[2J\\x1b]0;pwned\\x07 is not a known key" in result.stderr
    offer.write_text("k" * 60_000 + " = 1\n")
    result = run_cli("apply", "--check", str(offer), state_dir=tmp_path / "state")
    assert result.returncode == 2
    assert f"{'k' * MAX_SHOWN}… is not a known key" in result.stderr
    assert "k" * (MAX_SHOWN + 1) not in result.stderr


def test_an_offers_long_number_is_echoed_cut(tmp_path: Path) -> None:
    offer = tmp_path / "offer.json"
    offer.write_text(json.dumps({"state": "onboarded", "cpu": "50%", "cores": 10**3999}))
    result = run_cli("apply", "--check", str(offer), state_dir=tmp_path / "state")
    assert result.returncode == 2
    assert "offer.json: cores: 1000000000000000000000000000000000000000… is more cores" in (
        result.stderr
    )
    assert "9" * (MAX_SHOWN + 1) not in result.stderr and "0" * (MAX_SHOWN + 1) not in result.stderr


def test_shown_hides_a_run_of_words_escapes_and_cuts() -> None:
    assert shown("legal winner") == "(not shown: it looks like mnemonic words)"
    assert shown("legal") == "legal"
    assert shown("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert shown("\u202eevil") == "\\u202eevil"
    assert shown("x" * 41) == "x" * 40 + "…"
    assert escaped("plain text") == "plain text"
    assert holds_mnemonic_words("LEGAL, Winner.")
    assert not holds_mnemonic_words("nunet-team offer.toml")
