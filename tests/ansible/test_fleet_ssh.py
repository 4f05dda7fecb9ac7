"""The node role over real SSH: Debian's sshd on a loopback port with a host key and a
client key made here; the role installs a wheel built from this checkout in a venv on
the "node" and applies the offer; the second run changes nothing.

Skipped, saying why, where sshd (package openssh-server) is missing or cannot start;
``.ci/run`` installs it.
"""

from __future__ import annotations

import getpass
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.onboarding.controller import OnboardingController
from tests.ansible.helpers import ETH_ADDRESS, ansible_env, playbook, task_results
from tests.conftest import HANG_S

pytestmark = pytest.mark.slow

PLAYBOOK = Path(__file__).parent / "playbooks" / "role.yml"
SSHD = "/usr/sbin/sshd"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def keygen(path: Path) -> None:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "nunet-test", "-f", str(path)],
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    if not Path(SSHD).exists() or shutil.which("ssh-keygen") is None or shutil.which("ssh") is None:
        pytest.skip(
            "sshd/ssh not installed: apt-get install openssh-server openssh-client (.ci/run does)"
        )
    base = tmp_path_factory.mktemp("sshd")
    keygen(base / "host_key")
    keygen(base / "client_key")
    (base / "authorized_keys").write_text((base / "client_key.pub").read_text())
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation dir
    port = free_port()
    config = base / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {base / 'host_key'}\n"
        f"PidFile {base / 'sshd.pid'}\nAuthorizedKeysFile {base / 'authorized_keys'}\n"
        "StrictModes no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
        "UsePAM no\nPermitRootLogin prohibit-password\nSubsystem sftp internal-sftp\n"
    )
    log = (base / "sshd.log").open("w")
    server = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + HANG_S
        while True:
            if server.poll() is not None:
                pytest.skip(f"sshd could not start here: {(base / 'sshd.log').read_text()[-300:]}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.skip("sshd did not listen within 15 s")
                time.sleep(0.1)
        host_pub = (base / "host_key.pub").read_text().split()
        (base / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_pub[0]} {host_pub[1]}\n")
        yield {"port": port, "base": base}
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def node_python() -> str:
    """A Python 3.11+ on the node with venv: Debian's, else the one these tests run on."""
    for candidate in ("/usr/bin/python3", getattr(sys, "_base_executable", sys.executable)):
        check = subprocess.run(
            [candidate, "-c", "import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))"],
            capture_output=True,
        )
        if check.returncode == 0:
            return candidate
    pytest.skip(
        "no Python 3.11+ with venv and ensurepip for the node (apt-get install python3-venv)"
    )


def test_the_role_installs_a_wheel_over_ssh_and_applies_the_offer(
    tmp_path: Path, sshd: dict[str, object], wheel: Path
) -> None:
    base = Path(str(sshd["base"]))
    venv, state = tmp_path / "node-venv", tmp_path / "node-state"
    common_args = (
        f"-o UserKnownHostsFile={base / 'known_hosts'} -o StrictHostKeyChecking=yes "
        "-o IdentitiesOnly=yes -o ControlMaster=no -o ControlPath=none"
    )
    host = {
        "ansible_host": "127.0.0.1",
        "ansible_port": sshd["port"],
        "ansible_user": getpass.getuser(),
        "ansible_ssh_private_key_file": str(base / "client_key"),
        "ansible_ssh_common_args": common_args,
        "ansible_python_interpreter": node_python(),
        "nunet_onboard_python": node_python(),
        "nunet_onboard_venv": str(venv),
        "nunet_onboard_wheel": str(wheel),
        "nunet_onboard_state_dir": str(state),
        "nunet_onboard_cpu": "30%",
        "nunet_onboard_memory": "30%",
        "nunet_onboard_channel": "nunet-team",
        "nunet_onboard_address": ETH_ADDRESS,
    }
    inventory = tmp_path / "inventory.json"
    inventory.write_text(json.dumps({"all": {"children": {"nodes": {"hosts": {"sshnode": host}}}}}))
    env = ansible_env(tmp_path)

    code, out, run = playbook(PLAYBOOK, inventory, env)
    assert code == 0, json.dumps(run, indent=1)[-3000:] if run else out
    assert run["stats"]["sshnode"]["changed"] >= 3  # venv, wheel copied, installed, onboarded
    applied = task_results(run, "nunet.onboard.nunet_onboard : Apply the offer")["sshnode"]
    assert (applied["changed"], applied["action"]) == (True, "onboard")
    assert (venv / "bin" / "nunet-onboard").exists()
    status = OnboardingController(state).status()
    assert status.onboarded and status.channel == "nunet-team" and status.problems == ()
    assert applied["metadata"]["node_id"] == status.node_id

    code, out, run = playbook(PLAYBOOK, inventory, env)
    assert code == 0, out[-3000:]
    assert run["stats"]["sshnode"]["changed"] == 0
    again = task_results(run, "nunet.onboard.nunet_onboard : Apply the offer")["sshnode"]
    assert again["action"] == "none"
    pip = task_results(
        run,
        "nunet.onboard.nunet_onboard : Install nunet-onboard (and what it needs) in the virtualenv",
    )
    assert pip["sshnode"]["skipped"], "a run on an unchanged node ran pip"
