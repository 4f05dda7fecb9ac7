"""How a GPU tool is run and bounded: its time, its output's size, its failures in words.

The tools are fake executables on PATH (shell scripts, some calling this Python to
print exact byte counts); the tests pin the problem a user reads and the time a broken
tool may cost.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

from app.hardware import probe_gpus
from app.hardware.gpus._run import MAX_STDOUT, cut
from tests.conftest import HANG_S

MakeTool = Callable[[str, str], Path]
LINE = "{i}, NVIDIA L4, 23034, 22000, 550.54.14, GPU-{i}, 5, 40"


def _cat(text: str) -> str:
    return f"/bin/cat <<'EOF'\n{text}\nEOF\n"


def test_output_of_exactly_the_bound_is_read(no_nvml: object, fake_bin: MakeTool) -> None:
    line = LINE.format(i=0) + "\n"
    pad = MAX_STDOUT - len(line)
    script = f"import sys; sys.stdout.write({line!r} + '\\n' * {pad})"
    fake_bin("nvidia-smi", f'exec {sys.executable} -c "{script}"\n')
    report = probe_gpus(timeout_s=HANG_S)
    assert report.problems == ()
    assert [gpu.name for gpu in report.devices] == ["NVIDIA L4"]


def test_output_in_several_pieces_is_joined_as_printed(no_nvml: object, fake_bin: MakeTool) -> None:
    first, second = LINE.format(i=0), LINE.format(i=1)
    fake_bin("nvidia-smi", f"echo '{first}'\n/bin/sleep 0.2\necho '{second}'\n")
    report = probe_gpus(timeout_s=HANG_S)
    assert [(gpu.index, gpu.uuid) for gpu in report.devices] == [(0, "GPU-0"), (1, "GPU-1")]
    fake_bin("nvidia-smi", "printf 'driver ' >&2\n/bin/sleep 0.2\necho 'not loaded' >&2\nexit 9\n")
    report = probe_gpus(timeout_s=HANG_S)
    assert "nvidia-smi failed: driver not loaded" in report.problems


def _running(pid: int) -> bool:
    """The process is there and not a zombie waiting for its parent to reap it."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_tool_that_closes_its_output_and_stays_is_stopped(
    no_nvml: object, fake_bin: MakeTool, tmp_path: Path
) -> None:
    pid_file = tmp_path / "tool.pid"
    fake_bin("nvidia-smi", f"echo $$ > {pid_file}\nexec >&- 2>&-\nexec /bin/sleep 120\n")
    started = time.monotonic()
    report = probe_gpus(timeout_s=0.3)
    assert time.monotonic() - started < HANG_S  # not the tool's two minutes
    assert "nvidia-smi did not answer in 0.3 s" in report.problems
    assert not _running(int(pid_file.read_text()))  # stopped, not left behind


def test_a_child_that_escaped_the_group_is_not_waited_for(
    no_nvml: object, fake_bin: MakeTool, tmp_path: Path
) -> None:
    # The child starts its own session, so killing the tool's group misses it, and it
    # keeps the tool's stdout open: we stop waiting for it after a second.
    pid_file = tmp_path / "escaped.pid"
    child = (
        "import os, time; os.setsid(); "
        f"open({str(pid_file)!r}, 'w').write(str(os.getpid())); time.sleep(120)"
    )
    fake_bin("nvidia-smi", f'{sys.executable} -c "{child}" &\nexec /bin/sleep 120\n')
    started = time.monotonic()
    try:
        report = probe_gpus(timeout_s=0.5)
        elapsed = time.monotonic() - started
    finally:
        deadline = time.monotonic() + HANG_S
        while not pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        if pid_file.exists():
            os.kill(int(pid_file.read_text()), signal.SIGKILL)
    assert "nvidia-smi did not answer in 0.5 s" in report.problems
    assert elapsed < HANG_S  # not the escaped child's two minutes


