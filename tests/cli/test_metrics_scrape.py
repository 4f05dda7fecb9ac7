"""The metrics as a fleet's monitoring reads them: node_exporter's textfile collector,
scraped by a real Prometheus, queried over its HTTP API; and the example alert rules
checked and unit-tested by promtool.

The servers are Debian's (``prometheus``, ``prometheus-node-exporter``; ``.ci/run``
installs them), on loopback ports, and are stopped by the fixture whatever happens.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import REPO, main_cli, smallest_offer

NODE_EXPORTER = shutil.which("prometheus-node-exporter") or shutil.which("node_exporter")
PROMETHEUS = shutil.which("prometheus")
PROMTOOL = shutil.which("promtool")
ALERTS = REPO / "docs" / "monitoring"
HANG_S = 90.0
"""Only to catch a hang: a scrape takes a second or two."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(argv: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)


class Monitoring:
    """node_exporter reading ``textfiles`` and Prometheus scraping it every second."""

    def __init__(self, tmp: Path) -> None:
        self.textfiles = tmp / "textfile"
        self.textfiles.mkdir()
        exporter_port, self.prometheus_port = free_port(), free_port()
        config = tmp / "prometheus.yml"
        config.write_text(
            "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
            "scrape_configs:\n"
            f"  - job_name: node\n    static_configs: [{{targets: ['127.0.0.1:{exporter_port}']}}]\n"
        )
        self.processes = [
            start(
                [
                    str(NODE_EXPORTER), f"--web.listen-address=127.0.0.1:{exporter_port}",
                    "--collector.disable-defaults", "--collector.textfile",
                    f"--collector.textfile.directory={self.textfiles}",
                ],
                tmp / "node_exporter.log",
            ),
            start(
                [
                    str(PROMETHEUS), f"--config.file={config}",
                    f"--storage.tsdb.path={tmp / 'data'}",
                    f"--web.listen-address=127.0.0.1:{self.prometheus_port}",
                ],
                tmp / "prometheus.log",
            ),
        ]  # fmt: skip

    def query(self, expr: str) -> list[dict[str, Any]]:
        url = f"http://127.0.0.1:{self.prometheus_port}/api/v1/query?" + urllib.parse.urlencode(
            {"query": expr}
        )
        with urllib.request.urlopen(url, timeout=10) as answer:
            result: list[dict[str, Any]] = json.load(answer)["data"]["result"]
        return result

    def wait_for(
        self, expr: str, accept: Callable[[list[dict[str, Any]]], bool]
    ) -> list[dict[str, Any]]:
        """The query's result once ``accept`` takes it; fails (never hangs) past HANG_S."""
        deadline = time.monotonic() + HANG_S
        last: Any = None
        while time.monotonic() < deadline:
            for process in self.processes:
                assert process.poll() is None, f"{process.args[0]} exited"
            try:
                last = self.query(expr)
                if accept(last):
                    return list(last)
            except OSError as exc:  # not listening yet
                last = exc
            time.sleep(0.5)
        raise AssertionError(f"{expr}: still {last!r} after {HANG_S} s")


@pytest.fixture
def monitoring(tmp_path: Path) -> Iterator[Monitoring]:
    if NODE_EXPORTER is None or PROMETHEUS is None:
        pytest.skip("Debian's prometheus and prometheus-node-exporter are not installed")
    stack = Monitoring(tmp_path)
    try:
        yield stack
    finally:
        for process in stack.processes:
            stop(process)


def one_value(result: list[dict[str, Any]]) -> float:
    assert len(result) == 1, result
    return float(result[0]["value"][1])


def test_prometheus_reads_the_offer_and_the_problems_through_node_exporter(
    capsys: pytest.CaptureFixture[str], machine: dict[str, Any], state: str, monitoring: Monitoring
) -> None:
    assert main_cli(capsys, *smallest_offer(machine, state, "--yes"))[0] == 0
    textfile = ["metrics", "--state-dir", state, "--textfile", str(monitoring.textfiles)]
    assert main_cli(capsys, *textfile)[0] == 0

    onboarded = monitoring.wait_for("nunet_onboard_onboarded", lambda r: len(r) == 1)
    assert one_value(onboarded) == 1
    memory = monitoring.query("nunet_onboard_offer_memory_bytes")
    assert one_value(memory) == machine["mem_min"] * 1024**2
    info = monitoring.query("nunet_onboard_info")
    assert info[0]["metric"]["channel"] == "nunet-team"

    Path(state, "state.json").write_text("{ broken")
    assert main_cli(capsys, *textfile)[0] == 0
    broken = monitoring.wait_for(
        'nunet_onboard_problems{kind="corrupt"}', lambda r: len(r) == 1 and r[0]["value"][1] != "0"
    )
    assert one_value(broken) == 1
    assert one_value(monitoring.query("nunet_onboard_onboarded")) == 0


@pytest.mark.skipif(PROMTOOL is None, reason="promtool (Debian's prometheus) is not installed")
def test_the_example_alert_rules_are_valid_and_fire_as_documented() -> None:
    checked = subprocess.run(
        [str(PROMTOOL), "check", "rules", "nunet-onboard-alerts.yml"],
        cwd=ALERTS, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr
    tested = subprocess.run(
        [str(PROMTOOL), "test", "rules", "nunet-onboard-alerts.test.yml"],
        cwd=ALERTS, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert tested.returncode == 0, tested.stdout + tested.stderr
