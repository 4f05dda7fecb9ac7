"""``nunet-onboard metrics``: the node's onboarding in Prometheus's text format."""

from __future__ import annotations

import os
import shutil
import subprocess
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.cli.helpers import main_cli, smallest_offer


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Each sample of the exposition ``text`` by name and labels, parsed by the client's parser."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def metrics(
    capsys: Any, state: str, *extra: str
) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    code, out, err = main_cli(capsys, "metrics", "--state-dir", state, *extra)
    assert code == 0, err
    return samples(out)


def value(
    found: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str
) -> float:
    return found[(name, tuple(sorted(labels.items())))]


def test_an_onboarded_node_reports_its_offer_in_base_units(
    capsys: pytest.CaptureFixture[str], machine: dict[str, Any], state: str
) -> None:
    code, _, err = main_cli(capsys, *smallest_offer(machine, state, "--disk", "1", "--yes"))
    assert code == 0, err
    found = metrics(capsys, state)
    assert value(found, "nunet_onboard_onboarded") == 1
    assert value(found, "nunet_onboard_available") == 1
    assert value(found, "nunet_onboard_offer_cpu_hertz") == machine["cpu_min"] * 1_000_000
    assert value(found, "nunet_onboard_offer_memory_bytes") == machine["mem_min"] * 1024**2
    assert value(found, "nunet_onboard_offer_disk_bytes") == 1024**3
    assert value(found, "nunet_onboard_offer_gpus") == 0
    assert value(found, "nunet_onboard_offer_price_ntx_per_minute") == 0.25
    assert value(found, "nunet_onboard_machine_cpu_hertz") == machine["cpu"] * 1_000_000
    assert value(found, "nunet_onboard_machine_memory_bytes") == machine["memory"] * 1024**2
    assert value(found, "nunet_onboard_machine_cores") == machine["total_cores"]
    assert all(v == 0 for (name, _), v in found.items() if name == "nunet_onboard_problems")
    info = [labels for (name, labels) in found if name == "nunet_onboard_info"]
    assert len(info) == 1 and dict(info[0])["channel"] == "nunet-team"
    assert dict(info[0])["node_id"].startswith("12D3KooW")
    assert value(found, "nunet_onboard_last_change_timestamp_seconds") > 1_700_000_000


def test_a_node_not_onboarded_reports_no_offer_and_no_problem(
    capsys: pytest.CaptureFixture[str], state: str
) -> None:
    found = metrics(capsys, state)
    assert value(found, "nunet_onboard_onboarded") == 0
    assert value(found, "nunet_onboard_available") == 0
    assert not [name for (name, _) in found if name.startswith("nunet_onboard_offer_")]
    kinds = {dict(labels)["kind"] for (name, labels) in found if name == "nunet_onboard_problems"}
    assert kinds == {
        "inconsistent", "drift", "corrupt", "unreadable", "unusable", "metadata_file", "setting"
    }  # fmt: skip
    assert ("nunet_onboard_last_change_timestamp_seconds", ()) not in found
    (info,) = [dict(labels) for (name, labels) in found if name == "nunet_onboard_info"]
    assert info == {"channel": "", "node_id": "", "version": version("nunet-onboard")}


def test_a_broken_state_is_a_problem_counted_not_a_failed_scrape(
    capsys: pytest.CaptureFixture[str], state: str
) -> None:
    os.makedirs(state, mode=0o700)
    Path(state, "state.json").write_text("{ not json")
    found = metrics(capsys, state)
    assert value(found, "nunet_onboard_problems", kind="corrupt") == 1
    assert value(found, "nunet_onboard_onboarded") == 0


