"""Local artifact paths (`CodeUri: src/`) replaced by a digest of what they contain.

`sam package` uploads a local folder and writes its S3 location into the template; the
macro then hashes that location. Before packaging there is no location yet, so the CLI
stands in a content digest: the same tree always gives the same version ID, and any edit
to a file that would be uploaded gives a new one. The ID shown locally can differ from the
deployed one (which hashes the real S3 key); what is guaranteed is changed / not changed.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ...data.tables import load_data
from ...template import paths

PREVIEW_BUCKET = "version-alias-local"
IGNORED_DIRECTORIES = frozenset({"__pycache__", ".aws-sam"})
IGNORED_SUFFIXES = (".pyc",)
_REMOTE_PREFIXES = ("s3://", "https://", "http://")


class ArtifactError(Exception):
    """A local artifact path that does not exist; names the resource and the path."""


@dataclass(frozen=True)
class Artifact:
    resource: str
    property: str
    local_path: str
    digest: str
    missing: bool = False


@cache
def _table() -> dict[str, Any]:
    return load_data("artifact_properties.json")


@cache
def _rows_by_type() -> dict[str, list[dict[str, str]]]:
    by_type = _rows_by_type()
    return by_type


def is_local_path(value: Any) -> bool:
    return isinstance(value, str) and bool(value) and not value.startswith(_REMOTE_PREFIXES)


def content_digest(path: Path) -> str:
    """SHA-256 over sorted relative paths and bytes; ignores caches and build output."""
    digest = hashlib.sha256()
    if path.is_file():
        digest.update(path.read_bytes())
        return digest.hexdigest()
    for root, directories, files in os.walk(path):
        directories[:] = sorted(d for d in directories if d not in IGNORED_DIRECTORIES)
        for name in sorted(files):
            if name.endswith(IGNORED_SUFFIXES):
                continue
            full = Path(root, name)
            relative = full.relative_to(path).as_posix().encode("utf-8")
            data = full.read_bytes()
            digest.update(b"%d:%s:%d:" % (len(relative), relative, len(data)))
            digest.update(data)
    return digest.hexdigest()


def _uploaded(form: str, digest: str) -> Any:
    key = f"local/{digest}"
    if form == "code":
        return {"S3Bucket": PREVIEW_BUCKET, "S3Key": key}
    if form == "location":
        return {"Bucket": PREVIEW_BUCKET, "Key": key}
    return f"s3://{PREVIEW_BUCKET}/{key}"


def _localize(
    value: Any, form: str, base: Path, resource: str, prop: str, allow_missing: bool
) -> tuple[Any, Artifact | None]:
    if not is_local_path(value):
        return value, None
    path = (base / value).resolve()
    if not path.exists() and allow_missing:
        digest = hashlib.sha256(f"missing:{value}".encode()).hexdigest()
        return _uploaded(form, digest), Artifact(resource, prop, value, digest, missing=True)
    if not path.exists():
        raise ArtifactError(
            f"{resource}.{prop}: local path {value!r} does not exist (looked in {path}). "
            "Fix the path (it is relative to the template's folder), or run sam build first."
        )
    digest = content_digest(path)
    return _uploaded(form, digest), Artifact(resource, prop, value, digest)


def _get(properties: dict[str, Any], dotted: str) -> Any:
    value: Any = properties
    for key in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def localize_artifacts(
    template: dict[str, Any], base: Path, allow_missing: bool = False
) -> tuple[dict[str, Any], list[Artifact]]:
    """The template with local artifact paths replaced by digest stand-ins, and what was
    replaced. The input is not mutated. With `allow_missing`, a path that does not exist
    is hashed by its text (a template read without its code, as in a review tool)."""
    found: list[Artifact] = []
    by_type: dict[str, list[dict[str, str]]] = {}
    for row in _table()["properties"]:
        by_type.setdefault(row["type"], []).append(row)
    resources = template.get("Resources")
    out = dict(template)
    if isinstance(resources, dict):
        new_resources = dict(resources)
        for logical_id, resource in resources.items():
            rows = by_type.get(resource.get("Type")) if isinstance(resource, dict) else None
            properties = resource.get("Properties") if rows else None
            if not isinstance(properties, dict):
                continue
            for row in rows or ():
                value = _get(properties, row["property"])
                if value is None and _packaged_by_default(row, properties, template):
                    value = row["default"]
                new, artifact = _localize(
                    value,
                    row["form"],
                    base,
                    f"Resources.{logical_id}.Properties",
                    row["property"],
                    allow_missing,
                )
                if artifact:
                    properties = paths.replace(properties, tuple(row["property"].split(".")), new)
                    found.append(artifact)
            if properties is not resource.get("Properties"):
                new_resources[logical_id] = {**resource, "Properties": properties}
        out["Resources"] = new_resources
    out = _localize_globals(out, base, found, allow_missing)
    return out, found


def _packaged_by_default(
    row: dict[str, Any], properties: dict[str, Any], template: dict[str, Any]
) -> bool:
    """`sam package` uploads the template's folder for a function that names no code."""
    if "default" not in row:
        return False
    sections = template.get("Globals")
    section = sections.get("Function") if isinstance(sections, dict) else None
    defined = [properties, section if isinstance(section, dict) else {}]
    keys = [row["property"], *row.get("unless", ())]
    return not any(key in where for where in defined for key in keys)


def _localize_globals(
    template: dict[str, Any], base: Path, found: list[Artifact], allow_missing: bool
) -> dict:
    sections = template.get("Globals")
    if not isinstance(sections, dict):
        return template
    new_sections = dict(sections)
    for row in _table()["globals"]:
        section = sections.get(row["section"])
        if not isinstance(section, dict):
            continue
        new, artifact = _localize(
            section.get(row["property"]),
            row["form"],
            base,
            f"Globals.{row['section']}",
            row["property"],
            allow_missing,
        )
        if artifact:
            new_sections[row["section"]] = {**section, row["property"]: new}
            found.append(artifact)
    return {**template, "Globals": new_sections}
