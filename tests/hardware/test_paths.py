"""The probes' str path helpers give what pathlib gave (status must not import pathlib):
the same spelling, the same parents, the same "missing" and the same errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.hardware._files import clean, exists, is_dir, is_file, parents
from app.hardware.cgroups import _chain
from app.hardware.disk import nearest_existing, read_disk

SPELLINGS = [
    "/",
    "//",
    "///a",
    "//a/b",
    "a",
    ".",
    "",
    "./a/./b/",
    "a//b",
    "/sys/fs/cgroup/../..",
    "../x",
    "a/..",
    "/a/b/c/",
]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_a_path_is_spelt_and_climbed_as_pathlib_does(spelling: str) -> None:
    assert clean(spelling) == str(Path(spelling))
    assert list(parents(clean(spelling))) == [str(p) for p in Path(spelling).parents]


def test_clean_takes_a_path_object(tmp_path: Path) -> None:
    assert clean(tmp_path / "x") == str(tmp_path / "x")


def _nearest_existing_by_pathlib(path: Path) -> Path:
    """The Path-based original that ``nearest_existing`` replaces."""
    candidate = path.expanduser().absolute()
    for p in (candidate, *candidate.parents):
        if p.exists():
            return p
    return Path(candidate.anchor or "/")


def test_the_nearest_existing_directory_is_the_one_pathlib_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "real" / "sub").mkdir(parents=True)
    (tmp_path / "link").symlink_to(tmp_path / "real" / "sub")
    (tmp_path / "file").write_text("x")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "real"))
    for spelling in [
        f"{tmp_path}/not/yet/state",
        f"{tmp_path}//real/./sub/",
        f"{tmp_path}/link/../missing",  # after the link, ".." is real/, not tmp_path
        f"{tmp_path}/file/under-a-file",
        "relative/state",
        "../elsewhere",
        "~/state",
        "~",
    ]:
        expected = str(_nearest_existing_by_pathlib(Path(spelling)))
        assert nearest_existing(spelling) == expected, spelling
        assert nearest_existing(Path(spelling)) == expected, spelling


def test_an_unknown_users_home_cannot_be_resolved() -> None:
    disk, problems = read_disk("~no-such-user-here/state")
    assert (disk.path, disk.total_gb) == ("~no-such-user-here/state", 0)
    assert problems == [
        "disk size unknown: ~no-such-user-here/state cannot be resolved"
        " (Could not determine home directory.)"
    ]


def test_missing_and_unreadable_are_told_apart_as_pathlib_does(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    for path in [tmp_path, tmp_path / "file", tmp_path / "missing", tmp_path / "file" / "x"]:
        assert (exists(str(path)), is_dir(str(path)), is_file(str(path))) == (
            path.exists(),
            path.is_dir(),
            path.is_file(),
        )
    assert (exists("/tmp/a\0b"), is_dir("/tmp/a\0b"), is_file("/tmp/a\0b")) == (False,) * 3
    too_long = str(tmp_path / ("x" * 300))
    for check in (exists, is_dir, is_file):
        with pytest.raises(OSError, match="File name too long"):
            check(too_long)


def _chain_by_pathlib(start: Path, mount: Path) -> list[Path]:
    """The Path-based original that ``_chain`` replaces."""
    chain = [start]
    current = start
    while current != mount and mount in current.parents:
        current = current.parent
        chain.append(current)
    return chain


@pytest.mark.parametrize(
    ("start", "mount"),
    [
        ("/sys/fs/cgroup/a/b", "/sys/fs/cgroup"),
        ("/sys/fs/cgroup", "/sys/fs/cgroup"),
        ("/sys/fs/cgroup/../..", "/sys/fs/cgroup"),  # a path from outside a cgroup namespace
        ("/elsewhere/a", "/sys/fs/cgroup"),
        ("/a", "/"),
        ("cg/a/b", "cg"),
        ("a", "."),
    ],
)
def test_the_cgroup_chain_is_the_one_pathlib_climbed(start: str, mount: str) -> None:
    expected = [str(p) for p in _chain_by_pathlib(Path(start), Path(mount))]
    assert _chain(start, mount) == expected