def test_a_bad_setting_is_counted(
    capsys: pytest.CaptureFixture[str], state: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NUNET_ONBOARD_GPU_TIMEOUT_S", "soon")
    found = metrics(capsys, state)
    assert value(found, "nunet_onboard_problems", kind="setting") == 1


@pytest.mark.skipif(
    shutil.which("promtool") is None, reason="promtool (Debian's prometheus) missing"
)
def test_promtool_finds_nothing_to_say_about_the_output(
    capsys: pytest.CaptureFixture[str], machine: dict[str, Any], state: str
) -> None:
    assert main_cli(capsys, *smallest_offer(machine, state, "--yes"))[0] == 0
    code, out, _ = main_cli(capsys, "metrics", "--state-dir", state)
    assert code == 0
    lint = subprocess.run(
        ["promtool", "check", "metrics"], input=out, capture_output=True, text=True, timeout=60
    )
    assert lint.returncode == 0 and lint.stdout + lint.stderr == "", lint.stdout + lint.stderr


def test_the_textfile_is_written_whole_and_leaves_no_temporary_file(
    capsys: pytest.CaptureFixture[str], state: str, tmp_path: Path
) -> None:
    textfiles = tmp_path / "textfile"
    textfiles.mkdir()
    (textfiles / "nunet_onboard.prom").write_text("# an older scrape\n")
    code, out, err = main_cli(capsys, "metrics", "--state-dir", state, "--textfile", str(textfiles))
    assert (code, out, err) == (0, "", "")
    assert [p.name for p in textfiles.iterdir()] == ["nunet_onboard.prom"]
    written = samples((textfiles / "nunet_onboard.prom").read_text())
    assert value(written, "nunet_onboard_onboarded") == 0


def test_a_textfile_directory_that_is_not_one_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], state: str, tmp_path: Path
) -> None:
    missing = tmp_path / "missing"
    code, out, err = main_cli(capsys, "metrics", "--state-dir", state, "--textfile", str(missing))
    assert code == 2 and out == ""
    assert f"--textfile {missing}: not a directory" in err
    assert not missing.exists()


def test_a_textfile_that_cannot_be_replaced_is_one_line_and_no_temporary_file(
    capsys: pytest.CaptureFixture[str], state: str, tmp_path: Path
) -> None:
    (tmp_path / "nunet_onboard.prom").mkdir()  # rename(2) onto a directory fails
    code, _, err = main_cli(capsys, "metrics", "--state-dir", state, "--textfile", str(tmp_path))
    assert code == 2
    assert err.count("\n") == 1 and f"cannot write {tmp_path / 'nunet_onboard.prom'}" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nunet_onboard.prom"]


def test_metrics_takes_no_json_flag(capsys: pytest.CaptureFixture[str], state: str) -> None:
    code, _, err = main_cli(capsys, "metrics", "--state-dir", state, "--json")
    assert code == 2 and "--json" in err


def test_every_metric_has_the_name_type_and_help_a_scraper_reads(
    capsys: pytest.CaptureFixture[str], machine: dict[str, Any], state: str
) -> None:
    """The exposition is an interface (dashboards and alert rules name these): each
    family's name, type and help, as a scrape of an onboarded node shows them."""
    assert main_cli(capsys, *smallest_offer(machine, state, "--yes"))[0] == 0
    code, out, err = main_cli(capsys, "metrics", "--state-dir", state)
    assert code == 0, err
    shown = {f.name: (f.type, f.documentation) for f in text_string_to_metric_families(out)}
    assert shown == {
        "nunet_onboard_onboarded": (
            "gauge", "1 when the node is onboarded (metadata and node identity).",
        ),
        "nunet_onboard_available": ("gauge", "1 when the onboarded node is available to jobs."),
        "nunet_onboard_offer_cpu_hertz": ("gauge", "CPU offered to NuNet."),
        "nunet_onboard_offer_memory_bytes": ("gauge", "Memory offered to NuNet."),
        "nunet_onboard_offer_disk_bytes": ("gauge", "Disk offered to NuNet."),
        "nunet_onboard_offer_gpus": ("gauge", "GPUs offered to NuNet."),
        "nunet_onboard_offer_price_ntx_per_minute": (
            "gauge", "The price asked, in NTX per minute.",
        ),
        "nunet_onboard_machine_cpu_hertz": ("gauge", "The machine's usable CPU."),
        "nunet_onboard_machine_cores": ("gauge", "The machine's usable cores."),
        "nunet_onboard_machine_memory_bytes": ("gauge", "The machine's usable memory."),
        "nunet_onboard_machine_disk_free_bytes": ("gauge", "Free space of the data partition."),
        "nunet_onboard_problems": (
            "gauge", "Problems that status finds, by kind (setting: a bad configuration value).",
        ),
        "nunet_onboard_last_change_timestamp_seconds": (
            "gauge", "When the state last changed (Unix time).",
        ),
        "nunet_onboard_info": ("gauge", "The node's channel, node id and this tool's version."),
    }  # fmt: skip
    disk = value(samples(out), "nunet_onboard_machine_disk_free_bytes")
    assert disk == machine["disk_free_gb"] * 1024**3
