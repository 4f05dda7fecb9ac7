"""Status at its edges: offers stored without the optional
fields (older or hand-edited files read as the model reads them), drift of each field, the
GPU notes word for word, the metadata file's fix, and the machine id (the files read are
the machine boundary, served here from a tmp dir)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.hardware.model import GpuReport, MachineInfo
from app.onboarding import status as status_module
from app.onboarding.controller import OnboardingController
from app.onboarding.models import CapacityForNunet
from app.onboarding.status import MACHINE_ID_FILES, machine_uuid
from tests.conftest import ETH_ADDRESS
from tests.fakes import fake_machine

OFFER = CapacityForNunet(cpu=5000, memory=8000, channel="nunet-team", payment_addr=ETH_ADDRESS)
RESOURCE_CONFIG = "change the offer with 'nunet-onboard resource-config' (or the Allocate screen)"


def edit_offer(ctl: OnboardingController, change: Any) -> None:
    data = json.loads(ctl.state_path.read_text())
    change(data["offer"])
    ctl.state_path.write_text(json.dumps(data))


def with_gpus(machine: MachineInfo, report: GpuReport) -> MachineInfo:
    return machine._replace(gpus=report)


# -- an offer stored without its optional fields -----------------------------------------------
@pytest.mark.parametrize("field", ["is_available", "cardano", "disk", "cores", "gpus"])
def test_an_offer_stored_without_an_optional_field_reads_as_the_model_reads_it(
    controller: OnboardingController, field: str
) -> None:
    controller.onboard(OFFER)
    edit_offer(controller, lambda o: o.pop(field))
    offer = controller.current_offer()
    assert offer is not None
    status = controller.status()
    assert status.onboarded is True and status.problems == ()
    assert status.is_available is offer.is_available is True


def test_no_disk_offered_fits_a_full_disk(state_dir: Path) -> None:
    OnboardingController(state_dir, probe=lambda: fake_machine()).onboard(OFFER)
    full = OnboardingController(state_dir, probe=lambda: fake_machine(disk_free_gb=0))
    edit_offer(full, lambda o: o.pop("disk"))
    assert full.status().problems == ()


# -- drift, field by field ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "says"),
    [
        # Not the disk: free space below a standing offer is a warning, not drift
        # (tests/onboarding/test_disk_standing_offer.py).
        ({"cores": 16}, "cores 16 is outside the allowed 1-8"),
        ({"cardano": True}, "a Cardano node needs at least 6000 MHz of CPU; 5000 MHz offered"),
    ],
    ids=["cores", "cardano"],
)
def test_each_stored_field_is_checked_against_the_machine(
    controller: OnboardingController, change: dict[str, Any], says: str
) -> None:
    controller.onboard(OFFER)
    edit_offer(controller, lambda o: o.update(change))
    problems = controller.status().problems
    assert {(p.kind, p.fix) for p in problems} == {("drift", RESOURCE_CONFIG)}
    assert f"the offer no longer fits this machine: {says}" in [p.message for p in problems]


def test_an_offer_without_metadata_is_not_checked_for_drift(
    controller: OnboardingController,
) -> None:
    controller.onboard(OFFER)
    controller.key_path.unlink()
    data = json.loads(controller.state_path.read_text())
    data["metadata"] = None
    data["offer"]["cpu"] = 99999  # would not fit, but nothing is onboarded to drift
    controller.state_path.write_text(json.dumps(data))
    kinds = [p.kind for p in controller.status().problems]
    assert "drift" not in kinds


# -- the GPU notes -----------------------------------------------------------------------------
def test_gpus_not_probed_are_noted_word_for_word(state_dir: Path) -> None:
    OnboardingController(state_dir, probe=lambda: fake_machine(gpus=2)).onboard(
        OFFER.model_copy(update={"gpus": (0, 1)})
    )
    fast = with_gpus(fake_machine(gpus=0), GpuReport(probed=False))
    status = OnboardingController(state_dir, probe=lambda: fast).status()
    assert status.problems == ()
    assert status.notes == (
        "the offered GPUs (0, 1) were not checked: status does not run the GPU tools; "
        "'nunet-onboard capacity' shows them",
    )


def test_gpus_that_could_not_be_read_are_noted_with_each_fault(state_dir: Path) -> None:
    OnboardingController(state_dir, probe=lambda: fake_machine()).onboard(
        OFFER.model_copy(update={"gpus": (0,)})
    )
    broken = with_gpus(
        fake_machine(gpus=0),
        GpuReport(faults=("nvidia-smi timed out", "NVML failed")),
    )
    status = OnboardingController(state_dir, probe=lambda: broken).status()
    assert status.problems == ()
    assert status.notes == (
        "the GPUs could not be read (nvidia-smi timed out; NVML failed); the offered GPUs "
        "are kept as they are",
    )


def test_the_notes_are_in_the_json_form_as_a_list_under_their_own_name(state_dir: Path) -> None:
    """`status --json` prints to_dict(): the notes once, as a list, beside the other fields."""
    OnboardingController(state_dir, probe=lambda: fake_machine(gpus=2)).onboard(
        OFFER.model_copy(update={"gpus": (0, 1)})
    )
    fast = with_gpus(fake_machine(gpus=0), GpuReport(probed=False))
    status = OnboardingController(state_dir, probe=lambda: fast).status()
    data = status.to_dict()
    assert list(data) == list(status_module.OnboardingStatus._fields)
    assert data["notes"] == list(status.notes)
    assert len(data["notes"]) == 1 and data["notes"][0].startswith("the offered GPUs (0, 1)")


# -- the metadata file ---------------------------------------------------------------------------
def test_a_metadata_file_that_differs_says_how_it_is_put_right(
    controller: OnboardingController,
) -> None:
    controller.onboard(OFFER)
    controller.metadata_path.write_text("{}")
    status = controller.status()
    assert status.problems == ()
    assert status.notes == (
        f"{controller.metadata_path} does not match the state file (left by an interrupted "
        "change, or edited by hand); the state file is what counts, and the next write or "
        "apply rewrites it",
    )


def test_a_missing_metadata_file_says_how_it_is_put_right(
    controller: OnboardingController,
) -> None:
    """No interrupted write removes it while the state has metadata: that is a problem."""
    controller.onboard(OFFER)
    controller.metadata_path.unlink()
    (problem,) = controller.status().problems
    assert problem.kind == "metadata_file"
    assert problem.fix == (
        "it is rewritten by the next onboard, resource-config or apply; "
        "'nunet-onboard offboard --force' moves a directory in its place aside"
    )


# -- the machine id ------------------------------------------------------------------------------
ETC_ID = "0123456789abcdef0123456789abcdef"
DBUS_ID = "fedcba9876543210fedcba9876543210"


@pytest.fixture
def machine_ids(tmp_path: Path) -> dict[str, str]:
    """What each machine-id file holds (absent when not in the dict), as files in
    ``tmp_path`` that ``read_ids`` hands to ``machine_uuid`` in the system's order."""
    return {}


