"""The one parser for numbers and sizes typed by people: what each size and amount reads as,
the 40-character limit on typed text, where an echoed value is cut, and that every
refusal says what is allowed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.onboarding.units import (
    UnitError,
    parse_cpu_mhz,
    parse_decimal,
    parse_disk_gb,
    parse_memory_mb,
    parse_whole,
    shown,
)

LIMIT = 40  # the longest text a field accepts (and echoes back whole)


@pytest.mark.parametrize(
    ("text", "mb"),
    [
        ("8192", 8192),
        ("8GiB", 8192),
        ("8 gib", 8192),
        ("512MiB", 512),
        ("8GB", 7629),
        ("1TiB", 1048576),
        ("1.5GiB", 1536),
        ("1PiB", 1024**3),
    ],
)
def test_memory_sizes(text: str, mb: int) -> None:
    assert parse_memory_mb(text) == mb


@pytest.mark.parametrize(
    ("text", "gb"), [("100", 100), ("50GiB", 50), ("100GB", 93), ("1TiB", 1024)]
)
def test_disk_sizes(text: str, gb: int) -> None:
    assert parse_disk_gb(text) == gb


@pytest.mark.parametrize(
    ("text", "mb", "gb"),
    [
        # Decimal units are powers of 1000, stored in DMS's binary MB and GB (floored).
        ("8000000KB", 7629, 7),  # 8e9 bytes / 2**20 = 7629.39, / 2**30 = 7.45
        ("8000MB", 7629, 7),  # not 8000: MB is not MiB
        ("2500MB", 2384, 2),
        ("1TB", 953674, 931),  # 1e12 / 2**20, 1e12 / 2**30
        ("1PB", 953674316, 931322),
    ],
)
def test_decimal_units_are_powers_of_a_thousand(text: str, mb: int, gb: int) -> None:
    assert (parse_memory_mb(text), parse_disk_gb(text)) == (mb, gb)


@pytest.mark.parametrize(
    "text", ["\uff14\uff10\uff10\uff10", "४०००", "-1", "8XB", "", "1.5", "x" * 20000]
)
def test_bad_sizes_are_refused_with_a_short_message(text: str) -> None:
    with pytest.raises(UnitError) as err:
        parse_memory_mb(text)
    assert len(str(err.value)) < 200


def test_whole_numbers_are_ascii_only() -> None:
    assert parse_whole("4000") == 4000
    for bad in ("\uff14\uff10\uff10\uff10", "४०००", "-3", "1e3", "nan"):
        with pytest.raises(UnitError):
            parse_whole(bad)


def test_decimals_normalise_minus_zero_and_refuse_the_rest() -> None:
    assert str(parse_decimal("-0")) == "0.0"
    assert parse_decimal("0.25") == 0.25
    for bad in ("nan", "inf", "1e400", "-1", "٣", "x"):
        with pytest.raises(UnitError):
            parse_decimal(bad)


# -- CPU: MHz as DMS takes it, or a clock in GHz ------------------------------------------------
@pytest.mark.parametrize(
    ("text", "mhz"),
    [
        ("5200", 5200),
        (" 5200 ", 5200),
        ("5200MHz", 5200),
        ("5200 mhz", 5200),
        ("2.6GHz", 2600),
        ("2.6 ghz", 2600),
        ("4.35GHz", 4350),  # decimal digits, not 4349.999... from a float
        ("2GHz", 2000),
        ("0.001GHz", 1),
        ("2.100GHz", 2100),
        ("2.1000GHz", 2100),  # trailing zeros past the third decimal change nothing
    ],
)
def test_a_cpu_amount_in_mhz_or_ghz(text: str, mhz: int) -> None:
    assert parse_cpu_mhz(text) == mhz


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("fast", '\'fast\' is not a CPU amount; give MHz (5200 or "5200MHz") or GHz ("2.6GHz")'),
        ("-5", '\'-5\' is not a CPU amount; give MHz (5200 or "5200MHz") or GHz ("2.6GHz")'),
        ("2.5", "'2.5' is not a whole number of MHz"),
        ("2.5MHz", "'2.5MHz' is not a whole number of MHz"),
        ("2.6005GHz", "'2.6005GHz' is not a whole number of MHz (at most 3 decimals of GHz)"),
        (
            "2.6THz",
            '\'2.6THz\' is not a CPU amount; give MHz (5200 or "5200MHz") or GHz ("2.6GHz")',
        ),
        ("5" * 41, "is not a CPU amount"),
    ],
)
def test_what_is_not_a_cpu_amount_says_what_is(text: str, message: str) -> None:
    with pytest.raises(UnitError) as caught:
        parse_cpu_mhz(text)
    assert message in str(caught.value)


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=3))
def test_ghz_with_up_to_three_decimals_is_exact(mhz: int, places: int) -> None:
    mhz -= mhz % 10 ** (3 - places)  # representable with ``places`` decimals of GHz
    text = f"{mhz // 1000}.{mhz % 1000:03d}"[: len(str(mhz // 1000)) + 1 + places].rstrip(".")
    assert parse_cpu_mhz(text + "GHz") == mhz


def test_shown_keeps_short_text_and_cuts_long_text() -> None:
    assert shown("8GiB") == "'8GiB'"
    assert shown("x" * LIMIT) == repr("x" * LIMIT)
    assert shown("x" * (LIMIT + 1)) == repr("x" * LIMIT + "…")


@pytest.mark.parametrize("parse", [parse_whole, parse_memory_mb, parse_disk_gb])
def test_forty_characters_are_read_and_forty_one_are_refused(parse: object) -> None:
    assert callable(parse)
    assert parse("0" * (LIMIT - 1) + "7") == 7
    with pytest.raises(UnitError):
        parse("0" * LIMIT + "7")


def test_a_decimal_of_forty_characters_is_read() -> None:
    assert parse_decimal("0." + "5" * (LIMIT - 2)) == pytest.approx(0.5555555)
    with pytest.raises(UnitError):
        parse_decimal("0." + "5" * (LIMIT - 1))


@pytest.mark.parametrize(
    ("parse", "text", "expected"),
    [
        (parse_whole, "seven", "'seven' is not a whole number of 0 or more"),
        (parse_decimal, "1,5", "'1,5' is not a number"),
        (parse_decimal, "1e999", "'1e999' is not a finite number"),
        (parse_decimal, "-2", "'-2' is negative; it must be 0 or more"),
        (
            parse_memory_mb,
            "8 GiBs",
            "'8 GiBs' is not a size; give MB (e.g. 8192) or a number with a unit "
            "(KiB, MiB, GiB, TiB, PiB, or KB, MB, GB, TB, PB)",
        ),
        (parse_disk_gb, "lots", "'lots' is not a size; give GB (e.g. 8192)"),
        (parse_memory_mb, "1.5", "'1.5' is not a whole number of MB"),
        (parse_disk_gb, "1.5", "'1.5' is not a whole number of GB"),
    ],
)
def test_each_refusal_says_what_is_allowed(parse: object, text: str, expected: str) -> None:
    assert callable(parse)
    with pytest.raises(UnitError) as caught:
        parse(text)
    assert str(caught.value).startswith(expected)
