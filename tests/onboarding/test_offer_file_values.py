"""apply's file, value by value, at its edges: what each
key accepts, the exact refusal a person reads, and the offer each percentage resolves to.

``offer_file._PARSERS`` builds the size parsers (``_amount``) once, at import, so a mutant of
``_amount`` is never seen through ``load_target``: mutmut switches mutants per call.
The size tests therefore build the parser as ``_PARSERS`` does (``size_parser``).
"""

from __future__ import annotations

import inspect
import json
import math
import sys
from typing import Any

import pytest

from app.onboarding import offer_file
from app.onboarding.addresses import ETHEREUM_REFUSED_BY_DMS
from app.onboarding.offer_file import Amount, TargetError, load_target, resolve
from app.onboarding.units import parse_cpu_mhz, parse_memory_mb
from tests.conftest import ETH_ADDRESS
from tests.fakes import fake_machine

BASE = f'channel = "nunet-team"\naddress = "{ETH_ADDRESS}"\n'
OFFBOARDED = 'state = "offboarded"\n'


def size_parser(field: str) -> Any:
    """The parser of a size key, built afresh as ``_PARSERS`` builds it at import."""
    if field == "cpu":
        return offer_file._amount("MHz", parse_cpu_mhz)
    return offer_file._amount('MB (or a size such as "8GiB")', parse_memory_mb)


def refused(text: str) -> str:
    with pytest.raises(TargetError) as caught:
        load_target(text)
    return str(caught.value)


# -- sizes: a percentage or an absolute whole number ----------------------------------------
@pytest.mark.parametrize(
    ("value", "amount"),
    [
        (0, Amount(absolute=0, text="0")),
        (5200, Amount(absolute=5200, text="5200")),
        ("60%", Amount(percent=(60, 1), text="60%")),
        (" 12.5 % ", Amount(percent=(125, 10), text="12.5 %")),
        ("100%", Amount(percent=(100, 1), text="100%")),
        ("100.0%", Amount(percent=(1000, 10), text="100.0%")),
        ("0.25%", Amount(percent=(25, 100), text="0.25%")),
        ("60%".rjust(40), Amount(percent=(60, 1), text="60%")),
        ("5200MHz", Amount(absolute=5200, text="5200MHz")),
        (" 5200 ", Amount(absolute=5200, text="5200")),
        ("5200".rjust(40), Amount(absolute=5200, text="5200")),
        ("2.6GHz", Amount(absolute=2600, text="2.6GHz")),
    ],
    ids=[
        "zero",
        "whole",
        "percent",
        "decimal-percent",
        "hundred",
        "hundred-point-zero",
        "quarter",
        "percent-40-chars",
        "mhz",
        "spaces",
        "number-40-chars",
        "ghz",
    ],
)
def test_a_cpu_size_as_written(value: Any, amount: Amount) -> None:
    assert size_parser("cpu")(value) == amount


def test_a_memory_size_in_units() -> None:
    assert size_parser("memory")("8GiB") == Amount(absolute=8192, text="8GiB")
    with pytest.raises(ValueError) as caught:
        size_parser("memory")("8 parsecs")
    assert str(caught.value).endswith(', or a percentage ("60%")')


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (True, TypeError, 'true is not allowed; give a percentage ("60%") or MHz'),
        (1.5, TypeError, '1.5 is not allowed; give a percentage ("60%") or MHz'),
        ([60], TypeError, '[60] is not allowed; give a percentage ("60%") or MHz'),
        (-1, ValueError, "-1 is negative; give 0 or more MHz"),
        ("100.5%", ValueError, "'100.5%' is more than 100%; give a percentage of 0-100"),
        ("101%", ValueError, "'101%' is more than 100%; give a percentage of 0-100"),
        (
            "lots",
            ValueError,
            "'lots' is not a CPU amount; give MHz (5200 or \"5200MHz\") or GHz "
            '("2.6GHz"), or a percentage ("60%")',
        ),
    ],
    ids=["bool", "float", "list", "negative", "over-100-decimal", "over-100", "words"],
)
def test_a_cpu_size_refused(value: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as caught:
        size_parser("cpu")(value)
    assert str(caught.value) == message


@pytest.mark.parametrize("value", ["60%".rjust(41), "5200".rjust(41)], ids=["percent", "number"])
def test_a_size_longer_than_40_characters_is_not_read(value: str) -> None:
    with pytest.raises(ValueError, match="is not a CPU amount"):
        size_parser("cpu")(value)
    assert "cpu: " in refused(BASE + f'memory = 4000\ncpu = "{value}"\n')


# -- the other keys ------------------------------------------------------------------------
def test_cores_must_be_a_whole_number_of_one_or_more() -> None:
    assert load_target(OFFBOARDED + "cores = 1\n").cores == 1
    for bad in ("true", "0", "1.5", '"2"'):
        assert refused(OFFBOARDED + f"cores = {bad}\n").endswith(
            "is not allowed; give a whole number of 1 or more"
        )
    assert refused(OFFBOARDED + "cores = true\n") == (
        "- line 2: cores: true is not allowed; give a whole number of 1 or more"
    )


@pytest.mark.parametrize(
    "bad",
    ["{}", "5", "[-1]", "[true]", "[0, 1.0]", '"some"'],
    ids=["object", "number", "negative", "bool", "float", "text"],
)
def test_gpus_are_all_none_or_indices(bad: str) -> None:
    message = refused(OFFBOARDED + f"gpus = {bad}\n")
    assert message.startswith("- line 2: gpus: ")
    assert message.endswith(' is not allowed; use "all", "none" or a list such as [0, 1]')


def test_gpu_indices_are_kept_in_order() -> None:
    assert load_target(OFFBOARDED + "gpus = [2, 0]\n").gpus == (2, 0)
    assert load_target(OFFBOARDED + "gpus = []\n").gpus == ()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("true", "true is not a number of NTX per minute"),
        ("[1]", "[1] is not a number of NTX per minute"),
        ('"abc"', "'abc' is not a number; give 0 or more NTX per minute"),
        ("1000000000000001", "1000000000000001 is too large for a price in NTX per minute"),
        ("-0.5", "-0.5 is not allowed; give 0 or more NTX per minute"),
        ("nan", "NaN is not allowed; give 0 or more NTX per minute"),
    ],
    ids=["bool", "list", "text", "too-large", "negative", "nan"],
)
def test_a_price_refused(value: str, message: str) -> None:
    assert refused(OFFBOARDED + f"ntx_price = {value}\n") == f"- line 2: ntx_price: {message}"