def read_ids(files: dict[str, str], tmp_path: Path) -> str:
    places = []
    for name in MACHINE_ID_FILES:
        place = tmp_path / name.strip("/").replace("/", "_")
        if name in files:
            place.write_text(files[name])
        places.append(str(place))
    return machine_uuid(tuple(places))


def test_the_machine_id_comes_from_etc_first(machine_ids: dict[str, str], tmp_path: Path) -> None:
    machine_ids["/etc/machine-id"] = ETC_ID + "\n"
    machine_ids["/var/lib/dbus/machine-id"] = DBUS_ID + "\n"
    assert read_ids(machine_ids, tmp_path) == "01234567-89ab-cdef-0123-456789abcdef"


def test_the_machine_id_falls_back_to_dbus(machine_ids: dict[str, str], tmp_path: Path) -> None:
    machine_ids["/var/lib/dbus/machine-id"] = DBUS_ID
    assert read_ids(machine_ids, tmp_path) == "fedcba98-7654-3210-fedc-ba9876543210"
    machine_ids["/etc/machine-id"] = "uninitialized\n"  # not 32 characters: skipped
    assert read_ids(machine_ids, tmp_path) == "fedcba98-7654-3210-fedc-ba9876543210"


def test_no_machine_id_is_unknown(machine_ids: dict[str, str], tmp_path: Path) -> None:
    assert read_ids(machine_ids, tmp_path) == "unknown"


def test_a_machine_id_that_is_not_text_is_unknown_not_a_traceback(tmp_path: Path) -> None:
    garbled = tmp_path / "machine-id"
    garbled.write_bytes(b"\xff\xfe" * 20)
    assert machine_uuid((str(garbled),)) == "unknown"


def test_the_machine_ids_are_systemds_then_dbuss() -> None:
    assert MACHINE_ID_FILES == ("/etc/machine-id", "/var/lib/dbus/machine-id")
