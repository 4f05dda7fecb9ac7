"""Each refusal names its field, what was wrong and what is allowed.

Each refusal must name the field it is about (the TUI puts the message under that
field, the CLI names the flag) and say what was wrong and what is allowed; a blank message or a renamed field fails here.
"""

from __future__ import annotations

import pytest

from app.onboarding import rules
from app.onboarding.errors import Problem


def _field_and_text(problem: Problem | None) -> tuple[str, str]:
    assert problem is not None
    assert isinstance(problem.message, str) and problem.message
    return problem.field, problem.message


@pytest.mark.parametrize("channel", ["", "   "])
def test_no_channel_is_a_channel_problem(channel: str) -> None:
    field, text = _field_and_text(rules.check_channel(channel))
    assert field == "channel"
    assert "no channel chosen" in text and "nunet-team" in text


def test_unknown_channel_is_a_channel_problem() -> None:
    field, text = _field_and_text(rules.check_channel("nunet-prod"))
    assert field == "channel"
    assert "'nunet-prod'" in text and all(c in text for c in rules.CHANNELS)


@pytest.mark.parametrize("cores", [0, 5])
def test_cores_refusal_names_the_range(cores: int) -> None:
    field, text = _field_and_text(rules.check_cores(cores, 4))
    assert field == "cores"
    assert f"cores {cores}" in text and "1-4" in text


def test_disk_refusal_names_the_free_space() -> None:
    field, text = _field_and_text(rules.check_disk(300, 200))
    assert field == "disk"
    assert "disk 300 GB" in text and "200 GB free" in text and "0-200 GB" in text


def test_negative_disk_is_refused() -> None:
    assert _field_and_text(rules.check_disk(-1, 200))[0] == "disk"


@pytest.mark.parametrize("price", [-0.5, float("nan")])
def test_price_refusal_names_the_field(price: float) -> None:
    field, text = _field_and_text(rules.check_price(price))
    assert field == "ntx_price"
    assert "0 or more NTX per minute" in text


def test_a_gpu_named_twice_is_a_gpus_problem() -> None:
    field, text = _field_and_text(rules.check_gpus([0, 0], [0, 1]))
    assert field == "gpus"
    assert "[0, 0]" in text and "twice" in text


def test_a_gpu_on_a_machine_without_gpus_says_none_was_found() -> None:
    field, text = _field_and_text(rules.check_gpus([0], []))
    assert field == "gpus"
    assert text == "gpu 0 does not exist; allowed indices: none (no GPU was found)"


@pytest.mark.parametrize(("field", "unit"), [("cpu", "MHz"), ("memory", "MB")])
def test_a_share_problem_is_about_its_own_field(field: str, unit: str) -> None:
    low = rules.check_share(field, unit, 1, 10000)
    high = rules.check_share(field, unit, 9999, 10000)
    # On a total of 1, DMS's truncated bounds are 0-0: 0 is allowed, 1 is above them.
    tiny = rules.check_share(field, unit, 1, 1)
    assert rules.check_share(field, unit, 0, 1) is None
    for problem in (low, high, tiny):
        assert problem is not None and problem.field == field
        assert problem.message == f"{field} {problem.detail}" and unit in problem.detail
        assert problem.said_as("--flag") == f"--flag: {problem.detail}"
    assert tiny is not None and tiny.detail == (
        f"1 {unit} is above the maximum 0 {unit} (90 % of 1 {unit}); allowed 0-0 {unit}"
    )
