"""metadataV2.json at its edges: a file that cannot be
read is reported with the system's reason in words, Go's form of a zero float, and a
symlink or a huge file in the file's place (replaced, neither followed nor read whole)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from app.onboarding import metadata_v2
from app.onboarding.controller import OnboardingController
from app.onboarding.models import CapacityForNunet
from tests.conftest import ETH_ADDRESS
from tests.onboarding.log_lines import logged

OFFER = CapacityForNunet(cpu=5000, memory=8000, channel="nunet-team", payment_addr=ETH_ADDRESS)


def test_a_metadata_file_that_cannot_be_read_says_why_in_words(
    controller: OnboardingController,
) -> None:
    controller.onboard(OFFER)
    controller.metadata_path.unlink()
    controller.metadata_path.mkdir()
    (problem,) = controller.status().problems
    assert problem.kind == "metadata_file"
    assert problem.message.startswith(
        f"{controller.metadata_path} cannot be read (it is a directory); it is derived from "
    )


def test_zero_is_written_as_go_writes_it() -> None:
    assert metadata_v2._go_float(0.0) == "0"


def test_values_are_encoded_as_go_encodes_them() -> None:
    assert metadata_v2._encode([], 0) == "[]"
    assert metadata_v2._encode([1, 2], 0) == "[\n 1,\n 2\n]"
    assert metadata_v2._encode(False, 0) == "false"
    assert metadata_v2._encode(True, 0) == "true"
    assert metadata_v2._go_string('a b"\\\n\t<>&') == '"a b\\"\\\\\\n\\t\\u003c\\u003e\\u0026"'


def test_a_gpu_record_missing_a_field_gets_gos_zero_value() -> None:
    form = metadata_v2.dms_form({"gpu_info": [{"name": "RTX"}, {"tot_vram": 5}]})
    assert form["gpu_info"] == [
        {"name": "RTX", "tot_vram": 0, "free_vram": 0},
        {"name": "", "tot_vram": 5, "free_vram": 0},
    ]


def test_a_symlink_in_the_files_place_is_replaced_not_followed(
    controller: OnboardingController, tmp_path: Path
) -> None:
    """Even when the file it points at already holds the right bytes: the link goes, the
    file it pointed at is left alone."""
    controller.onboard(OFFER)
    target = controller.metadata_path
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(target.read_bytes())
    target.unlink()
    target.symlink_to(elsewhere)
    state = json.loads(controller.state_path.read_text())
    metadata_v2.sync(controller.state_dir, state)
    assert not target.is_symlink()
    assert target.read_bytes() == elsewhere.read_bytes() == metadata_v2.render(state["metadata"])


def test_a_huge_file_in_the_files_place_is_not_read_whole(
    controller: OnboardingController,
) -> None:
    """A sparse file of 4 TiB: read whole it would not fit in memory; it is replaced."""
    controller.onboard(OFFER)
    target = controller.metadata_path
    target.unlink()
    with target.open("wb") as fh:
        fh.truncate(1 << 42)
    state = json.loads(controller.state_path.read_text())
    metadata_v2.sync(controller.state_dir, state)
    assert target.read_bytes() == metadata_v2.render(state["metadata"])


def test_none_is_written_as_go_writes_nil() -> None:
    assert metadata_v2._encode(None, 0) == "null"
    assert metadata_v2._encode({"a": None}, 0) == '{\n "a": null\n}'


def test_a_metadata_file_that_cannot_be_written_is_logged_and_the_write_stands(
    controller: OnboardingController,
) -> None:
    controller.onboard(OFFER)
    revision = controller.revision()
    controller.metadata_path.unlink()
    controller.metadata_path.mkdir()
    with logged(logging.WARNING, "nunet_onboard.metadata") as lines:
        controller.store.update(lambda s: None)
    assert lines == [f"could not update {controller.metadata_path}: Is a directory"]
    assert controller.revision() == revision + 1
