"""A broken GPU tool costs bounded memory and is a tool fault, never a state no write accepts."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from app.hardware.gpus import probe_gpus
from app.hardware.gpus._run import MAX_VRAM_MB, vram_mb
from tests.conftest import ETH_ADDRESS

REPO = Path(__file__).resolve().parents[2]
MakeTool = Callable[[str, str], Path]
MB = 1024 * 1024
LINE = "0, NVIDIA L4, {total}, 22000, 550.54.14, GPU-0, 5, 40\n"

PEAK_MEMORY = """
import resource, subprocess, sys
r = subprocess.run([sys.executable, '-m', 'app', *sys.argv[1:]], capture_output=True,
                   text=True, timeout=60)
print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(r.stdout + r.stderr)
"""


def _cli_with_tool(tmp_path: Path, tool: str, *argv: str) -> tuple[int, int, str]:
    """Run the CLI with ``tool`` as nvidia-smi on PATH: (exit code, peak KB, output)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "nvidia-smi").write_text(f"#!/bin/sh\n{tool}")
    (bin_dir / "nvidia-smi").chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "NUNET_ONBOARD_STATE_DIR": str(tmp_path / "state"),
    }
    result = subprocess.run(
        [sys.executable, "-c", PEAK_MEMORY, *argv],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    first, _, said = result.stdout.partition("\n")
    code, peak_kb = first.split()
    return int(code), int(peak_kb), said


def test_a_detached_child_that_keeps_writing_does_not_drive_memory_up(tmp_path: Path) -> None:
    """The tool leaves a child in a session of its own writing to our pipe, and exits 0.
    Draining the pipes for a second after the bound once took 2 GB."""
    code, peak_kb, said = _cli_with_tool(
        tmp_path, 'setsid sh -c "exec yes" &\nexit 0\n', "capacity"
    )
    assert code == 0, said
    assert "nvidia-smi printed more than 1024 KB of output; it was stopped" in said
    assert peak_kb * 1024 < 100 * MB


@pytest.mark.parametrize("total", ["1e30", "inf", "nan", "-5", "99999999999"])
def test_a_gpu_memory_no_gpu_has_is_a_tool_fault(
    no_nvml: object, fake_bin: MakeTool, total: str
) -> None:
    fake_bin("nvidia-smi", f"/bin/cat <<'EOF'\n{LINE.format(total=total)}EOF\n")
    report = probe_gpus(timeout_s=10)
    assert report.devices == ()
    assert not report.readable  # a fault: the offered GPUs are kept, not called missing
    assert (
        f"nvidia-smi gave an answer we cannot read: it reported {total} MB of GPU memory, "
        "which no GPU has"
    ) in report.problems


def test_the_largest_memory_a_gpu_may_report_is_kept() -> None:
    assert vram_mb(float(MAX_VRAM_MB), str(MAX_VRAM_MB)) == MAX_VRAM_MB
    with pytest.raises(ValueError, match="which no GPU has"):
        vram_mb(MAX_VRAM_MB + 1.0, "x")


def test_a_gpu_reporting_1e30_mb_does_not_block_a_write(tmp_path: Path) -> None:
    """Kept, 1e30 made a state of the wrong shape, and every write was refused."""
    offer = tmp_path / "offer.toml"
    offer.write_text(
        'state = "onboarded"\ncpu = "50%"\nmemory = "20%"\nchannel = "nunet-team"\n'
        f'address = "{ETH_ADDRESS}"\n'
    )
    tool = f"/bin/cat <<'EOF'\n{LINE.format(total='1e30')}EOF\n"
    code, _, said = _cli_with_tool(tmp_path, tool, "apply", str(offer))
    assert code == 0, said
    assert "wrong shape" not in said
