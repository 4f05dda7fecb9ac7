#!/usr/bin/python
# -*- coding: utf-8 -*-
# Apache-2.0 (see the nunet-onboard repository)
"""Ansible module nunet.onboard.offer: converge a node to a declarative NuNet offer.

It only drives ``nunet-onboard apply - --json`` on the node (the offer goes in on
stdin, as JSON), so every rule, unit and percentage is decided by the tool itself,
exactly as ``apply`` does by hand; the node needs nothing but the installed tool.
"""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: offer
short_description: Converge a node to a declarative NuNet offer with nunet-onboard apply
version_added: "0.1.0"
description:
  - Works out the offer for this node (percentages of the machine's usable total are
    resolved on each node, so one set of group variables fits machines of every size),
    compares it with the node's onboarding state, and does only what is needed
    (onboard, resource-config, offboard, or nothing).
  - Runs C(nunet-onboard apply - --json) on the node; the node needs only the installed tool.
  - Never makes a wallet; no secret goes through the playbook.
options:
  state:
    description: Whether the node should be onboarded or offboarded.
    type: str
    choices: [onboarded, offboarded]
    default: onboarded
  cpu:
    description: CPU to offer, MHz (V(5200), V(5200MHz)) or a percentage of the node's usable total (V(60%)).
    type: raw
  memory:
    description: Memory to offer, MB (V(8192)), a size (V(8GiB)) or a percentage (V(60%)).
    type: raw
  disk:
    description: Disk to offer, GB (V(100)), a size (V(100GiB)) or a percentage of the data partition (V(10%)).
    type: raw
  cores:
    description: Cores to offer; by default as many as the CPU share spans.
    type: int
  gpus:
    description: V(all), V(none), or a list of GPU indices.
    type: raw
  channel:
    description: The NuNet channel.
    type: str
    choices: [nunet-staging, nunet-test, nunet-team, nunet-edge]
  address:
    description:
      - The payment address (Ethereum C(0x...) or Cardano C(addr1...)); public, never a key.
      - Quote it; YAML reads an unquoted C(0x...) as a number, which the module refuses
        with a message saying so.
    type: raw
  ntx_price:
    description: Price in NTX per minute.
    type: float
  cardano:
    description: Run a Cardano node (needs 10000 MB and 6000 MHz).
    type: bool
  available:
    description: Whether the node takes jobs.
    type: bool
  server_mode:
    description: DMS server mode (its C(-l/--local-enable)); true when omitted, as in DMS.
    type: bool
  force:
    description:
      - Clean an inconsistent or unreadable onboarding state (as C(nunet-onboard offboard --force))
        before converging. Without it such a state is reported and the task fails.
    type: bool
    default: false
  state_dir:
    description: The node's nunet-onboard state directory; the tool's default when omitted.
    type: path
  executable:
    description: Path of nunet-onboard on the node.
    type: path
    default: nunet-onboard
attributes:
  check_mode:
    description: Plans with C(nunet-onboard apply --check), which writes nothing; refuses what the real run refuses.
    support: full
  diff_mode:
    description: Shows the offer before and after, as the node's state stores it.
    support: full
author:
  - NuNet (@nunet)
"""

EXAMPLES = r"""
- name: Offer 60 % of every node's CPU and memory on nunet-team
  nunet.onboard.offer:
    cpu: "60%"
    memory: "60%"
    disk: "10%"
    gpus: all
    channel: nunet-team
    address: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    executable: /opt/nunet-onboard/bin/nunet-onboard

- name: Offboard
  nunet.onboard.offer:
    state: offboarded
    executable: /opt/nunet-onboard/bin/nunet-onboard
"""

RETURN = r"""
changed:
  description: Whether the node's onboarding was (or, in check mode, would be) changed.
  type: bool
  returned: always
  sample: true
action:
  description: What was (or would be) done.
  type: str
  returned: always
  choices: [onboard, resource-config, offboard, none]
  sample: resource-config
metadata:
  description:
    - The node's DMS metadata (MetadataV2) after the change, as C(nunet-onboard info --json) prints it.
    - Null when the node is not onboarded, or in check mode before a change.
  type: dict
  returned: always
  sample:
    name: rack-01
    update_timestamp: 1796591873
    resource: {memory_max: 24105, total_core: 2, cpu_max: 5192}
    available: {cpu: 3635, memory: 16874}
    reserved: {cpu: 1557, memory: 7231}
    network: nunet-team
    public_key: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    node_id: 12D3KooWC4YjqRepAHwFyZtL8D6gAUGefiJDq48SXaXrXLReGaps
    allow_cardano: false
    gpu_info: []
    dashboard: ""
    ntx_price: 0.0
warnings:
  description: Unusual but accepted facts (e.g. gpus=all on a node without a GPU).
  type: list
  elements: str
  returned: always
  sample: ['gpus = "all" but this machine has no GPU (none found); none offered']
