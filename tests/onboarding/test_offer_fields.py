"""The table of the offer's fields is the one description of the offer: what is written
out elsewhere (the pydantic model, for the type checker; the flags' help) agrees with it,
and what is derived from it (the state's shape, the file's keys, the flags, the labels)
covers every field."""

from __future__ import annotations

import argparse
from typing import Any

import pytest
from pydantic import BaseModel

from app.onboarding import offer_fields, offer_file, plan, state_schema
from app.onboarding.models import CapacityForNunet
from app.onboarding.offer_fields import BY_NAME, DEFAULTS, FIELDS, KINDS, NAMES
from app.onboarding.state_schema import ShapeError
from tests.conftest import ETH_ADDRESS
from tests.fakes import fake_machine

# One good and one bad stored value of each kind, the bad one refused by the model too.
SAMPLES: dict[str, tuple[Any, Any]] = {
    "whole": (5, -1),
    "number": (0.5, -0.5),
    "text": ("x", 5),
    "flag": (True, "yes please"),
    "indices": ([0, 1], [-1]),
    "count": (None, -2),
}


def test_the_model_has_the_tables_fields_required_and_defaults() -> None:
    fields = CapacityForNunet.model_fields
    assert set(fields) == set(NAMES)
    for name, field in fields.items():
        row = BY_NAME[name]
        assert field.is_required() == row.required, name
        if not row.required:
            assert field.get_default() == row.default, name
    assert {n: f.get_default() for n, f in fields.items() if not f.is_required()} == DEFAULTS


@pytest.mark.parametrize("row", FIELDS, ids=NAMES)
def test_the_model_and_the_state_check_take_and_refuse_the_same_values(
    row: offer_fields.OfferField,
) -> None:
    assert row.kind in KINDS
    good, bad = SAMPLES[row.kind]
    base: dict[str, Any] = {
        "cpu": 1000, "memory": 1000, "channel": "nunet-team", "payment_addr": ETH_ADDRESS,
    }  # fmt: skip
    checks = {**state_schema.OFFER_REQUIRED, **state_schema.OFFER_OPTIONAL}
    checks[row.name](good, f"offer.{row.name}")
    CapacityForNunet(**{**base, row.name: good})
    with pytest.raises(ShapeError, match=f"offer.{row.name}"):
        checks[row.name](bad, f"offer.{row.name}")
    with pytest.raises(ValueError, match=row.name):
        CapacityForNunet(**{**base, row.name: bad})


def test_the_state_check_is_the_tables() -> None:
    assert set(state_schema.OFFER_REQUIRED) == {f.name for f in FIELDS if f.required}
    assert set(state_schema.OFFER_OPTIONAL) == {f.name for f in FIELDS if not f.required}


def test_an_offer_file_takes_a_key_for_every_field_and_fills_every_field() -> None:
    assert set(offer_file.KEYS) == {"state", "force", *(f.key for f in FIELDS)}
    assert set(offer_file._PARSERS) == set(offer_file.KEYS)
    assert set(offer_file.Target._fields) >= {f.key for f in FIELDS}
    text = f'cpu = "50%"\nmemory = "50%"\nchannel = "nunet-team"\naddress = "{ETH_ADDRESS}"\n'
    resolved = offer_file.resolve(offer_file.load_target(text), fake_machine())
    assert set(resolved.offer) == set(NAMES) == set(plan.OFFER_KEYS)
    stored = CapacityForNunet(**{**resolved.offer, "gpus": ()}).model_dump(mode="json")
    assert plan.offer_view(stored) == resolved.offer


def _offer_actions(command: str) -> dict[str, list[str]]:
    from app.cli import build

    parser = build()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    flags: dict[str, list[str]] = {}
    for action in sub.choices[command]._actions:
        flags.setdefault(action.dest, []).extend(action.option_strings)
    return flags


@pytest.mark.parametrize("command", ["onboard", "resource-config"])
def test_every_field_is_set_by_its_flags_and_dms_flags(command: str) -> None:
    taken = _offer_actions(command)
    for row in FIELDS:
        assert taken[row.name] == list(row.flags), row.name
        assert set(row.dms_flags) <= set(row.flags), row.name


def test_every_field_has_a_label_and_each_label_is_its_own() -> None:
    from app.tui.field_messages import LABELS

    assert set(LABELS) == set(NAMES)
    assert len(set(LABELS.values())) == len(LABELS)
    assert all(LABELS.values())


def test_a_field_row_is_a_value_with_its_file_key() -> None:
    assert BY_NAME["payment_addr"].key == "address"
    assert BY_NAME["cpu"].key == "cpu"
    assert not issubclass(offer_fields.OfferField, BaseModel)  # status's path: no pydantic


def test_a_person_reads_every_field_once_and_the_form_leaves_out_the_command_line_only_ones() -> (
    None
):
    assert sorted(f.name for f in offer_fields.READING_ORDER) == sorted(NAMES)
    form = [f.name for f in offer_fields.ON_FORM]
    assert "server_mode" not in form and "cores" not in form
    assert form == [f.name for f in offer_fields.READING_ORDER if f.on_form]


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [
        ("cpu", 2596, "2596 MHz"),
        ("memory", 12345, "12345 MB (12.1 GiB)"),
        ("memory", 1000, "1000 MB"),
        ("disk", 0, "0 GB"),
        ("ntx_price", 0.1234567, "0.1234567 NTX/min"),  # every digit: a form round-trips it
        ("ntx_price", 2.0, "2 NTX/min"),
        ("gpus", [0, 2], "GPU 0, GPU 2"),
        ("gpus", [], "none"),
        ("cores", None, "as many as needed"),
        ("cores", 3, "3"),
        ("channel", "nunet-team", "nunet-team"),
        ("payment_addr", "", "none"),
        ("cardano", False, "no"),
        ("is_available", True, "yes"),
    ],
)
def test_each_value_shows_with_its_unit(name: str, value: Any, shown: str) -> None:
    assert BY_NAME[name].show(value) == shown


def test_every_field_has_its_flags_help_and_a_value_name_unless_it_is_a_switch() -> None:
    for row in FIELDS:
        assert row.help, row.name
        assert bool(row.metavar) == (row.kind != "flag"), row.name


@pytest.mark.parametrize("command", ["onboard", "resource-config"])
def test_each_flag_reads_its_value_by_the_fields_kind_and_unit(command: str) -> None:
    from app.cli import parse

    argv = [command, "-c", "2.6GHz", "-m", "8GiB", "--disk", "100GiB", "-x", "0.5", "--cores", "3"]
    argv += ["--gpus", "0,2", "-n", "nunet-team", "-a", ETH_ADDRESS, "-C=false", "-l", "-u"]
    args = parse(argv)
    sizes = (args.cpu, args.memory, args.disk, args.ntx_price, args.cores)
    assert sizes == (2600, 8192, 100, 0.5, 3)
    assert (args.gpus, args.cardano, args.server_mode, args.is_available) == (
        (0, 2),
        False,
        True,
        False,
    )


def test_the_form_keeps_where_and_how_to_be_paid_after_offboarding_not_what_is_offered() -> None:
    kept = [f.name for f in offer_fields.ON_FORM if f.kept_after_offboard]
    assert kept == ["channel", "ntx_price", "payment_addr"]
    assert all(f.on_form for f in FIELDS if f.kept_after_offboard)  # only the form keeps values
