"""The records onboarding writes, field by field: GPU facts,
AvailableResources' per-core figures, the history entry and public wallet facts."""

from __future__ import annotations

import re
import socket

from app.onboarding.models import CapacityForNunet
from app.onboarding.records import build_records, describe, history_entry, public_wallet_facts
from app.wallets import NewWallet
from tests.conftest import ETH_ADDRESS
from tests.fakes import fake_gpu, fake_machine


def offer(**kw: object) -> CapacityForNunet:
    fields: dict[str, object] = dict(
        cpu=2600, memory=4096, channel="nunet-team", payment_addr=ETH_ADDRESS, ntx_price=0.25
    )
    fields.update(kw)
    return CapacityForNunet(**fields)  # type: ignore[arg-type]


def test_gpu_info_keeps_every_fact_of_every_card() -> None:
    # DMS's Check_gpu records every GPU of the machine; the offer's gpus only say which
    # of them are offered, so a card not offered is listed too.
    machine = fake_machine(gpus=2)
    metadata, _ = build_records(machine, offer(gpus=(1,)), "node")
    assert [g.model_dump() for g in metadata.gpu_info] == [
        {
            "name": "NVIDIA GeForce RTX 3090",
            "tot_vram": 24576,
            "free_vram": 24000,
            "index": index,
            "vendor": "nvidia",
            "driver": "550.54.14",
            "uuid": fake_gpu(index).uuid,
        }
        for index in (0, 1)
    ]
    none_offered, _ = build_records(machine, offer(), "node")
    assert none_offered.gpu_info == metadata.gpu_info


def test_metadata_keeps_the_price_the_hostname_and_no_dashboard() -> None:
    metadata, resources = build_records(fake_machine(hostname="node-07"), offer(), "node")
    assert metadata.name == "node-07"
    assert metadata.ntx_price == 0.25 and resources.ntx_price == 0.25
    assert metadata.dashboard == ""


def test_an_unknown_hostname_falls_back_to_the_system_one() -> None:
    metadata, _ = build_records(fake_machine(hostname=""), offer(), "node")
    assert metadata.name == socket.gethostname()


def test_cpu_no_is_the_usable_cores_and_vcpus_follow_the_offer() -> None:
    # DMS: CpuNo is the machine's cores (here the usable ones, after cpuset and quota),
    # whatever the offer; CpuHz is the clock as measured, not rounded.
    machine = fake_machine(cores=8, mhz=2596.789)._replace(usable_cores=6)
    _, small = build_records(machine, offer(cpu=1000), "node")
    assert (small.cpu_no, small.vcpu) == (6, 0)  # less than one core: no whole vCPU
    assert small.cpu_hz == 2596.789
    _, three = build_records(machine, offer(cpu=7000), "node")
    assert (three.cpu_no, three.vcpu) == (6, 2)
    _, chosen = build_records(machine, offer(cpu=7000, cores=5), "node")
    assert chosen.cpu_no == 6


def test_an_unknown_clock_counts_one_mhz_per_core() -> None:
    machine = fake_machine(cores=4, mhz=0.0)
    _, resources = build_records(machine, offer(cpu=3), "node")
    assert (resources.cpu_hz, resources.vcpu, resources.cpu_no) == (1.0, 3, 4)


def test_describe_lists_the_offer_in_one_line() -> None:
    text = describe(offer(disk=20, gpus=(0, 2)))
    assert text == "cpu 2600 MHz, memory 4096 MB, channel nunet-team, disk 20 GB, gpus 0,2"


def test_history_entry_is_utc_to_the_second() -> None:
    entry = history_entry("onboard", offer())
    assert set(entry) == {"time", "action", "detail"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", entry["time"]), entry["time"]
    assert entry["action"] == "onboard" and entry["detail"] == describe(offer())
    assert history_entry("offboard")["detail"] == ""
    assert history_entry("offboard", offer(), detail="forced")["detail"] == "forced"


def _wallet(chain: str, network: str) -> NewWallet:
    return NewWallet(
        chain=chain, network=network, account=0, address="addr", mnemonic="m", private_key=None
    )


def test_an_ethereum_wallet_has_no_network_and_a_cardano_one_keeps_it() -> None:
    eth = public_wallet_facts(_wallet("ethereum", "mainnet"))
    assert eth["network"] is None and eth["chain"] == "ethereum"
    ada = public_wallet_facts(_wallet("cardano", "preprod"))
    assert ada["network"] == "preprod"
    assert "mnemonic" not in ada and "private_key" not in ada
