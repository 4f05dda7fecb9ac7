"""units.py at its edges, found by mutation testing: the 40-character limit on typed
text, where an echoed value is cut, and that every refusal says what is allowed."""

from __future__ import annotations

import pytest

from app.onboarding.units import (
    UnitError,
    parse_decimal,
    parse_disk_gb,
    parse_memory_mb,
    parse_whole,
    shown,
)

LIMIT = 40  # the longest text a field accepts (and echoes back whole)


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