@pytest.mark.parametrize(
    ("value", "price"), [("0", 0.0), ("0.5", 0.5), ("1000000000000000", 1e15), ("3", 3.0)]
)
def test_a_price_accepted(value: str, price: float) -> None:
    assert load_target(OFFBOARDED + f"ntx_price = {value}\n").ntx_price == price


def test_a_negative_zero_price_is_plain_zero() -> None:
    price = load_target(OFFBOARDED + "ntx_price = -0.0\n").ntx_price
    assert price == 0.0 and math.copysign(1.0, price) == 1.0
    assert json.dumps(price) == "0.0"


def test_a_toml_date_is_named_in_the_refusal() -> None:
    assert refused(BASE + "memory = 4000\ncpu = 1979-05-27T07:32:00Z\n") == (
        '- line 4: cpu: "1979-05-27 07:32:00+00:00" is not allowed; '
        'give a percentage ("60%") or MHz'
    )


def test_a_long_value_is_cut_at_40_characters_in_the_refusal() -> None:
    exactly_40 = [1234567] * 4 + [12]  # json.dumps: 40 characters
    over_40 = [1234567] * 4 + [123]  # 41
    assert len(json.dumps(exactly_40)) == 40 and len(json.dumps(over_40)) == 41
    shown_40 = refused(OFFBOARDED + f"cores = {exactly_40}\n")
    assert shown_40 == f"- line 2: cores: {json.dumps(exactly_40)} is not allowed; " + (
        "give a whole number of 1 or more"
    )
    shown_41 = refused(OFFBOARDED + f"cores = {over_40}\n")
    assert shown_41 == f"- line 2: cores: {json.dumps(over_40)[:40]}… is not allowed; " + (
        "give a whole number of 1 or more"
    )


def test_json_nested_too_deeply_says_so() -> None:
    # Python's recursion limit, not the file's depth alone, decides when the parser gives
    # up; a tracer (coverage, mutmut's stats run) can lift it past any depth under 64 KiB.
    limit = sys.getrecursionlimit()
    depth = len(inspect.stack(0))  # however deep the runner calls this test from
    sys.setrecursionlimit(depth + 800)
    try:
        with pytest.raises(TargetError) as caught:
            load_target("[" * 30_000 + "]" * 30_000, name="fleet.json")
        with pytest.raises(TargetError) as deep_toml:
            load_target("x = " + "[" * 3000 + "]" * 3000, name="deep.toml")
    finally:
        sys.setrecursionlimit(limit)
    assert str(caught.value) == "fleet.json: not valid JSON (nested too deeply)"
    assert str(deep_toml.value) == "deep.toml: nested more than 32 levels deep"


# -- resolving on this machine -----------------------------------------------------------
def test_zero_absolute_sizes_stay_zero() -> None:
    target = load_target(BASE + "cpu = 0\nmemory = 0\ndisk = 0\n")
    resolved = resolve(target, fake_machine())
    assert (resolved.offer["cpu"], resolved.offer["memory"], resolved.offer["disk"]) == (0, 0, 0)
    assert resolved.percents == {}


