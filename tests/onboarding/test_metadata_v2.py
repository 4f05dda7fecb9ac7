"""metadataV2.json: DMS's exact form, kept equal to state.json, removed at offboard."""

from __future__ import annotations

import fcntl
import json
import os
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.onboarding import metadata_v2
from app.onboarding.controller import OnboardingController
from app.onboarding.errors import StateError
from app.onboarding.models import CapacityForNunet
from tests.conftest import ETH_ADDRESS
from tests.fakes import fake_machine


def offer(**kw: object) -> CapacityForNunet:
    fields: dict[str, object] = dict(
        cpu=10000, memory=8000, channel="nunet-team", payment_addr=ETH_ADDRESS
    )
    fields.update(kw)
    return CapacityForNunet(**fields)  # type: ignore[arg-type]


def test_render_is_go_marshal_indent_with_omitempty() -> None:
    """Empty fields go (false, 0, "", []), structs stay even when empty, one-space indent."""
    metadata = {
        "name": "node-01",
        "update_timestamp": 1700000000,
        "resource": {"memory_max": 16384, "total_core": 8, "cpu_max": 20800},
        "available": {"cpu": 0, "memory": 0},
        "reserved": {"cpu": 10000, "memory": 8000},
        "network": "nunet-team",
        "public_key": "a<b>&c",
        "node_id": "",
        "allow_cardano": False,
        "gpu_info": [{"name": "RTX", "tot_vram": 24576, "free_vram": 0, "index": 0, "uuid": "x"}],
        "dashboard": "",
        "ntx_price": 0.0,
    }
    assert metadata_v2.render(metadata).decode() == (
        "{\n"
        ' "name": "node-01",\n'
        ' "update_timestamp": 1700000000,\n'
        ' "resource": {\n'
        '  "memory_max": 16384,\n'
        '  "total_core": 8,\n'
        '  "cpu_max": 20800\n'
        " },\n"
        ' "available": {},\n'
        ' "reserved": {\n'
        '  "cpu": 10000,\n'
        '  "memory": 8000\n'
        " },\n"
        ' "network": "nunet-team",\n'
        ' "public_key": "a\\u003cb\\u003e\\u0026c",\n'
        ' "gpu_info": [\n'
        "  {\n"
        '   "name": "RTX",\n'
        '   "tot_vram": 24576,\n'
        '   "free_vram": 0\n'
        "  }\n"
        " ]\n"
        "}"
    )


def test_go_float_form() -> None:
    prices = {0.25: "0.25", 1.0: "1", 100.0: "100", 1e21: "1e+21", 1e-7: "1e-7", 1e-6: "0.000001"}
    for value, text in prices.items():
        assert (
            metadata_v2.render({"ntx_price": value}).decode().endswith(f' "ntx_price": {text}\n}}')
        )


@given(
    st.floats(min_value=1e-6, max_value=1e21, exclude_max=True)
    | st.decimals(min_value=Decimal("0.000001"), max_value=Decimal("100000"), places=6).map(float)
)
def test_the_f_form_is_the_shortest_digits_written_out(value: float) -> None:
    """Go's 'f' form of a float64 is its shortest round-trip digits without an exponent:
    the module writes them out by hand, since status renders the file on every call and
    decimal's import is 0.14x of a bare start. Decimal is the reference here."""
    for number in (value, -value):
        shown = format(Decimal(repr(number)).normalize(), "f")
        assert metadata_v2._go_float(number) == shown
        assert float(shown) == number


def test_written_on_onboard_and_resource_config_removed_at_offboard(
    controller: OnboardingController,
) -> None:
    path = controller.metadata_path
    assert path.name == "metadataV2.json" and path.parent == controller.state_path.parent
    controller.onboard(offer(ntx_price=0.5, cardano=False))
    assert path.stat().st_mode & 0o777 == 0o600
    data = json.loads(path.read_bytes())
    state = json.loads(controller.state_path.read_text())
    assert data["reserved"] == state["metadata"]["reserved"]
    assert "allow_cardano" not in data and "dashboard" not in data and data["ntx_price"] == 0.5
    assert path.read_bytes() == metadata_v2.render(state["metadata"])
    assert controller.status().metadata_path == str(path)
    assert controller.status().problems == ()

    controller.resource_config(offer(cpu=12000, memory=12000, cardano=True))
    data = json.loads(path.read_bytes())
    assert data["reserved"] == {"cpu": 12000, "memory": 12000} and data["allow_cardano"] is True
    assert "ntx_price" not in data  # 0 is left out, as Go's omitempty does

    controller.offboard()
    assert not path.exists()