offer:
  description: The offer before and after, as the node's state stores it.
  type: dict
  returned: always
  contains:
    before:
      description: The stored offer before the task; null when the node was not onboarded.
      type: dict
      returned: always
      sample:
        cpu: 1038
        memory: 4821
        disk: 0
        cores: null
        gpus: []
        channel: nunet-team
        payment_addr: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
        ntx_price: 0.0
        cardano: false
        is_available: true
        server_mode: true
    after:
      description: The offer after the task (in check mode, what it would be); null when offboarded.
      type: dict
      returned: always
      sample:
        cpu: 1557
        memory: 7231
        disk: 0
        cores: null
        gpus: []
        channel: nunet-team
        payment_addr: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
        ntx_price: 0.0
        cardano: false
        is_available: true
        server_mode: true
"""

import json
import shutil

from ansible.module_utils.basic import AnsibleModule

OFFER_KEYS = (
    "state",
    "cpu",
    "memory",
    "disk",
    "cores",
    "gpus",
    "channel",
    "address",
    "ntx_price",
    "cardano",
    "available",
    "server_mode",
    "force",
)


def _target(module):
    """The declarative offer as apply's JSON file; omitted options are left to apply."""
    target = {k: module.params[k] for k in OFFER_KEYS if module.params[k] is not None}
    if "address" in target:
        target["address"] = _address(module)
    gpus = target.get("gpus")
    if isinstance(gpus, list):
        try:
            target["gpus"] = [int(i) for i in gpus]
        except (TypeError, ValueError):
            module.fail_json(msg="gpus: %r is not a list of GPU indices" % (gpus,))
    return target


def _address(module):
    """The address as text; an unquoted ``0x...`` reaches us as a number: say to quote it."""
    address = module.params["address"]
    number = isinstance(address, int) and not isinstance(address, bool)
    digits = number or (isinstance(address, str) and address.strip().isdigit())
    if digits:
        module.fail_json(
            msg="address: got the number %s, not an address: YAML reads an unquoted 0x... "
            "address as a number, so quote it (address: \"0x...\", or nunet_onboard_address: "
            "\"0x...\" in the inventory)" % address
        )
    if not isinstance(address, str):
        module.fail_json(msg="address: expected text (0x... or addr1...), got %r" % (address,))
    return address


def _require_tool(module):
    """Fail with what to do when the tool is not there (run_command would only say errno 2)."""
    executable = module.params["executable"]
    if shutil.which(executable) is None:
        module.fail_json(
            msg="cannot run %s: not found or not executable on this node; install it "
            "(role nunet.onboard.nunet_onboard) or set the executable option to its path" % executable
        )


def _tool(module, *args):
    command = [module.params["executable"], *args]
    if module.params["state_dir"]:
        command += ["--state-dir", module.params["state_dir"]]
    return command


def _run(module, args, data=None):
    rc, out, err = module.run_command(
        _tool(module, *args), data=data, environ_update={"LC_ALL": "C.UTF-8"}
    )
    return rc, out, err


def _metadata(module):
    rc, out, dummy = _run(module, ["info", "--json"])
    if rc != 0:
        return None
    try:
        return json.loads(out)
    except ValueError:
        return None


def main():
    module = AnsibleModule(
        argument_spec=dict(
            state=dict(type="str", choices=["onboarded", "offboarded"], default="onboarded"),
            cpu=dict(type="raw"),
            memory=dict(type="raw"),
            disk=dict(type="raw"),
            cores=dict(type="int"),
            gpus=dict(type="raw"),
            channel=dict(
                type="str", choices=["nunet-staging", "nunet-test", "nunet-team", "nunet-edge"]
            ),
            address=dict(type="raw"),
            ntx_price=dict(type="float"),
            cardano=dict(type="bool"),
            available=dict(type="bool"),
            server_mode=dict(type="bool"),
            force=dict(type="bool", default=False),
            state_dir=dict(type="path"),
            executable=dict(type="path", default="nunet-onboard"),
        ),
        required_if=[("state", "onboarded", ("cpu", "memory", "channel", "address"))],
        supports_check_mode=True,
    )
    args = ["apply", "-", "--json"] + (["--check"] if module.check_mode else [])
    _require_tool(module)
    rc, out, err = _run(module, args, data=json.dumps(_target(module)))
    if rc != 0:
        message = err.strip() or out.strip() or "nunet-onboard apply exited %d" % rc
        module.fail_json(msg=message, rc=rc, changed=False)
    try:
        plan = json.loads(out)
    except ValueError:
        module.fail_json(msg="nunet-onboard apply printed no JSON: %s" % out[:200], rc=rc)
    onboarded_after = module.params["state"] == "onboarded"
    metadata = None
    if onboarded_after and (not module.check_mode or not plan["changed"]):
        metadata = _metadata(module)
    result = dict(
        changed=plan["changed"],
        action=plan["action"],
        metadata=metadata,
        offer=dict(before=plan["before"], after=plan["after"]),
    )
    for warning in plan["warnings"]:
        module.warn(warning)  # Ansible returns them as the result's warnings
    if module._diff:
        result["diff"] = dict(
            before=plan["before"],
            after=plan["after"],
            before_header="offer before",
            after_header="offer after",
        )
    module.exit_json(**result)


if __name__ == "__main__":
    main()