def test_sixty_four_cards_are_accepted(no_nvml: object, fake_bin: MakeTool) -> None:
    fake_bin("nvidia-smi", _cat("\n".join(LINE.format(i=i) for i in range(64))))
    report = probe_gpus(timeout_s=HANG_S)
    assert len(report.devices) == 64 and report.problems == ()


def test_too_many_amd_cards_are_counted_in_the_problem(no_nvml: object, fake_bin: MakeTool) -> None:
    cards = ", ".join(f'"card{i}": {{"Card Series": "Radeon"}}' for i in range(65))
    fake_bin("rocm-smi", _cat("{" + cards + "}"))
    report = probe_gpus(timeout_s=HANG_S)
    assert report.problems[-1] == (
        "rocm-smi gave an answer we cannot read: it listed 65 GPUs, more than the 64 we accept"
    )


def test_a_repeated_index_shows_the_first_eight_sorted(no_nvml: object, fake_bin: MakeTool) -> None:
    indices = [8, 7, 6, 5, 4, 3, 2, 1, 0, 0]
    fake_bin("nvidia-smi", _cat("\n".join(LINE.format(i=i) for i in indices)))
    report = probe_gpus(timeout_s=HANG_S)
    assert report.problems[1] == (
        "nvidia-smi gave an answer we cannot read: "
        "it gave a GPU index twice ([0, 0, 1, 2, 3, 4, 5, 6])"
    )


def test_names_are_cleaned_and_cut_to_120_characters(no_nvml: object, fake_bin: MakeTool) -> None:
    exact = "A" * 120
    long = "B" * 200
    lines = [
        LINE.format(i=0).replace("NVIDIA L4", "NVIDIA\tL4\x07"),
        LINE.format(i=1).replace("NVIDIA L4", exact),
        LINE.format(i=2).replace("NVIDIA L4", long),
    ]
    fake_bin("nvidia-smi", _cat("\n".join(lines)))
    report = probe_gpus(timeout_s=HANG_S)
    assert [gpu.name for gpu in report.devices] == ["NVIDIA L4", exact, "B" * 117 + "..."]


def test_a_tool_runs_with_its_arguments_in_the_c_locale(
    no_nvml: object, fake_bin: MakeTool
) -> None:
    fake_bin(
        "nvidia-smi",
        'case "$1" in --query-gpu=index,name,*) ;; *) exit 3 ;; esac\n'
        'echo "0, NVIDIA $LC_ALL, 23034, 22000, args $#, GPU-0, 5, 40"\n',
    )
    (gpu,) = probe_gpus(timeout_s=HANG_S).devices
    assert (gpu.name, gpu.driver) == ("NVIDIA C", "args 2")


def test_a_tool_never_reads_the_users_terminal(no_nvml: object, fake_bin: MakeTool) -> None:
    # Our stdin is a pipe nobody writes to (as a terminal nobody types into): a tool
    # that reads its input must get end-of-file at once, not wait on it.
    fake_bin("nvidia-smi", f"/bin/cat >/dev/null\necho '{LINE.format(i=0)}'\n")
    read_end, write_end = os.pipe()
    saved = os.dup(0)
    os.dup2(read_end, 0)
    try:
        report = probe_gpus(timeout_s=HANG_S)
    finally:
        os.dup2(saved, 0)
        for fd in (saved, read_end, write_end):
            os.close(fd)
    assert report.problems == ()
    assert [gpu.name for gpu in report.devices] == ["NVIDIA L4"]


def test_a_tool_that_cannot_be_executed(no_nvml: object, fake_bin: MakeTool) -> None:
    tool = fake_bin("nvidia-smi", "")
    tool.write_bytes(b"\x00\x01\x02\x03 not a program")
    report = probe_gpus(timeout_s=HANG_S)
    assert report.problems[1] == "nvidia-smi could not be started: Exec format error"
    assert report.problems[1] in report.faults


