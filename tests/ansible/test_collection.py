"""The collection as Ansible's own tools see it: ansible-doc documents both modules and
the role's arguments, and ansible-galaxy builds an installable tarball."""

from __future__ import annotations

import json
import subprocess
import tarfile
from pathlib import Path

import pytest

from tests.ansible.helpers import COLLECTION, ansible_env, tool

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        (
            "nunet.onboard.offer",
            [
                "check_mode",
                "diff_mode",
                "state_dir",
                "executable",
                "gpus",
                "RETURN VALUES",
                "action",
            ],
        ),
        ("nunet.onboard.info", ["allowed", "problems", "capacity", "executable"]),
    ],
)
def test_ansible_doc_shows_each_module(tmp_path: Path, module: str, expected: list[str]) -> None:
    result = subprocess.run(
        [tool("ansible-doc"), "--json", module],
        capture_output=True,
        text=True,
        env=ansible_env(tmp_path),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)[module]
    text = json.dumps(doc)
    assert doc["doc"]["module"] == module.rsplit(".", 1)[1]
    assert doc["examples"].strip() and doc["return"]
    for word in expected:
        if word == "RETURN VALUES":
            continue
        assert word in text, word
    plain = subprocess.run(
        [tool("ansible-doc"), module],
        capture_output=True,
        text=True,
        env=ansible_env(tmp_path),
        timeout=120,
    )
    assert plain.returncode == 0 and "OPTIONS" in plain.stdout and "EXAMPLES" in plain.stdout


def test_ansible_galaxy_builds_the_collection(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            tool("ansible-galaxy"),
            "collection",
            "build",
            str(COLLECTION),
            "--output-path",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        env=ansible_env(tmp_path),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    (tarball,) = tmp_path.glob("nunet-onboard-*.tar.gz")
    with tarfile.open(tarball) as tar:
        names = set(tar.getnames())
        manifest = json.load(tar.extractfile("MANIFEST.json"))  # type: ignore[arg-type]
    assert {
        "plugins/modules/offer.py",
        "plugins/modules/info.py",
        "roles/nunet_onboard/tasks/main.yml",
        "roles/nunet_onboard/defaults/main.yml",
        "roles/nunet_onboard/meta/argument_specs.yml",
        "roles/node/tasks/main.yml",
        "LICENSE",
        "CHANGELOG.rst",
        "meta/runtime.yml",
    } <= names
    assert not any("__pycache__" in n for n in names)
    assert manifest["collection_info"]["namespace"] == "nunet"
    assert manifest["collection_info"]["name"] == "onboard"


def test_ansible_doc_documents_the_roles_arguments(tmp_path: Path) -> None:
    result = subprocess.run(
        [tool("ansible-doc"), "-t", "role", "--json", "nunet.onboard.nunet_onboard"],
        capture_output=True,
        text=True,
        env=ansible_env(tmp_path),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    (role,) = json.loads(result.stdout).values()  # keyed by the name as given or its FQCN
    spec = role["entry_points"]["main"]
    options = spec["options"]
    defaults = (COLLECTION / "roles" / "nunet_onboard" / "defaults" / "main.yml").read_text()
    # Every variable of the role's defaults is documented, and nothing else.
    names = {line.split(":", 1)[0] for line in defaults.splitlines() if line[:1].isalpha()}
    assert names == set(options)
    assert options["nunet_onboard_state"]["choices"] == ["onboarded", "offboarded"]
    assert "3.11" in json.dumps(options["nunet_onboard_python"])
