"""Every relative link in the README, CHANGELOG and docs/, and every repository path they
name in backticks, points at something that exists: the docs follow every move."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted([ROOT / "README.md", ROOT / "CHANGELOG.md", *(ROOT / "docs").glob("*.md")])
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
# `macro/...`, `tests/...`, `scripts/...`, `samples/...`, `docs/...` in backticks or links.
REPO_PATH = re.compile(r"(?<![\w/.-])((?:macro|tests|scripts|samples|docs)/[\w./-]*[\w/])")


def targets(doc: Path) -> list[tuple[str, Path]]:
    text = doc.read_text(encoding="utf-8")
    found = []
    for link in LINK.findall(text):
        if "://" not in link and not link.startswith("mailto:"):
            found.append((link, (doc.parent / link).resolve()))
    for path in REPO_PATH.findall(text):
        if "*" not in path and "<" not in path:
            found.append((path, ROOT / path))
    return found


@pytest.mark.parametrize("doc", DOCS, ids=lambda doc: str(doc.relative_to(ROOT)))
def test_links_and_paths_exist(doc: Path) -> None:
    missing = sorted({text for text, target in targets(doc) if not target.exists()})
    assert missing == [], f"{doc.relative_to(ROOT)} names paths that do not exist"


def test_a_moved_path_is_found(tmp_path: Path) -> None:
    doc = tmp_path / "x.md"
    doc.write_text("See [the hash](macro/version_alias/hashing.py) and `tests/nothing.py`.")
    texts = {text for text, target in targets(doc) if not target.exists()}
    assert texts == {"macro/version_alias/hashing.py", "tests/nothing.py"}