def test_a_tool_that_lists_no_card(no_nvml: object, fake_bin: MakeTool) -> None:
    fake_bin("nvidia-smi", "exit 0\n")
    report = probe_gpus(timeout_s=HANG_S)
    assert report.problems[1] == "nvidia-smi found no NVIDIA GPU"
    assert report.faults == ()


def test_a_failing_tool_is_quoted_up_to_300_characters(no_nvml: object, fake_bin: MakeTool) -> None:
    line = "E" * 301
    fake_bin("nvidia-smi", f"echo '{line}' >&2\nexit 1\n")
    assert probe_gpus(timeout_s=HANG_S).problems[1] == f"nvidia-smi failed: {'E' * 297}..."
    fake_bin("nvidia-smi", "exit 4\n")
    assert probe_gpus(timeout_s=HANG_S).problems[1] == "nvidia-smi failed with exit code 4"


def test_a_message_cut_where_a_space_falls_still_says_it_was_cut(
    no_nvml: object, fake_bin: MakeTool
) -> None:
    """The 301st character being a space must not hide that the rest was dropped."""
    line = "E" * 300 + " and the rest of the story"
    fake_bin("nvidia-smi", f"echo '{line}' >&2\nexit 1\n")
    assert probe_gpus(timeout_s=HANG_S).problems[1] == f"nvidia-smi failed: {'E' * 297}..."
    fake_bin("nvidia-smi", f"echo '{'E' * 300}   ' >&2\nexit 1\n")
    assert probe_gpus(timeout_s=HANG_S).problems[1] == f"nvidia-smi failed: {'E' * 300}"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("E" * 10, "E" * 10),
        ("E" * 11, "E" * 7 + "..."),
        ("E" * 10 + " X", "E" * 7 + "..."),  # the 11th is a space, the 12th is not
        ("E" * 10 + "\x00XYZ", "E" * 7 + "..."),  # a control character, then text
        ("E" * 10 + "   ", "E" * 10),  # only blanks dropped: nothing was lost
        ("E" * 10 + " \n\t\x00", "E" * 10),
        ("  EE\x1bE  ", "EE E"),
    ],
)
def test_cut_says_when_it_dropped_something_and_only_then(text: str, said: str) -> None:
    assert cut(text, 10) == said


def test_output_that_is_not_utf8_is_read_leniently(no_nvml: object, fake_bin: MakeTool) -> None:
    fake_bin("nvidia-smi", "printf '0, NVIDIA \\377, 23034, 22000, 550, GPU-0, 5, 40\\n'\n")
    (gpu,) = probe_gpus(timeout_s=HANG_S).devices
    assert gpu.name == "NVIDIA \ufffd"
    fake_bin("nvidia-smi", "printf 'driver \\377 gone\\n' >&2\nexit 9\n")
    assert probe_gpus(timeout_s=HANG_S).problems[1] == "nvidia-smi failed: driver \ufffd gone"


def test_running_a_tool_leaves_no_descriptor_open(no_nvml: object, fake_bin: MakeTool) -> None:
    fake_bin("nvidia-smi", f"echo '{LINE.format(i=0)}'\n")
    probe_gpus(timeout_s=HANG_S)  # warm up: imports and the selector's first use
    before = sorted(os.listdir("/proc/self/fd"))
    for _ in range(3):
        probe_gpus(timeout_s=HANG_S)
    assert sorted(os.listdir("/proc/self/fd")) == before


def test_running_a_tool_leaves_no_pipe_to_the_garbage_collector(
    no_nvml: object, fake_bin: MakeTool
) -> None:
    fake_bin("nvidia-smi", f"echo '{LINE.format(i=0)}'\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        report = probe_gpus(timeout_s=HANG_S)
        gc.collect()
    assert [gpu.name for gpu in report.devices] == ["NVIDIA L4"]
    assert [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)] == []
