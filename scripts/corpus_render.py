"""Render the real-world corpus (../shared/corpus) the way CloudFormation would.

Shared by scripts/compare_sam_oracle.py, scripts/corpus_check.py and the corpus tests.
Nothing here writes to the corpus.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from version_alias.cli.support.artifacts import ArtifactOptions
from version_alias.cli.support.pipeline import TEMPLATE_ERRORS, RenderOptions, render
from version_alias.cli.support.template_io import load_template
from version_alias.context import TransformContext
from version_alias.errors import TransformError

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
RENDER_ERRORS = (*TEMPLATE_ERRORS, TransformError)  # what the CLI reports, as a message


@dataclass(frozen=True)
class Entry:
    """One MANIFEST.tsv row."""

    file: str
    kind: str
    notes: str

    @property
    def path(self) -> Path:
        return CORPUS / self.file

    @property
    def oracle(self) -> Path | None:
        for note in self.notes.split(";"):
            key, _, value = note.strip().partition(": ")
            if key == "oracle":
                return CORPUS / value.strip()
        return None

    @property
    def features(self) -> set[str]:
        for note in self.notes.split(";"):
            key, _, value = note.strip().partition(": ")
            if key == "features":
                return {item.strip() for item in value.split(",")}
        return set()


def manifest() -> list[Entry]:
    """Templates of the corpus (SAM translator outputs excluded: they are oracles)."""
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [
        Entry(row["file"], row["kind"], row["notes"])
        for row in rows
        if not row["file"].startswith("sam-translator/output/")
    ]


def render_template(template: dict[str, Any], base: Path) -> dict[str, Any]:
    """SAM (when the template uses it) then VersionAlias; raises one of RENDER_ERRORS.

    The corpus is published without its code, so local code paths are hashed by name
    (`--allow-missing-artifacts`), standing in for what `sam package` would upload.
    """
    options = RenderOptions(artifacts=ArtifactOptions(allow_missing=True))
    rendered = render(template, TransformContext(), base, options)
    return rendered.template


def load(entry: Entry) -> dict[str, Any]:
    return load_template(str(entry.path))
