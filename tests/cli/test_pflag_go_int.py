"""Go's ``strconv.ParseInt(s, 0, 64)``, as DMS reads ``-c`` and ``-m``: a table of what Go
returns for each text (from Go's grammar: base prefixes, a leading 0 for octal,
underscores only between digits or after a prefix, int64's range)."""

from __future__ import annotations

import pytest

from app.cli.pflag import _underscore_ok, go_int
from app.onboarding.units import UnitError


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("8192", 8192),
        ("+8192", 8192),
        ("-8192", -8192),
        ("0", 0),
        ("-0", 0),
        ("0x2000", 8192),
        ("0X2000", 8192),
        ("0x_2000", 8192),
        ("0o20000", 8192),
        ("0O20000", 8192),
        ("020000", 8192),
        ("0_20000", 8192),
        ("0b10000000000000", 8192),
        ("0B10_0000_0000_0000", 8192),
        ("8_192", 8192),
        ("0xfF", 255),
        ("9223372036854775807", 2**63 - 1),
        ("-9223372036854775808", -(2**63)),
    ],
)
def test_what_go_reads(text: str, value: int) -> None:
    assert go_int(text) == value


@pytest.mark.parametrize(
    "text",
    ["", "+", "-", "0x", "0b", "0o", "08", "089", "0b2", "0o8", "0xg", "1e3", "1.0", " 1",
     "1 ", "_1", "1_", "1__0", "0_", "0x_", "0b_", "\u0663", "\uff11", "8192MB", "0x1p3", "--1"],
)  # fmt: skip
def test_what_go_refuses_as_a_syntax_error(text: str) -> None:
    assert go_int(text) is None


@pytest.mark.parametrize("text", ["9223372036854775808", "-9223372036854775809", "0x1" + "0" * 16])
def test_what_go_refuses_as_out_of_range(text: str) -> None:
    with pytest.raises(UnitError, match="out of range"):
        go_int(text)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("", True), ("12", True), ("8_192", True), ("1_2_3", True), ("+8_192", True),
        ("-8_1", True), ("00_1", True), ("0x_2000", True), ("0X_FF", True), ("0xA_B", True),
        ("0x_a_b", True), ("0b1_0", True), ("0B_1", True), ("0o_7", True), ("0x", True),
        ("0x_fg", True), ("+", True),
        ("_", False), ("_8192", False), ("8192_", False), ("8__192", False), ("0_", False),
        ("0_x2000", False), ("0b_", False), ("+_1", False), ("1_a", False), ("1_a2", False),
        ("a_1", False), ("1a_1", False), ("1_\u0663", False),
    ],
)  # fmt: skip
def test_underscores_are_checked_as_gos_underscore_ok_checks_them(text: str, ok: bool) -> None:
    """Go's strconv.underscoreOK, case by case: an underscore only between digits (hex
    digits after 0x) or right after a base prefix, never first, last or doubled; any other
    character is left to the digits' own check."""
    assert _underscore_ok(text) is ok
