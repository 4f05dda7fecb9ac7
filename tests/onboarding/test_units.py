"""The one parser for numbers and sizes typed by people."""

from __future__ import annotations

import pytest

from app.onboarding.units import (
    UnitError,
    parse_decimal,
    parse_disk_gb,
    parse_memory_mb,
    parse_whole,
)


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
