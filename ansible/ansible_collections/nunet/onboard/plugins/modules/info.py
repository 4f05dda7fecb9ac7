#!/usr/bin/python
# -*- coding: utf-8 -*-
# Apache-2.0 (see the nunet-onboard repository)
"""Ansible module nunet.onboard.info: a node's capacity, allowed ranges, status and problems.

Read-only: it runs ``nunet-onboard capacity --json``, ``status --json`` and, when
onboarded, ``info --json`` on the node, so a playbook can print a fleet report.
"""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: info
short_description: Report a node's NuNet capacity, allowed offer ranges, onboarding status and problems
version_added: "0.1.0"
description:
  - Never changes anything. Runs C(nunet-onboard capacity --json), C(status --json) and,
    when the node is onboarded, C(info --json) on the node.
  - The allowed ranges are the ones C(nunet-onboard capacity --json) reports under
    C(allowed) (DMS's 10-90 % of the usable totals, truncated to whole units as DMS does),
    so the module never computes a rule of its own.
options:
  state_dir:
    description: The node's nunet-onboard state directory; the tool's default when omitted.
    type: path
  executable:
    description: Path of nunet-onboard on the node.
    type: path
    default: nunet-onboard
attributes:
  check_mode:
    description: Reads only, so it runs the same in check mode.
    support: full
  diff_mode:
    description: Changes nothing, so it has no diff.
    support: none
author:
  - NuNet (@nunet)
"""

EXAMPLES = r"""
- name: Read every node
  nunet.onboard.info:
    executable: /opt/nunet-onboard/bin/nunet-onboard
  register: node

- name: Print the fleet report
  ansible.builtin.debug:
    msg: >-
      {{ inventory_hostname }}: {{ 'onboarded' if node.status.onboarded else 'not onboarded' }},
      cpu {{ node.capacity.cpu }} MHz (offer {{ node.allowed.cpu.min }}-{{ node.allowed.cpu.max }}),
      problems: {{ node.problems | map(attribute='message') | join('; ') or 'none' }}
"""

RETURN = r"""
capacity:
  description: The usable totals (cpu MHz, memory MB, total_cores, disk_free_gb, gpus).
  type: dict
  returned: always
allowed:
  description: 'What an offer may be on this node, for example C({"cpu": {"min": 420, "max": 3780}}).'
  type: dict
  returned: always
status:
  description: The onboarding status (DMS OnboardingStatus plus our fields).
  type: dict
  returned: always
problems:
  description: What is wrong with the onboarding (inconsistent, drift, corrupt), each with its fix.
  type: list
  elements: dict
  returned: always
metadata:
  description: The DMS metadata when onboarded, else null.
  type: dict
  returned: always
"""

import json
import shutil

from ansible.module_utils.basic import AnsibleModule


def _require_tool(module):
    """Fail with what to do when the tool is not there (run_command would only say errno 2)."""
    executable = module.params["executable"]
    if shutil.which(executable) is None:
        module.fail_json(
            msg="cannot run %s: not found or not executable on this node; install it "
            "(role nunet.onboard.nunet_onboard) or set the executable option to its path" % executable
        )


def _json(module, *args):
    command = [module.params["executable"], *args, "--json"]
    if module.params["state_dir"]:
        command += ["--state-dir", module.params["state_dir"]]
    rc, out, err = module.run_command(command, environ_update={"LC_ALL": "C.UTF-8"})
    if rc != 0:
        module.fail_json(msg="%s: %s" % (" ".join(args), err.strip() or "exit code %d" % rc), rc=rc)
    try:
        return json.loads(out)
    except ValueError:
        module.fail_json(msg="%s printed no JSON" % " ".join(args))


def main():
    module = AnsibleModule(
        argument_spec=dict(
            state_dir=dict(type="path"),
            executable=dict(type="path", default="nunet-onboard"),
        ),
        supports_check_mode=True,
    )
    _require_tool(module)
    capacity = _json(module, "capacity")
    status = _json(module, "status")
    metadata = _json(module, "info") if status.get("onboarded") else None
    # The tool's own ranges (``capacity --json`` -> ``allowed``): one rule, one place.
    allowed = {
        name: (
            {k: v for k, v in value.items() if k != "unit"} if isinstance(value, dict) else value
        )
        for name, value in capacity.get("allowed", {}).items()
    }
    module.exit_json(
        changed=False,
        capacity=capacity,
        allowed=allowed,
        status=status,
        problems=status.get("problems", []),
        metadata=metadata,
    )


if __name__ == "__main__":
    main()
