"""apply's file: parsing (TOML and JSON, each bad key named with its line) and resolving
percentages on a machine, with the real parser and the fake machine of tests/fakes.py."""

from __future__ import annotations

import pytest

from app.onboarding.addresses import ETHEREUM_REFUSED_BY_DMS
from app.onboarding.offer_file import TargetError, load_target, resolve
from tests.conftest import ETH_ADDRESS
from tests.fakes import fake_machine

BASE = f'channel = "nunet-team"\naddress = "{ETH_ADDRESS}"\n'


def toml(extra: str) -> str:
    return BASE + extra


def test_percentages_resolve_against_this_machines_usable_totals() -> None:
    target = load_target(toml('cpu = "50%"\nmemory = "60%"\ndisk = "10%"\n'))
    small = resolve(target, fake_machine(cores=4, mhz=2000, memory_mb=8192, disk_total_gb=100))
    big = resolve(target, fake_machine(cores=32, mhz=3000, memory_mb=131072, disk_total_gb=2000))
    assert (small.offer["cpu"], small.offer["memory"], small.offer["disk"]) == (4000, 4915, 10)
    assert (big.offer["cpu"], big.offer["memory"], big.offer["disk"]) == (48000, 78643, 200)
    assert small.percents == {"cpu": "50%", "memory": "60%", "disk": "10%"}


def test_a_container_limit_is_the_total_a_percentage_is_of() -> None:
    target = load_target(toml('cpu = "50%"\nmemory = "50%"\n'))
    limited = resolve(target, fake_machine(memory_mb=65536, cgroup_memory_mb=4096))
    assert limited.offer["memory"] == 2048


def test_a_cpu_quota_is_the_total_a_cpu_percentage_is_of() -> None:
    """8 CPUs at 2596.14 MHz (20769.12 MHz) in a container allowed 2.5 of them: a
    percentage is of the 2 whole cores it may use (5192.28 MHz), not of the host."""
    target = load_target(toml('cpu = "50%"\nmemory = 4096\n'))
    host = fake_machine(cores=8, mhz=2596.14)
    container = fake_machine(cores=8, mhz=2596.14, cpu_quota_cores=2.5, cpuset_cores=6)
    assert (host.cpu.total_mhz, container.usable_cpu_mhz) == pytest.approx((20769.12, 5192.28))
    assert resolve(target, container).offer["cpu"] == 2596  # 5192.28 / 2, truncated
    assert resolve(target, host).offer["cpu"] == 10384  # 20769.12 / 2, truncated


def test_ten_and_ninety_percent_always_land_inside_the_rules_whole_bounds() -> None:
    # 10 % of 10384 MHz is 1038.4: DMS's truncated bound is 1038, and the offer is that.
    machine = fake_machine(cores=4, mhz=2596)
    low = resolve(load_target(toml('cpu = "10%"\nmemory = "90%"\n')), machine)
    assert low.offer["cpu"] == 1038
    assert low.offer["memory"] == 16384 * 9 // 10
    fine = resolve(load_target(toml('cpu = "12.5%"\nmemory = 4096\n')), machine)
    assert fine.offer["cpu"] == 10384 * 125 // 1000


def test_absolute_values_take_the_command_lines_units() -> None:
    target = load_target(
        toml('cpu = "5200MHz"\nmemory = "8GiB"\ndisk = "100GB"\nntx_price = "0.5"\n')
    )
    offer = resolve(target, fake_machine()).offer
    assert (offer["cpu"], offer["memory"], offer["disk"], offer["ntx_price"]) == (
        5200,
        8192,
        93,
        0.5,
    )
    plain = resolve(
        load_target(toml("cpu = 5200\nmemory = 8192\ndisk = 20\n")), fake_machine()
    ).offer
    assert (plain["cpu"], plain["memory"], plain["disk"]) == (5200, 8192, 20)


def test_every_key_maps_to_the_stored_offer() -> None:
    text = toml(
        "cpu = 6000\nmemory = 12000\ncores = 3\ngpus = [0]\nntx_price = 2\n"
        "cardano = true\navailable = false\nserver_mode = true\n"
    )
    offer = resolve(load_target(text), fake_machine()).offer
    assert offer == {
        "memory": 12000,
        "cpu": 6000,
        "ntx_price": 2.0,
        "channel": "nunet-team",
        "payment_addr": ETH_ADDRESS,
        "cardano": True,
        "server_mode": True,
        "is_available": False,
        "disk": 0,
        "gpus": [0],
        "cores": 3,
    }


def test_gpus_all_none_and_a_machine_without_gpus() -> None:
    text = toml('cpu = "50%"\nmemory = "50%"\ngpus = "all"\n')
    assert resolve(load_target(text), fake_machine(gpus=2)).offer["gpus"] == [0, 1]
    bare = resolve(load_target(text), fake_machine(gpus=0))
    assert bare.offer["gpus"] == []
    assert len(bare.warnings) == 1 and "no GPU" in bare.warnings[0]
    # The address is an Ethereum one: the cheap hint, for a plan that writes nothing.
    assert bare.address_warnings == (ETHEREUM_REFUSED_BY_DMS,)
    assert "nvidia-smi not found" in bare.warnings[0]
    none = toml('cpu = "50%"\nmemory = "50%"\ngpus = "none"\n')
    assert resolve(load_target(none), fake_machine(gpus=2)).offer["gpus"] == []


