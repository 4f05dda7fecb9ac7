"""The state file's shape checks, built afresh in each test and checked message by message.

``state_schema`` builds its checkers (``whole``, ``number``, ``record``...) once, when
the module is imported, so a mutant of a builder is never seen by a test that only
reads a state file: mutmut switches mutants per call, after the import. These tests
build checkers the way the schema does and assert what a person is told about a bad
``state.json`` (the field's path, what was expected, what was found, in few words).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from app.onboarding.state_schema import (
    MAX_WHOLE,
    OFFER_OPTIONAL,
    OFFER_REQUIRED,
    ShapeError,
    check_state,
    describe,
    flag,
    list_of,
    number,
    optional,
    record,
    text,
    whole,
)

if TYPE_CHECKING:
    from app.onboarding.state_schema import Check


def refusal(check: Check, value: Any, path: str = "offer.cpu") -> str:
    with pytest.raises(ShapeError) as caught:
        check(value, path)
    return str(caught.value)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "null"),
        (True, "true"),
        (False, "false"),
        (float("nan"), "NaN"),
        (float("inf"), "an infinite number"),
        (float("-inf"), "an infinite number"),
        (0, "0"),
        (-12, "-12"),
        (2**199 - 1, str(2**199 - 1)),
        (2**199, "a number of over 60 digits"),
        (1.5, "1.5"),
        ("", "''"),
        ("x" * 40, repr("x" * 40)),
        ("y" * 41, repr("y" * 40) + "... (cut)"),
        ([1], "a list"),
        ({"a": 1}, "an object"),
        ((1, 2), "tuple"),
    ],
    ids=[
        "null",
        "true",
        "false",
        "nan",
        "inf",
        "minus-inf",
        "zero",
        "negative",
        "199-bits",
        "200-bits",
        "float",
        "empty",
        "40-chars",
        "41-chars",
        "list",
        "object",
        "tuple",
    ],
)
def test_describe_shows_a_value_in_a_few_words(value: Any, shown: str) -> None:
    assert describe(value) == shown


def test_whole_numbers_and_their_bounds() -> None:
    any_whole = whole()
    for good in (0, -MAX_WHOLE, MAX_WHOLE, 7):
        any_whole(good, "offer.cpu")
    assert refusal(any_whole, 1.0) == "offer.cpu: expected a whole number, got 1.0"
    assert refusal(any_whole, True) == "offer.cpu: expected a whole number, got true"
    assert refusal(any_whole, "5") == "offer.cpu: expected a whole number, got '5'"
    span = f"a whole number from {-MAX_WHOLE} to {MAX_WHOLE}"
    assert refusal(any_whole, MAX_WHOLE + 1) == f"offer.cpu: expected {span}, got {MAX_WHOLE + 1}"
    assert refusal(any_whole, -MAX_WHOLE - 1) == f"offer.cpu: expected {span}, got {-MAX_WHOLE - 1}"
    at_least_0 = whole(0)
    at_least_0(0, "offer.cpu")
    assert (
        refusal(at_least_0, -1, "revision")
        == f"revision: expected a whole number from 0 to {MAX_WHOLE}, got -1"
    )
    whole(5)(5, "x")
    assert refusal(whole(5), 4, "x") == f"x: expected a whole number from 5 to {MAX_WHOLE}, got 4"


def test_numbers_finite_bounded_and_at_least_the_minimum() -> None:
    price = number()
    for good in (0, 0.0, -3, -2.5, MAX_WHOLE, -MAX_WHOLE, 1e18):
        price(good, "ntx_price")
    for bad, shown in ((float("nan"), "NaN"), (float("inf"), "an infinite number")):
        assert (
            refusal(price, bad, "ntx_price") == f"ntx_price: expected a finite number, got {shown}"
        )
    assert refusal(price, True, "p") == "p: expected a finite number, got true"
    assert refusal(price, "1", "p") == "p: expected a finite number, got '1'"
    assert refusal(price, None, "p") == "p: expected a finite number, got null"
    assert refusal(price, MAX_WHOLE + 1, "p") == (
        f"p: expected a number of at most 2^63, got {MAX_WHOLE + 1}"
    )
    assert (
        refusal(price, -float(2**63), "p")
        == "p: expected a number of at most 2^63, got -9.223372036854776e+18"
    )
    non_negative = number(0)
    non_negative(0, "p")
    non_negative(0.0, "p")
    assert refusal(non_negative, -0.5, "p") == "p: expected a number of 0 or more, got -0.5"
    assert refusal(number(1.5), 1, "p") == "p: expected a number of 1.5 or more, got 1"
    number(1.5)(1.5, "p")


def test_text_and_flags() -> None:
    text("", "offer.channel")
    assert refusal(text, 5, "offer.channel") == "offer.channel: expected a string, got 5"
    assert refusal(text, None, "c") == "c: expected a string, got null"
    flag(False, "offer.cardano")
    flag(True, "offer.cardano")
    assert refusal(flag, 1, "offer.cardano") == "offer.cardano: expected true or false, got 1"
    assert refusal(flag, "true", "f") == "f: expected true or false, got 'true'"


def test_optional_lets_null_through_and_checks_anything_else() -> None:
    cores = optional(whole(0))
    cores(None, "offer.cores")
    cores(3, "offer.cores")
    assert refusal(cores, "3", "offer.cores") == "offer.cores: expected a whole number, got '3'"
    assert refusal(cores, -1, "offer.cores").startswith(
        "offer.cores: expected a whole number from 0"
    )


def test_list_of_names_the_item_that_is_wrong() -> None:
    gpus = list_of(whole(0))
    gpus([], "offer.gpus")
    gpus([0, 1], "offer.gpus")
    assert refusal(gpus, {"0": 1}, "offer.gpus") == "offer.gpus: expected a list, got an object"
    assert refusal(gpus, None, "offer.gpus") == "offer.gpus: expected a list, got null"
    assert (
        refusal(gpus, [0, "1"], "offer.gpus") == "offer.gpus[1]: expected a whole number, got '1'"
    )
    assert refusal(gpus, [-1], "offer.gpus").startswith(
        "offer.gpus[0]: expected a whole number from 0"
    )


def test_a_record_checks_each_field_by_its_path() -> None:
    pair = record({"cpu": whole(), "memory": whole()}, {"note": text}, closed=True)
    pair({"cpu": 1, "memory": 2}, "reserved")
    pair({"cpu": 1, "memory": 2, "note": "x"}, "reserved")
    assert refusal(pair, [1, 2], "reserved") == "reserved: expected an object, got a list"
    assert refusal(pair, None, "reserved") == "reserved: expected an object, got null"
    assert refusal(pair, {"cpu": 1}, "reserved") == "reserved.memory: missing"
    assert refusal(pair, {"memory": 1}, "reserved") == "reserved.cpu: missing"
    assert (
        refusal(pair, {"cpu": 1, "memory": None}, "reserved")
        == "reserved.memory: expected a whole number, got null"
    )
    assert (
        refusal(pair, {"cpu": 1, "memory": 2, "note": 3}, "reserved")
        == "reserved.note: expected a string, got 3"
    )
    assert (
        refusal(pair, {"cpu": 1, "memory": 2, "gpu": 0}, "reserved")
        == "reserved: unknown field 'gpu'"
    )
    open_record = record({"address": text}, {"created": text}, closed=False)
    open_record({"address": "0x", "created": "now", "later": [1]}, "wallets[0]")
    assert refusal(open_record, {"created": "now"}, "wallets[0]") == "wallets[0].address: missing"
    assert (
        refusal(open_record, {"address": "0x", "created": 1}, "wallets[0]")
        == "wallets[0].created: expected a string, got 1"
    )


def test_the_offer_record_as_the_schema_builds_it() -> None:
    offer = record(OFFER_REQUIRED, OFFER_OPTIONAL, closed=True)
    good = {"memory": 4000, "cpu": 5000, "channel": "nunet-team", "payment_addr": "0x"}
    offer(good, "offer")
    offer({**good, "cores": None, "gpus": [0], "ntx_price": 0.5, "disk": 10}, "offer")
    assert refusal(offer, {**good, "cores": 0.5}, "offer") == (
        "offer.cores: expected a whole number, got 0.5"
    )
    assert refusal(offer, {**good, "ntx_price": -1}, "offer") == (
        "offer.ntx_price: expected a number of 0 or more, got -1"
    )


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ([], "the file holds a list, not a JSON object"),
        ({}, "schema_version null is not one this version knows (1)"),
        ({"schema_version": 2}, "schema_version 2 is not one this version knows (1)"),
        ({"schema_version": 1.0}, "schema_version 1.0 is not one"),
        ({"schema_version": 1, "offer": 3}, "offer: expected an object, got 3"),
        ({"schema_version": 1, "revision": "1"}, "revision: expected a whole number, got '1'"),
    ],
    ids=["list", "no-version", "version-2", "version-float", "offer", "revision"],
)
def test_check_state_names_the_first_wrong_field(data: Any, says: str) -> None:
    with pytest.raises(ShapeError, match="^" + says.replace("(", r"\(").replace(")", r"\)")):
        check_state(data)


def test_check_state_keeps_unknown_top_level_keys_and_nulls() -> None:
    check_state({"schema_version": 1, "offer": None, "metadata": None, "later": {"x": 1}})
    message = (
        "schema_version 2 is not one this version knows (1); it may come from a newer nunet-onboard"
    )
    with pytest.raises(ShapeError) as caught:
        check_state({"schema_version": 2})
    assert str(caught.value) == message
