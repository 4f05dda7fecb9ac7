"""A state file too large or too odd to read is kept aside whole before anything removes
it: copied through a hidden temporary file beside it, named for its content, never
through a link and never waited on."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from app.onboarding.atomic import copy_aside


def test_the_copy_is_whole_named_for_its_content_and_made_beside_it(tmp_path: Path) -> None:
    source = tmp_path / "state.json"
    content = b"x" * (3 << 20) + b"tail"  # more than one chunk
    source.write_bytes(content)
    seen: list[str] = []

    def name_for(digest: str) -> str:
        seen.extend(os.listdir(tmp_path))  # the copy, still under its temporary name
        return str(tmp_path / f"state.json.kept-{digest}")

    kept = copy_aside(source, name_for)
    digest = hashlib.sha256(content).hexdigest()[:12]
    assert kept == str(tmp_path / f"state.json.kept-{digest}")
    assert Path(kept).read_bytes() == content and source.read_bytes() == content
    temporary = [n for n in seen if n != "state.json"]
    assert len(temporary) == 1
    assert temporary[0].startswith(".state.json.unreadable-") and temporary[0].endswith(".tmp")
    assert sorted(os.listdir(tmp_path)) == sorted(["state.json", Path(kept).name])


def test_an_existing_copy_of_the_same_content_is_left_as_it_is(tmp_path: Path) -> None:
    source = tmp_path / "state.json"
    source.write_bytes(b"{broken")
    first = copy_aside(source, lambda digest: str(tmp_path / f"kept-{digest}"))
    os.utime(first, (1, 1))
    assert copy_aside(source, lambda digest: str(tmp_path / f"kept-{digest}")) == first
    assert os.stat(first).st_mtime == 1 and len(os.listdir(tmp_path)) == 2


def test_a_link_or_a_fifo_is_refused_and_nothing_is_left(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.write_bytes(b"not ours")
    (tmp_path / "link.json").symlink_to(target)
    os.mkfifo(tmp_path / "fifo.json")
    with pytest.raises(OSError):
        copy_aside(tmp_path / "link.json", lambda digest: str(tmp_path / digest))
    with pytest.raises(OSError, match=r"fifo\.json is not a regular file"):
        copy_aside(tmp_path / "fifo.json", lambda digest: str(tmp_path / digest))
    assert sorted(os.listdir(tmp_path)) == ["elsewhere", "fifo.json", "link.json"]