def test_json_is_accepted_too() -> None:
    text = (
        '{"state": "onboarded", "cpu": "50%", "memory": 4096,\n'
        f' "channel": "nunet-test", "address": "{ETH_ADDRESS}", "gpus": [0]}}'
    )
    offer = resolve(load_target(text, name="fleet.json"), fake_machine()).offer
    assert (offer["cpu"], offer["memory"], offer["channel"], offer["gpus"]) == (
        10400,
        4096,
        "nunet-test",
        [0],
    )


def test_an_unchecksummed_ethereum_address_is_a_warning_not_a_refusal() -> None:
    text = (
        f'channel = "nunet-team"\naddress = "{ETH_ADDRESS.lower()}"\ncpu = "50%"\nmemory = "50%"\n'
    )
    resolved = resolve(load_target(text), fake_machine())
    assert resolved.offer["payment_addr"] == ETH_ADDRESS.lower()
    assert any("EIP-55" in w for w in resolved.address_warnings)
    assert resolved.warnings == ()


def test_offboarded_needs_no_offer() -> None:
    assert load_target('state = "offboarded"\n').state == "offboarded"
    assert load_target('state = "offboarded"\nforce = true\n').force


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            toml('cpu = "50%"\nmemory = "60%"\ncpus = 4\n'),
            "line 5: cpus is not a known key; allowed: state, memory, cpu",
        ),
        (toml('cpu = "150%"\nmemory = "60%"\n'), "line 3: cpu: '150%' is more than 100%"),
        (
            toml('cpu = "fast"\nmemory = "60%"\n'),
            "line 3: cpu: 'fast' is not a CPU amount; give MHz",
        ),
        (toml('cpu = "50%"\nmemory = "8 parsecs"\n'), "line 4: memory: '8 parsecs' is not a size"),
        (toml('cpu = -5\nmemory = "60%"\n'), "line 3: cpu: -5 is negative"),
        (toml('cpu = true\nmemory = "60%"\n'), "line 3: cpu: true is not allowed"),
        (
            toml('cpu = "50%"\nmemory = "60%"\ngpus = "some"\n'),
            'gpus: \'some\' is not allowed; use "all", "none"',
        ),
        (
            toml('cpu = "50%"\nmemory = "60%"\ncores = 0\n'),
            "cores: 0 is not allowed; give a whole number of 1 or more",
        ),
        (toml('cpu = "50%"\nmemory = "60%"\nntx_price = -1\n'), "ntx_price: -1 is not allowed"),
        (
            toml('cpu = "50%"\nmemory = "60%"\ncardano = "yes"\n'),
            "cardano: 'yes' is not allowed; use true or false",
        ),
        (
            'state = "gone"\n',
            'line 1: state: \'gone\' is not allowed; use "onboarded" or "offboarded"',
        ),
        (
            'channel = "nunet-prod"\n',
            "channel: 'nunet-prod' is not a known channel; allowed: nunet-staging",
        ),
        (
            toml('cpu = "50%"\n'),
            'memory missing; state = "onboarded" needs memory, cpu, channel, address',
        ),
        ("cpu = \n", "not valid TOML"),
        ('{"cpu": }', "line 1: not valid JSON"),
        ("[1, 2]\n", "not valid TOML"),
        ('["x"]', "x is not a known key"),
        ("[offer]\ncpu = 1\n", "offer is not a known key"),
    ],
)
def test_a_bad_file_names_the_key_its_line_and_what_is_allowed(text: str, expected: str) -> None:
    with pytest.raises(TargetError) as info:
        load_target(text, name="fleet.toml")
    message = str(info.value)
    assert expected in message
    assert "\n" not in message


def test_a_json_array_is_refused_with_the_shape_expected() -> None:
    with pytest.raises(TargetError, match="must be an object of keys"):
        load_target("[1]", name="fleet.json")


def test_a_huge_or_deep_file_is_refused_without_a_traceback() -> None:
    with pytest.raises(TargetError, match="larger than 64 KiB"):
        load_target("# x\n" * 20000)
    with pytest.raises(TargetError, match="not valid JSON"):
        load_target("[" * 60_000, name="deep.json")
    with pytest.raises(TargetError):
        load_target("a = " + "[" * 60_000)
    long_value = "9" * 5000
    with pytest.raises(TargetError) as info:
        load_target(toml(f'cpu = "{long_value}"\nmemory = "60%"\n'))
    assert len(str(info.value)) < 300


def test_server_mode_defaults_to_on_as_dms_and_onboard() -> None:
    # DMS's -l/--local-enable is on unless turned off; a file that does not say must not
    # plan to turn it off on a node that onboard set up with the default.
    resolved = resolve(load_target(toml('cpu = "50%"\nmemory = "50%"\n')), fake_machine())
    assert resolved.offer["server_mode"] is True
