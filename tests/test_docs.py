"""The README stays short, and the documentation never points at what the repo lacks.

The README is for people deciding whether and how to use nunet-onboard; the details
live in ``docs/``. A link that names a moved or renamed file, or a citation of a
document the repository does not ship, sends the reader nowhere, so every relative
link, every ``#anchor`` into a Markdown page, and every repository path the documents
name must resolve in this checkout.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
README_MAX_LINES = 250

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
"""A Markdown link or image: the target is the first group."""

REPO_PATH = re.compile(
    r"(?<![\w./~-])((?:app|tests|benchmarks|screenshots|docs|ansible|styles|\.ci)/"
    r"(?:[\w./-]*?(?:\.(?:py|md|txt|toml|yml|yaml|sh|png|tcss|json|rst)|/))?)(?![\w-])"
)
"""A path into this repository as a document writes it: a file with its suffix, or a
directory with its trailing slash (``app/styles`` without one is the wheel's path)."""

SKIPPED_DIRS = {".git", ".venv", ".venv-ansible-oldest", "mutants", "node_modules", "dist", "build"}
TEXT_SUFFIXES = {".py", ".md", ".toml", ".yml", ".yaml", ".txt", ".rst", ".cfg", ".sh", ".tcss"}
FORBIDDEN = ("DESIGN" + ".md", "../" + "shared")
"""Documents that live outside the repository: nothing here may cite them."""


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as -."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """The anchors of every heading in ``page`` (code blocks' ``#`` lines are not headings)."""
    found: set[str] = set()
    in_code = False
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and line.startswith("#"):
            found.add(slug(line.lstrip("#")))
    return found


def repo_files() -> list[Path]:
    """Every text file the repository holds: git's files (tracked, or new and not ignored),
    or, outside a git checkout, the tree with build and tool directories left out."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    candidates = (
        [ROOT / name for name in listed.stdout.splitlines()]
        if listed.returncode == 0
        else list(ROOT.rglob("*"))
    )
    files = []
    for path in candidates:
        parts = set(path.relative_to(ROOT).parts)
        if parts & SKIPPED_DIRS or any(p.endswith((".egg-info", "_cache")) for p in parts):
            continue
        if path.is_file() and (path.suffix in TEXT_SUFFIXES or path.name == "run"):
            files.append(path)
    return files


def test_readme_stays_short() -> None:
    lines = README.read_text(encoding="utf-8").count("\n")
    assert lines < README_MAX_LINES, (
        f"README.md has {lines} lines; keep it under {README_MAX_LINES} and move details into docs/"
    )


def broken_links(page: Path, root: Path = ROOT) -> list[str]:
    """Each relative link of ``page`` whose file, or heading, ``root`` does not hold."""
    broken = []
    for target in LINK.findall(page.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):  # https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        linked = (page.parent / file_part).resolve() if file_part else page
        if not linked.exists() or not linked.is_relative_to(root):
            broken.append(f"{target}: no such file in the repository")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(f"{target}: {linked.name} has no heading #{anchor}")
    return broken


def missing_paths(page: Path, root: Path = ROOT) -> list[str]:
    """The repository paths ``page`` names that ``root`` does not hold."""
    named = REPO_PATH.findall(page.read_text(encoding="utf-8"))
    return sorted({path for path in named if not (root / path).exists()})


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page: Path) -> None:
    assert not broken_links(page)


@pytest.mark.parametrize(
    "page",
    [*PAGES, ROOT / "pyproject.toml"],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_every_repository_path_named_exists(page: Path) -> None:
    assert not missing_paths(page), f"{page.name} names paths the repository lacks"


def test_nothing_cites_documents_outside_the_repository() -> None:
    citing = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in repo_files()
        for name in FORBIDDEN
        if name in path.read_text(encoding="utf-8", errors="replace")
    ]
    assert not citing, citing


def test_the_checks_catch_a_broken_link_anchor_and_path(tmp_path: Path) -> None:
    """The checks above would pass on a page they cannot read: show what they catch."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "other.md").write_text("# Other page\n\n## Over SSH\n")
    page = tmp_path / "docs" / "page.md"
    page.write_text(
        "# Title\n\n```sh\n# not a heading\n```\n"
        "[gone](missing.md) [ok](other.md#over-ssh) [bad](other.md#nowhere) "
        "[here](#title) [code](#not-a-heading) [web](https://nunet.io)\n"
        "`docs/other.md`, `docs/gone.md`, `tests/` and `app/styles`\n"
    )
    assert broken_links(page, tmp_path) == [
        "missing.md: no such file in the repository",
        "other.md#nowhere: other.md has no heading #nowhere",
        "#not-a-heading: page.md has no heading #not-a-heading",
    ]
    assert missing_paths(page, tmp_path) == ["docs/gone.md", "tests/"]
