"""docs/migrating.md shows real renders: every input block, rendered by `version-alias
render`, gives exactly the output block under it, and the notes block its stderr."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from version_alias.cli.main import main

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "migrating.md"
_BLOCK = re.compile(
    r"<!-- migrating: (?P<name>[\w-]+) (?P<part>input|output|notes) -->\n```\w*\n(?P<body>.*?)```",
    re.S,
)


def blocks() -> dict[str, dict[str, str]]:
    """name -> {"input": ..., "output": ..., "notes": ...} from the doc."""
    found: dict[str, dict[str, str]] = {}
    for match in _BLOCK.finditer(DOC.read_text(encoding="utf-8")):
        found.setdefault(match["name"], {})[match["part"]] = match["body"]
    return found


EXAMPLES = [pytest.param(name, parts, id=name) for name, parts in blocks().items()]


def test_every_migration_has_an_example() -> None:
    assert set(blocks()) == {"sam-keep", "sam-remove", "cdk", "serverless", "edge"}
    assert all({"input", "output"} <= set(parts) for parts in blocks().values())


@pytest.mark.parametrize(("name", "parts"), EXAMPLES)
def test_the_migration_guide_shows_real_renders(
    name: str, parts: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = tmp_path / f"{name}.yaml"
    template.write_text(parts["input"], encoding="utf-8")
    assert main(["render", str(template)]) == 0
    captured = capsys.readouterr()
    assert captured.out == parts["output"]
    assert captured.err == parts.get("notes", "")