def test_a_percentage_outside_10_to_90_is_not_pulled_inside() -> None:
    # 10384 MHz: 9.5 % is 986.48 (below DMS's minimum 1038, left for the rules to refuse)
    # and 90.5 % is 9397.52 (above its maximum 9345).
    machine = fake_machine(cores=4, mhz=2596)
    low = resolve(load_target(BASE + 'cpu = "9.5%"\nmemory = "9.5%"\n'), machine)
    assert (low.offer["cpu"], low.offer["memory"]) == (986, 16384 * 95 // 1000)
    high = resolve(load_target(BASE + 'cpu = "90.5%"\nmemory = "90.5%"\n'), machine)
    assert (high.offer["cpu"], high.offer["memory"]) == (9397, 16384 * 905 // 1000)


# -- the file as a whole: names, lines, formats -------------------------------------------
ALLOWED = (
    "allowed: state, memory, cpu, ntx_price, channel, address, cardano, server_mode, "
    "available, disk, gpus, cores, force"
)


@pytest.mark.parametrize(
    ("text", "name", "message"),
    [
        ('{\n "CPU": 1\n}', "f.json", f"f.json line 2: CPU is not a known key; {ALLOWED}"),
        (
            '{\n "cpu": 1,\n "Bad": 2\n}',
            "f.json",
            f"f.json line 3: Bad is not a known key; {ALLOWED}",
        ),
        ("\nCpu = 1\n", "f.toml", f"f.toml line 2: Cpu is not a known key; {ALLOWED}"),
        (
            '{"state": "onboarded", "cpu": true}',
            "-",
            '-: cpu: true is not allowed; give a percentage ("60%") or MHz',
        ),
        (
            '\n  {"state": "offboarded", "nope": 1}',
            "-",
            f"-: nope is not a known key; {ALLOWED}",
        ),
        (
            "{bad",
            "f.json",
            "f.json line 1: not valid JSON (Expecting property name enclosed in double quotes)",
        ),
        ("x = = 1", "f.toml", "f.toml: not valid TOML (Invalid value (at line 1, column 5))"),
        (
            'channel = "nunet-team"\naddress = "x"\n',
            "-",
            '-: memory, cpu missing; state = "onboarded" needs memory, cpu, channel, address',
        ),
        (
            'state = "offboarded"\nchannel = "bogus"\n',
            "-",
            "- line 2: channel: 'bogus' is not a known channel; allowed: nunet-staging, "
            "nunet-test, nunet-team, nunet-edge",
        ),
        ('state = "offboarded"\naddress = 5\n', "-", "- line 2: address: 5 is not text"),
        (
            f'state = "offboarded"\naddress = "{"a" * 201}"\n',
            "-",
            f"- line 2: address: '{'a' * 40}…' is longer than 200 characters",
        ),
    ],
    ids=[
        "json-upper",
        "json-mixed",
        "toml-mixed",
        "one-line-json",
        "indented-json",
        "bad-json",
        "bad-toml",
        "missing",
        "channel",
        "address-type",
        "address-long",
    ],
)
def test_a_bad_file_is_named_with_the_line_of_its_key(text: str, name: str, message: str) -> None:
    with pytest.raises(TargetError) as refused:
        load_target(text, name=name)
    assert str(refused.value) == message


def test_an_address_of_200_characters_is_read() -> None:
    address = "a" * 200
    assert load_target(OFFBOARDED + f'address = "{address}"\n').address == address


def test_a_file_of_exactly_64_kib_is_read() -> None:
    text = OFFBOARDED + "#" * (64 * 1024 - len(OFFBOARDED))
    assert load_target(text).state == "offboarded"
    with pytest.raises(TargetError) as refused:
        load_target(text + "#")
    assert str(refused.value) == "- is larger than 64 KiB; an offer is a few lines"


def test_parse_target_names_its_source_as_dash_by_default() -> None:
    with pytest.raises(TargetError) as refused:
        offer_file.parse_target({"bogus": 1})
    assert str(refused.value) == f"-: bogus is not a known key; {ALLOWED}"


def test_all_gpus_on_a_machine_that_reports_no_reason() -> None:
    from app.hardware.model import GpuReport

    bare = fake_machine(gpus=0)._replace(gpus=GpuReport())
    resolved = resolve(load_target(BASE + 'cpu = "50%"\nmemory = "50%"\ngpus = "all"\n'), bare)
    assert resolved.offer["gpus"] == []
    assert resolved.warnings == (
        'gpus = "all" but this machine has no GPU (none found); none offered',
    )
    assert resolved.address_warnings == (ETHEREUM_REFUSED_BY_DMS,)  # an Ethereum address