def test_an_edited_file_is_noted_not_believed_and_the_next_write_mends_it(
    controller: OnboardingController,
) -> None:
    """An interrupted resource-config leaves the file one change ahead of the state:
    the same as a hand edit, so neither is a problem; the state counts."""
    controller.onboard(offer())
    controller.metadata_path.write_text('{"reserved": {"cpu": 1}}')
    status = controller.status()
    assert status.onboarded and status.reserved_cpu == 10000 and status.problems == ()
    assert any("does not match the state file" in note for note in status.notes)
    controller.resource_config(offer(cpu=11000))  # the next write puts it right
    assert (controller.status().problems, controller.status().notes) == ((), ())


def test_a_left_over_file_is_noted_and_offboard_removes_it(
    controller: OnboardingController,
) -> None:
    controller.onboard(offer())
    controller.state_path.write_text("{not json")
    result = controller.offboard(force=True)
    assert not controller.metadata_path.exists(), result
    controller.metadata_path.write_text("{}")
    status = controller.status()
    assert status.problems == ()
    assert any("interrupted onboard or offboard" in note for note in status.notes)
    assert controller.offboard().removed == (f"DMS's metadata file {controller.metadata_path}",)
    assert not controller.metadata_path.exists()


def test_an_onboard_that_cannot_write_the_file_writes_nothing(state_dir: object) -> None:
    """The file is written before the state commits: when it cannot be, nothing is
    committed and no key is left; status says what is in the way, force moves it."""
    ctl = OnboardingController(state_dir, probe=lambda: fake_machine())  # type: ignore[arg-type]
    ctl.store.ensure_dir()
    ctl.metadata_path.mkdir()  # a directory where the file goes: os.replace fails
    (ctl.metadata_path / "x").write_text("")
    with pytest.raises(
        StateError, match=f"cannot write {ctl.metadata_path}: .*nothing was changed"
    ):
        ctl.onboard(offer())
    assert ctl.store.read()["metadata"] is None and not ctl.key_path.exists()
    status = ctl.status()
    assert not status.onboarded
    assert [p.kind for p in status.problems] == ["metadata_file"]
    result = ctl.offboard(force=True)
    assert (
        result.failed == () and (ctl.metadata_path.parent / "metadataV2.json.moved-aside").is_dir()
    )
    ctl.onboard(offer())
    assert ctl.status().problems == ()


def test_the_file_is_synced_while_the_write_still_holds_the_lock(
    controller: OnboardingController,
) -> None:
    """Synced outside the lock, a second writer could commit state.json between a
    write's two steps, and the first writer's late sync would leave metadataV2.json a
    revision behind. So while the file is written or removed, no one else may take
    the lock."""
    store = controller.store
    before, after = store.before_commit, store.after_commit
    assert before is not None and after is not None
    lock_free: list[bool] = []

    def lock_is_free() -> bool:
        fd = os.open(store.lock_path, os.O_RDWR)  # another open file description
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False
        finally:
            os.close(fd)

    def before_watched(old: dict[str, Any], new: dict[str, Any]) -> None:
        lock_free.append(lock_is_free())
        before(old, new)

    def after_watched(state: dict[str, Any]) -> None:
        lock_free.append(lock_is_free())
        after(state)

    store.before_commit, store.after_commit = before_watched, after_watched
    controller.onboard(offer())
    controller.change_offer({"cpu": 11000})
    state = json.loads(controller.state_path.read_text())
    assert controller.metadata_path.read_bytes() == metadata_v2.render(state["metadata"])
    controller.offboard()
    assert not controller.metadata_path.exists()
    assert len(lock_free) >= 6 and not any(lock_free)
