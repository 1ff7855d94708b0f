"""Render the real-world corpus (../shared/corpus) the way CloudFormation would.

Shared by scripts/compare_sam_oracle.py, scripts/corpus_check.py and the corpus tests.
Nothing here writes to the corpus.
"""

from __future__ import annotations

import copy
import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from version_alias.cli.support.artifacts import ArtifactOptions
from version_alias.cli.support.pipeline import TEMPLATE_ERRORS, Rendered, RenderOptions, render
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
    return render_entry(template, base).template


def render_entry(template: dict[str, Any], base: Path) -> Rendered:
    """`render_template`, with the notes and the template the macro received."""
    options = RenderOptions(artifacts=ArtifactOptions(allow_missing=True))
    return render(template, TransformContext(), base, options)


def load(entry: Entry) -> dict[str, Any]:
    return load_template(str(entry.path))


# -- the second way: SAM templates without AutoPublishAlias --------------------------------
SERVERLESS_FUNCTION = "AWS::Serverless::Function"
# SAM function properties that exist only for AutoPublishAlias; the macro versions itself.
AUTO_PUBLISH_ONLY = (
    "AutoPublishAlias",
    "AutoPublishAliasAllProperties",
    "AutoPublishCodeSha256",
    "VersionDeletionPolicy",
    "VersionDescription",
)


def the_version_alias_way(template: dict[str, Any]) -> dict[str, Any] | None:
    """A SAM template written for VersionAlias instead of AutoPublishAlias, or None when it
    uses no AutoPublishAlias (nothing to move): the alias name becomes `AliasName`,
    `DeploymentPreference` moves as it is and `ProvisionedConcurrencyConfig` becomes
    `ProvisionedConcurrency`, all in `Metadata.VersionAlias` (the template's for Globals,
    the function's otherwise), as docs/migrating.md tells users."""
    if "AutoPublishAlias" not in json.dumps(template, default=str):
        return None
    out = copy.deepcopy(template)
    globals_ = out.get("Globals")
    function_globals = globals_.get("Function") if isinstance(globals_, dict) else None
    if isinstance(function_globals, dict):
        _move_options(function_globals, out)
        if not function_globals:
            del globals_["Function"]
    for resource in (out.get("Resources") or {}).values():
        if isinstance(resource, dict) and resource.get("Type") == SERVERLESS_FUNCTION:
            properties = resource.get("Properties")
            if isinstance(properties, dict):
                _move_options(properties, resource)
    return out


def _move_options(properties: dict[str, Any], owner: dict[str, Any]) -> None:
    options: dict[str, Any] = {}
    if "AutoPublishAlias" in properties:
        options["AliasName"] = properties["AutoPublishAlias"]
    if "DeploymentPreference" in properties:
        options["DeploymentPreference"] = properties.pop("DeploymentPreference")
    config = properties.pop("ProvisionedConcurrencyConfig", None)
    if isinstance(config, dict) and "ProvisionedConcurrentExecutions" in config:
        options["ProvisionedConcurrency"] = config["ProvisionedConcurrentExecutions"]
    for key in AUTO_PUBLISH_ONLY:
        properties.pop(key, None)
    if options:
        metadata = owner.setdefault("Metadata", {})
        metadata["VersionAlias"] = {**(metadata.get("VersionAlias") or {}), **options}
