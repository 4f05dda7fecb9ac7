"""A refusal in an offer file names the line of the key it is about: the first line that
starts with that key, in TOML (``key = ...``) and in JSON (``"key": ...``, also after
the ``{`` or ``,`` that opens the line)."""

from __future__ import annotations

import pytest

from app.onboarding.offer_file import TargetError, _key_lines, load_target

TOML = "\n".join(
    [
        "cpu = 5",  # 1
        "  memory=8",  # 2
        "a b = 3",  # 3: not a key of one word
        "_ = 1",  # 4
        "x.y = 2",  # 5: a dotted key is no key of ours
        '"q" = 1',  # 6: a quoted key neither
        "ntx_price\t= 0.5",  # 7
        "= 3",  # 8
        "é = 1",  # 9: not ASCII
        "cpu = 6",  # 10: the first line counts
        "channel",  # 11: no "="
        "cpu5 = 1",  # 12: not letters and underscores
    ]
)
JSON = "\n".join(
    [
        '{"state": "onboarded",',  # 1
        '  "cpu": 5,',  # 2
        '  "memory" : 8',  # 3
        '  , "channel": "x"',  # 4
        '"address":"y",',  # 5
        '   {"nested": 1}',  # 6
        '  "bad key": 1,',  # 7
        '  "cpu": 7,',  # 8: the first line counts
        '  "gpus" 5,',  # 9: no ":"
        "  'disk': 1,",  # 10: not JSON's quote
        '  "_": 1,',  # 11
        '  [ "cores": 1 ]',  # 12: only { or , may open the line
        '  "price',  # 13: no closing quote
        "}",
    ]
)


def test_each_toml_key_is_found_on_its_first_line() -> None:
    assert _key_lines(TOML, is_json=False) == {"cpu": 1, "memory": 2, "_": 4, "ntx_price": 7}


def test_each_json_key_is_found_on_its_first_line() -> None:
    assert _key_lines(JSON, is_json=True) == {
        "state": 1, "cpu": 2, "memory": 3, "channel": 4, "address": 5, "nested": 6, "_": 11,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("text", "name", "said"),
    [
        ("cpu = 5\n\n  bogus = 1\n", "offer.toml", "offer.toml line 3: bogus is not a known key"),
        ('{\n  "cpu": 5,\n  "bogus": 1\n}', "offer.json", "offer.json line 3: bogus is not"),
    ],
)
def test_a_refusal_names_the_line_of_its_key(text: str, name: str, said: str) -> None:
    with pytest.raises(TargetError) as caught:
        load_target(text, name=name)
    assert str(caught.value).startswith(said)
