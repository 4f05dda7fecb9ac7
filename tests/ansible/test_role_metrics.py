"""The role's metrics schedule (nunet_onboard_metrics_textfile_dir), previewed in check mode.

The schedule writes outside any test folder (/etc/systemd/system, /etc/cron.d), so it
is driven in check mode with --diff only: the preview must say what it would write,
write nothing, and the command it would schedule must be one the tool runs.
"""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.ansible.helpers import ansible_env, nunet_onboard, playbook, task_results
from tests.ansible.test_role_local import PLAYBOOKS, ROLE, inventory, node

pytestmark = pytest.mark.slow

UNITS = f"{ROLE} : Write the metrics service and timer"
CRON = f"{ROLE} : Write the metrics cron job"


def preview(tmp: Path, scheduler: str, **extra: Any) -> Any:
    hosts = {
        "n1": node(
            tmp, "n1",
            nunet_onboard_metrics_textfile_dir=str(tmp / "textfile"),
            nunet_onboard_metrics_scheduler=scheduler,
            nunet_onboard_metrics_interval_minutes=5,
            **extra,
        )
    }  # fmt: skip
    code, out, run = playbook(
        PLAYBOOKS / "role.yml", inventory(tmp, hosts), ansible_env(tmp),
        "--check", "--diff", "--tags", "metrics",
    )  # fmt: skip
    assert code == 0, out[-3000:]
    return run


def test_without_systemd_the_preview_shows_a_cron_file_and_writes_nothing(tmp_path: Path) -> None:
    run = preview(tmp_path, "cron")
    cron = task_results(run, CRON)["n1"]
    assert cron["changed"]
    (line,) = [x for x in cron["diff"][0]["after"].splitlines() if not x.startswith("#")]
    assert line.startswith("*/5 * * * * ")
    state = tmp_path / "n1" / "state"
    assert line.endswith(f"metrics --textfile {tmp_path / 'textfile'} --state-dir {state}")
    assert task_results(run, UNITS)["n1"].get("skipped")
    assert (
        not (tmp_path / "textfile").exists()
        and not Path("/etc/cron.d/nunet-onboard-metrics").exists()
    )

    # What it would run works (with this checkout's nunet-onboard for the venv's): the
    # textfile appears, and says the node is not onboarded.
    words = shlex.split(line)
    assert words[5] == "root" and words[6] == str(
        tmp_path / "n1" / "venv" / "bin" / "nunet-onboard"
    )
    (tmp_path / "textfile").mkdir()
    done = subprocess.run([nunet_onboard(), *words[7:]], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert (
        "nunet_onboard_onboarded 0.0" in (tmp_path / "textfile" / "nunet_onboard.prom").read_text()
    )


def test_with_systemd_the_preview_shows_a_service_and_timer_run_as_the_owner(
    tmp_path: Path,
) -> None:
    run = preview(tmp_path, "systemd", nunet_onboard_owner="nunet")
    units = task_results(run, UNITS)["n1"]
    assert units["changed"]
    written = {r["item"]["key"]: r["diff"][0]["after"] for r in units["results"]}
    assert "User=nunet\n" in written["service"] and "Type=oneshot" in written["service"]
    assert "/n1/venv/bin/nunet-onboard metrics --textfile " in written["service"]
    assert (
        "OnUnitActiveSec=5min" in written["timer"] and "WantedBy=timers.target" in written["timer"]
    )
    start = task_results(run, f"{ROLE} : Start the metrics timer")["n1"]
    assert start.get("skipped")  # a unit not written yet cannot be asked about in check mode
    assert not Path("/etc/systemd/system/nunet-onboard-metrics.timer").exists()


def test_the_schedule_is_off_by_default(tmp_path: Path) -> None:
    hosts = {"n1": node(tmp_path, "n1")}
    code, out, run = playbook(
        PLAYBOOKS / "role.yml", inventory(tmp_path, hosts), ansible_env(tmp_path),
        "--check", "--tags", "metrics",
    )  # fmt: skip
    assert code == 0, out[-3000:]
    names = [t["task"]["name"] for p in run["plays"] for t in p["tasks"]]
    assert UNITS not in names and CRON not in names


@pytest.mark.parametrize(
    ("scheduler", "minutes", "expected"),
    [
        ("systemd", 0, "nunet_onboard_metrics_interval_minutes must be 1 or more, got 0"),
        ("cron", 90, "cron's */N repeats within an hour: 1 to 60 minutes with cron, got 90"),
    ],
)
def test_an_interval_the_scheduler_cannot_run_is_refused_with_the_range(
    tmp_path: Path, scheduler: str, minutes: int, expected: str
) -> None:
    hosts = {
        "n1": node(
            tmp_path, "n1",
            nunet_onboard_metrics_textfile_dir=str(tmp_path / "textfile"),
            nunet_onboard_metrics_scheduler=scheduler,
            nunet_onboard_metrics_interval_minutes=minutes,
        )
    }  # fmt: skip
    code, out, run = playbook(
        PLAYBOOKS / "role.yml", inventory(tmp_path, hosts), ansible_env(tmp_path),
        "--check", "--diff", "--tags", "metrics",
    )  # fmt: skip
    assert code == 2, out[-3000:]
    (failed,) = [
        r for p in run["plays"] for t in p["tasks"] for r in t["hosts"].values() if r.get("failed")
    ]
    assert expected in failed["msg"]
    names = [t["task"]["name"] for p in run["plays"] for t in p["tasks"]]
    assert UNITS not in names and CRON not in names
