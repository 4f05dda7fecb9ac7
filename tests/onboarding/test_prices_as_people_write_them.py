"""A price is shown as a person writes it: every digit kept, no trailing ".0".

`decimal_text` fills the app's price field and the CLI's tables; a form filled from
it and saved must give back the same number.
"""

from __future__ import annotations

import pytest

from app.onboarding.units import decimal_text, parse_decimal


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0"),
        (2.0, "2"),
        (100.0, "100"),
        (0.25, "0.25"),
        (0.1234567, "0.1234567"),
        (10.05, "10.05"),
        (1e19, "1e+19"),
    ],
)
def test_a_price_is_written_with_every_digit_and_no_trailing_point_zero(
    value: float, text: str
) -> None:
    assert decimal_text(value) == text
    assert parse_decimal(decimal_text(value)) == value
