"""Render the real-world corpus (../shared/corpus) the way CloudFormation would.

Shared by scripts/compare_sam_oracle.py and the corpus tests. Local code paths are
swapped for S3 URIs first, as `sam package` would, because SAM's translator accepts only
S3 locations. Nothing here writes to the corpus.
"""

from __future__ import annotations

import copy
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from version_alias.cli.pipeline import RenderError, render
from version_alias.cli.sam_translate import SamTranslateError
from version_alias.cli.template_io import TemplateLoadError, load_template
from version_alias.context import TransformContext
from version_alias.errors import TransformError

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
# Properties that `sam package` uploads when they hold a local path.
PACKAGED = {
    "AWS::Serverless::Function": ("CodeUri",),
    "AWS::Serverless::LayerVersion": ("ContentUri",),
    "AWS::Serverless::StateMachine": ("DefinitionUri",),
    "AWS::Serverless::Api": ("DefinitionUri",),
    "AWS::Serverless::HttpApi": ("DefinitionUri",),
    "AWS::Lambda::LayerVersion": ("Content",),
}
LANGUAGE_EXTENSIONS = "AWS::LanguageExtensions"
_EXTENSION_FUNCTIONS = ("Fn::ForEach", "Fn::Length", "Fn::ToJsonString")
RENDER_ERRORS = (TemplateLoadError, RenderError, SamTranslateError, TransformError)


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


def _is_local(value: Any) -> bool:
    return isinstance(value, str) and not value.startswith(("s3://", "https://"))


def packaged(template: dict[str, Any]) -> dict[str, Any]:
    """A copy with local code paths replaced by S3 URIs, as `sam package` would (a function
    with no code location at all gets its folder uploaded, also as `sam package` does)."""
    out = _without_noop_language_extensions(copy.deepcopy(template))
    globals_ = out.get("Globals")
    function_globals = globals_.get("Function") if isinstance(globals_, dict) else None
    global_code = isinstance(function_globals, dict) and "CodeUri" in function_globals
    if isinstance(function_globals, dict) and _is_local(function_globals.get("CodeUri")):
        function_globals["CodeUri"] = "s3://corpus-packaged/globals.zip"
    resources = out.get("Resources")
    for name, resource in (resources or {}).items() if isinstance(resources, dict) else ():
        if not isinstance(resource, dict) or not isinstance(resource.get("Properties"), dict):
            continue
        properties = resource["Properties"]
        code_keys = ("CodeUri", "InlineCode", "ImageUri", "PackageType")
        if (
            resource.get("Type") == "AWS::Serverless::Function"
            and not global_code
            and not any(key in properties for key in code_keys)
        ):
            properties["CodeUri"] = f"s3://corpus-packaged/{name}-CodeUri.zip"
        for prop in PACKAGED.get(resource.get("Type"), ()):  # type: ignore[arg-type]
            if _is_local(properties.get(prop)):
                properties[prop] = f"s3://corpus-packaged/{name}-{prop}.zip"
    return out


def _without_noop_language_extensions(template: dict[str, Any]) -> dict[str, Any]:
    """Drop AWS::LanguageExtensions when the template uses none of its features, so that
    the template can be rendered locally; otherwise leave it (render then refuses)."""
    declared = template.get("Transform")
    names = declared if isinstance(declared, list) else [declared]
    if LANGUAGE_EXTENSIONS not in names or _uses_extensions(template):
        return template
    remaining = [name for name in names if name != LANGUAGE_EXTENSIONS]
    if remaining:
        template["Transform"] = remaining
    else:
        del template["Transform"]
    return template


def _uses_extensions(value: Any) -> bool:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and key.startswith(_EXTENSION_FUNCTIONS):
                return True
            if key == "Fn::FindInMap" and isinstance(item, list) and len(item) == 4:
                return True
            if key in ("DeletionPolicy", "UpdateReplacePolicy") and isinstance(item, dict):
                return True
            if _uses_extensions(item):
                return True
    elif isinstance(value, list):
        return any(_uses_extensions(item) for item in value)
    return False


def render_template(template: dict[str, Any]) -> dict[str, Any]:
    """SAM (when the template uses it) then VersionAlias; raises one of RENDER_ERRORS."""
    return render(packaged(template), TransformContext()).template


def load(entry: Entry) -> dict[str, Any]:
    return load_template(str(entry.path))


def rendered_corpus() -> Iterator[tuple[Entry, dict[str, Any] | None, str | None]]:
    """(entry, rendered template or None, why it could not be rendered)."""
    for entry in manifest():
        try:
            yield entry, render_template(load(entry)), None
        except RENDER_ERRORS as problem:
            yield entry, None, f"{type(problem).__name__}: {str(problem).splitlines()[0]}"
