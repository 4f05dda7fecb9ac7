"""The controller's operations on the real store, with a deterministic machine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from app.onboarding import identity
from app.onboarding.controller import OnboardingController
from app.onboarding.errors import NotOnboarded, StateCorrupt, StateError
from app.onboarding.models import CapacityForNunet
from app.onboarding.refusals import AlreadyOnboarded, RuleViolation, WalletError
from tests.conftest import CARDANO_MAINNET, CARDANO_TESTNET, DMS_METADATA_KEYS, ETH_ADDRESS
from tests.fakes import fake_machine

if TYPE_CHECKING:
    from app.wallets import NewWallet

# fake_machine(): 8 cores x 2600 MHz = 20800 MHz (2080-18720), 16384 MB (1639-14745), 200 GB free, 1 GPU


def offer(**kw: object) -> CapacityForNunet:
    fields: dict[str, object] = dict(
        cpu=10000, memory=8000, channel="nunet-team", payment_addr=ETH_ADDRESS, ntx_price=0.5
    )
    fields.update(kw)
    return CapacityForNunet(**fields)  # type: ignore[arg-type]


def test_onboard_writes_dms_metadata_and_identity(controller: OnboardingController) -> None:
    metadata = controller.onboard(offer(disk=50, gpus=(0,)))
    assert metadata.reserved.cpu == 10000 and metadata.reserved.memory == 8000
    assert metadata.available.cpu == 20800 - 10000
    assert metadata.available.memory == 16384 - 8000
    assert metadata.resource.cpu_max == 20800 and metadata.resource.total_core == 8
    assert metadata.node_id.startswith("12D3KooW")
    assert metadata.node_id == identity.load_peer_id(controller.state_dir)
    assert metadata.gpu_info[0].name == "NVIDIA GeForce RTX 3090"
    assert controller.key_path.stat().st_mode & 0o777 == 0o600
    state = json.loads(controller.state_path.read_text())
    assert list(state["metadata"]) == DMS_METADATA_KEYS
    resources = controller.available_resources()
    assert resources is not None
    assert (
        resources.tot_cpu_hz,
        resources.cpu_hz,
        resources.vcpu,
        resources.ram,
        resources.disk,
    ) == (
        10000,
        2600.0,
        3,
        8000,
        50,
    )
    status = controller.status()
    assert status.onboarded and status.is_available and status.problems == ()
    assert status.channel == "nunet-team" and status.node_id == metadata.node_id


def test_refusal_names_field_value_and_range_and_writes_nothing(
    controller: OnboardingController,
) -> None:
    with pytest.raises(RuleViolation) as info:
        controller.onboard(offer(cpu=500, channel="nunet-prod"))
    text = str(info.value)
    assert "cpu 500 MHz is below the minimum 2080 MHz (10 % of 20800 MHz)" in text
    assert "channel 'nunet-prod' is not known" in text
    assert {p.field for p in info.value.problems} == {"cpu", "channel"}
    assert not controller.state_dir.exists() or not controller.state_path.exists()
    assert not identity.identity_exists(controller.state_dir)


@pytest.mark.parametrize(
    ("address", "channel", "ok"),
    [
        (ETH_ADDRESS, "nunet-team", True),
        (ETH_ADDRESS.lower(), "nunet-test", True),
        (ETH_ADDRESS[:-1] + "7", "nunet-team", False),  # checksum no longer matches
        ("0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "nunet-team", False),  # case flipped
        (CARDANO_MAINNET, "nunet-team", True),
        (CARDANO_TESTNET, "nunet-test", True),
        (CARDANO_TESTNET, "nunet-team", True),  # DMS ties no channel to a network
        (CARDANO_MAINNET, "nunet-test", True),  # DMS's own manual does this
        ("addr1garbage", "nunet-team", False),
        ("hello", "nunet-team", False),
        ("", "nunet-team", False),
    ],
)
def test_payment_address_kinds(
    controller: OnboardingController, address: str, channel: str, ok: bool
) -> None:
    problems = [
        p
        for p in controller.validate(offer(payment_addr=address, channel=channel))
        if p.field == "payment_addr"
    ]
    assert (problems == []) is ok, problems


def test_cardano_node_needs_the_minimums(state_dir: Path) -> None:
    small = OnboardingController(
        state_dir, probe=lambda: fake_machine(cores=4, mhz=2000, memory_mb=12000)
    )
    with pytest.raises(RuleViolation, match="a Cardano node needs at least 10000 MB"):
        small.onboard(offer(cpu=5000, memory=9000, cardano=True))
    big = OnboardingController(state_dir, probe=lambda: fake_machine())
    assert big.onboard(offer(cpu=6000, memory=10000, cardano=True)).allow_cardano


def test_onboarding_twice_points_to_resource_config(controller: OnboardingController) -> None:
    controller.onboard(offer())
    before = controller.state_path.read_bytes()
    with pytest.raises(AlreadyOnboarded, match="resource-config"):
        controller.onboard(offer(cpu=5000))
    assert controller.state_path.read_bytes() == before


def test_resource_config_recomputes_available(controller: OnboardingController) -> None:
    with pytest.raises(NotOnboarded):
        controller.resource_config(offer())
    first = controller.onboard(offer())
    changed = controller.resource_config(offer(cpu=15000, memory=4000))
    assert changed.node_id == first.node_id
    assert changed.reserved.cpu == 15000 and changed.available.cpu == 20800 - 15000
    assert changed.available.memory == 16384 - 4000
    assert controller.get_metadata() == changed
    resources = controller.available_resources()
    assert resources is not None and resources.tot_cpu_hz == 15000 and resources.ram == 4000
    with pytest.raises(RuleViolation, match="above the maximum 18720 MHz"):
        controller.resource_config(offer(cpu=19000))
    assert controller.get_metadata() == changed


def test_offboard_removes_onboarding_but_keeps_wallets(controller: OnboardingController) -> None:
    with pytest.raises(NotOnboarded):
        controller.offboard()
    controller.onboard(offer())
    from app.onboarding import wallet_ops

    wallet_ops.record_wallet(controller, _public_wallet(), "wallet-new", backup_checked=False)
    plan = controller.offboard_plan()
    assert any("node identity" in item for item in plan.remove)
    assert any("wallet record" in item for item in plan.keep)
    result = controller.offboard()
    assert result.failed == ()
    assert not identity.identity_exists(controller.state_dir)
    status = controller.status()
    assert not status.onboarded and status.problems == ()
    assert controller.wallets()[0]["address"] == ETH_ADDRESS
    assert [h["action"] for h in controller.history()] == ["onboard", "wallet-new", "offboard"]


def _public_wallet() -> NewWallet:
    from app.wallets import NewWallet

    return NewWallet(
        chain="ethereum",
        network="mainnet",
        account=0,
        address=ETH_ADDRESS,
        mnemonic="",
        private_key=None,
        stake_address=None,
    )


def test_inconsistent_state_is_reported_and_force_cleans_it(
    controller: OnboardingController,
) -> None:
    controller.onboard(offer())
    controller.key_path.unlink()
    status = controller.status()
    assert not status.onboarded
    assert status.problems[0].kind == "inconsistent"
    assert "offboard --force" in status.problems[0].fix
    with pytest.raises(StateError, match="--force"):
        controller.offboard()
    with pytest.raises(StateError, match="inconsistent"):
        controller.onboard(offer())
    result = controller.offboard(force=True)
    assert result.failed == ()
    assert controller.status().problems == ()
    controller.onboard(offer())  # a clean start works


def test_a_key_the_state_does_not_name_is_a_leftover_that_offboard_removes(
    controller: OnboardingController,
) -> None:
    controller.state_dir.mkdir(mode=0o700)
    identity.create_identity(controller.state_dir)
    status = controller.status()
    assert (status.onboarded, status.problems) == (False, ())
    assert any(f"a node identity {controller.key_path} is left" in n for n in status.notes)
    result = controller.offboard()  # no force needed: the state says what is true
    assert result.removed == (f"the node identity {controller.key_path}",)
    assert not identity.key_present(controller.state_dir)
    assert controller.status().notes == ()


def test_corrupt_state_status_and_forced_offboard(controller: OnboardingController) -> None:
    controller.onboard(offer())
    controller.state_path.write_text("{ not json")
    status = controller.status()
    assert not status.onboarded and status.problems[0].kind == "corrupt"
    assert "offboard --force" in (status.error or "")
    with pytest.raises(StateCorrupt):
        controller.offboard()
    result = controller.offboard(force=True)
    assert result.failed == ()
    kept = list(controller.state_dir.glob("state.json.unreadable-*"))
    assert len(kept) == 1 and kept[0].read_text() == "{ not json"
    assert not controller.state_path.exists()
    assert controller.status().problems == ()


def test_drift_is_reported_when_hardware_shrinks(state_dir: Path) -> None:
    OnboardingController(state_dir, probe=lambda: fake_machine()).onboard(offer(memory=14000))
    shrunk = OnboardingController(state_dir, probe=lambda: fake_machine(cgroup_memory_mb=8192))
    status = shrunk.status()
    assert status.onboarded
    (problem,) = status.problems
    assert problem.kind == "drift"
    assert "memory 14000 MB is above the maximum 7372 MB" in problem.message
    assert "resource-config" in problem.fix


def test_gpu_removed_after_onboarding_is_drift(state_dir: Path) -> None:
    OnboardingController(state_dir, probe=lambda: fake_machine(gpus=2)).onboard(offer(gpus=(1,)))
    status = OnboardingController(state_dir, probe=lambda: fake_machine(gpus=1)).status()
    assert [p.kind for p in status.problems] == ["drift"]
    assert "gpu 1 does not exist" in status.problems[0].message


def test_create_payment_address_dms_api(controller: OnboardingController) -> None:
    with pytest.raises(WalletError, match="invalid wallet 'bitcoin'; allowed: ethereum, cardano"):
        controller.create_payment_address("bitcoin")
    eth = controller.create_payment_address("ethereum")
    assert eth.address.startswith("0x") and eth.private_key.startswith("0x")
    assert len(eth.mnemonic.split()) == 24
    assert "hidden" in repr(eth) and eth.mnemonic not in repr(eth)
    ada = controller.create_payment_address("cardano", network="testnet")
    assert ada.address.startswith("addr_test1")
    records = controller.wallets()
    assert [r["address"] for r in records] == [eth.address, ada.address]
    state_text = controller.state_path.read_text()
    for secret in (eth.mnemonic, eth.private_key, eth.private_key[2:], ada.mnemonic):
        assert secret not in state_text
    for word_run in (" ".join(eth.mnemonic.split()[i : i + 3]) for i in range(0, 21, 3)):
        assert word_run not in state_text
