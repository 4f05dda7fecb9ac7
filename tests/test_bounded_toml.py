"""app.bounded_toml: any TOML under the size cap costs tomllib under a second and 100 MB."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.bounded_toml import MAX_KEY_PARTS, MAX_KEYS, MAX_NESTING, TomlRefused, loads, too_complex

REPO = Path(__file__).resolve().parents[1]
CAP = 64 * 1024
MB = 1024 * 1024

# Each costs tomllib far more than its size on its own (the first: 15 s and 4 GB).
HOSTILE = {
    "dotted key": "x." * 32700 + "y=1",
    "dotted header": "[" + "a." * 32000 + "b]",
    "quoted dotted key": '"a".' * 16000 + "b=1",
    "spaced dotted key": "x . " * 16000 + "y=1",
    "nested arrays": "a=" + "[" * 30000 + "]" * 30000,
    "nested inline tables": "a=" + "{b=" * 16000 + "1" + "}" * 16000,
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_file_is_refused_before_tomllib_sees_it(text: str) -> None:
    assert len(text.encode()) <= CAP
    started = time.process_time()
    with pytest.raises(
        TomlRefused, match=r"dotted key of more than|nested more than|more than 4096 keys"
    ):
        loads(text)
    assert time.process_time() - started < 20  # a hang guard; the refusal takes milliseconds


def test_the_bounds_say_what_was_past_them() -> None:
    assert too_complex("a." * MAX_KEY_PARTS + "b=1") == (
        f"a dotted key of more than {MAX_KEY_PARTS} parts, more than nunet-onboard reads"
    )
    assert too_complex("a." * (MAX_KEY_PARTS - 1) + "b=1") is None
    assert too_complex("a=" + "[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1)) == (
        f"nested more than {MAX_NESTING} levels deep"
    )
    assert too_complex("a=" + "[" * MAX_NESTING + "]" * MAX_NESTING) is None
    many = "".join(f"k{i}=1\n" for i in range(MAX_KEYS + 1))
    assert too_complex(many) == f"more than {MAX_KEYS} keys, far more than nunet-onboard reads"


def test_dots_and_brackets_inside_strings_and_comments_do_not_count() -> None:
    text = (
        'a = "' + "x." * 5000 + '"\n'
        "b = '" + "[" * 100 + "'\n"
        'c = """' + "y." * 5000 + '\\""" still in the string """\n'
        "d = '''" + "{" * 100 + "'''\n"
        "# " + "z." * 5000 + "\n"
        "e.f.g = 1.5\n"
    )
    assert too_complex(text) is None
    assert loads(text)["e"] == {"f": {"g": 1.5}}


def test_tomllibs_own_errors_are_one_refusal() -> None:
    with pytest.raises(TomlRefused, match=r"^not valid TOML \(Expected '=' after a key"):
        loads("a b")
    with pytest.raises(TomlRefused, match=r"^a value that cannot be read"):
        loads("a = " + "9" * 5000)


_KEY = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
_VALUE = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.text(alphabet="abc.[]{}#=\"'\\ ", max_size=20).map(
        lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
    ),
    st.text(alphabet='abc.[]{}#=" ', max_size=20).map(lambda s: "'''" + s + "'''"),
    st.lists(st.integers(0, 9).map(str), max_size=5).map(lambda v: "[" + ", ".join(v) + "]"),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.lists(_KEY, min_size=1, max_size=4), _VALUE), max_size=8))
def test_ordinary_files_parse_as_tomllib_parses_them(
    pairs: list[tuple[list[str], str]],
) -> None:
    text = "".join(f"{'.'.join(key)} = {value}  # note.{value[:3]}\n" for key, value in pairs)
    try:
        expected = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        with pytest.raises(TomlRefused):
            loads(text)
        return
    assert loads(text) == expected


@pytest.mark.parametrize("command", ["apply", "config"])
def test_the_worst_file_under_the_cap_costs_the_cli_under_a_second_and_100_mb(
    tmp_path: Path, command: str
) -> None:
    """The dotted key of the report, as an offer (``apply --check``) and as the config
    file (``status``), in a real process: its CPU time and peak memory are measured."""
    path = tmp_path / "hostile.toml"
    path.write_text(HOSTILE["dotted key"])
    argv = ["apply", "--check", str(path)] if command == "apply" else ["status"]
    env = {**os.environ, "NUNET_ONBOARD_STATE_DIR": str(tmp_path / "state")}
    if command == "config":
        env["NUNET_ONBOARD_CONFIG"] = str(path)
    code = (
        "import resource, subprocess, sys\n"
        "r = subprocess.run([sys.executable, '-m', 'app', *sys.argv[1:]], capture_output=True,"
        " text=True, timeout=60)\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(r.returncode, u.ru_utime + u.ru_stime, u.ru_maxrss, sep='\\n')\n"
        "print(r.stderr, end='')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, *argv],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    returncode, cpu_s, maxrss_kb, *said = result.stdout.splitlines()
    assert returncode == "2", result.stdout + result.stderr
    assert "a dotted key of more than 32 parts" in " ".join(said)
    assert int(maxrss_kb) * 1024 < 100 * MB
    assert float(cpu_s) < 20  # a bound for a loaded machine; tomllib alone took 15 s
