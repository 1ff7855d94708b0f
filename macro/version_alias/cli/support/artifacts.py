"""Local artifact paths (`CodeUri: src/`) replaced by a digest of what they contain.

`sam package` uploads a local folder and writes its S3 location into the template; the
macro then hashes that location. Before packaging there is no location yet, so the CLI
stands in a content digest: the same tree always gives the same version ID, and any edit
to a file that would be shipped gives a new one. The ID shown locally can differ from the
deployed one (which hashes the real S3 key); what is guaranteed is changed / not changed.

What is hashed is what `sam build` ships: the folders and files of the table's `excluded`
section (version control, `.aws-sam`, caches, `node_modules`; data/artifact_properties.json
cites the packagers' lists) are left out, and inside a git work tree so is every file git
ignores. A folder taken from a git revision (`diff HEAD:template.yaml ...`) holds only
tracked files, so both sides of a diff hash the same set of files.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ...data.tables import load_data
from ...template import paths

PREVIEW_BUCKET = "version-alias-local"
LOCAL_KEY_PREFIX = "local/"
_REMOTE_PREFIXES = ("s3://", "https://", "http://")


class ArtifactError(Exception):
    """A local artifact path that does not exist; names the resource and the path, and
    `path` (keys from the template root) locates the property for `file:line:column`."""

    def __init__(self, message: str, path: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.path = path


@dataclass(frozen=True)
class Artifact:
    resource: str
    property: str
    local_path: str
    digest: str
    missing: bool = False


@dataclass(frozen=True)
class ArtifactOptions:
    """How local paths are read.

    allow_missing: hash a path that does not exist by its text (with a warning);
    read_code: False hashes every path by its text without reading it (`check`, which
    never shows a version ID); git_ignores: leave out what git ignores (False for a folder
    extracted from a git revision, which has no ignored files to leave out).
    """

    allow_missing: bool = False
    read_code: bool = True
    git_ignores: bool = True


@cache
def _table() -> dict[str, Any]:
    return load_data("artifact_properties.json")


@cache
def _excluded() -> tuple[frozenset[str], tuple[str, ...]]:
    section = _table()["excluded"]
    return frozenset(section["names"]), tuple(section["suffixes"])


def is_local_path(value: Any) -> bool:
    return isinstance(value, str) and bool(value) and not value.startswith(_REMOTE_PREFIXES)


def is_excluded(relative: str) -> bool:
    """Whether a path inside a code folder (posix, relative) is left out of the hash."""
    names, suffixes = _excluded()
    parts = relative.split("/")
    return any(part in names for part in parts) or parts[-1].endswith(suffixes)


@cache
def git_listing(folder: Path) -> frozenset[str] | None:
    """The files git does not ignore under `folder` (tracked, or untracked and not
    ignored), relative to it; None outside a git work tree or without git."""
    try:
        done = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=folder,
            capture_output=True,
            check=False,
        )
    except OSError:
        return None
    if done.returncode != 0:
        return None
    names = frozenset(
        name for name in done.stdout.decode("utf-8", "surrogateescape").split("\0") if name
    )
    # Nothing listed: git ignores the whole folder (`sam build` output under .aws-sam/),
    # which is then hashed as it is.
    return names or None


def shipped_files(path: Path, git_ignores: bool = True) -> list[str]:
    """The files of a code folder that a build ships, as sorted posix paths relative to it."""
    listing = git_listing(path.resolve()) if git_ignores else None
    found = []
    for root, directories, files in os.walk(path):
        names, _ = _excluded()
        directories[:] = sorted(d for d in directories if d not in names)
        for name in files:
            relative = Path(root, name).relative_to(path).as_posix()
            if is_excluded(relative) or (listing is not None and relative not in listing):
                continue
            found.append(relative)
    return sorted(found)


def content_digest(path: Path, git_ignores: bool = True) -> str:
    """SHA-256 over sorted relative paths and bytes of the files a build ships."""
    digest = hashlib.sha256()
    if path.is_file():
        digest.update(path.read_bytes())
        return digest.hexdigest()
    for relative in shipped_files(path, git_ignores):
        encoded = relative.encode("utf-8", "surrogateescape")
        data = (path / relative).read_bytes()
        digest.update(b"%d:%s:%d:" % (len(encoded), encoded, len(data)))
        digest.update(data)
    return digest.hexdigest()


def local_digest(value: str) -> str | None:
    """The digest of a preview stand-in S3 key (`local/<digest>`), else None."""
    if isinstance(value, str) and value.startswith(LOCAL_KEY_PREFIX):
        return value[len(LOCAL_KEY_PREFIX) :]
    return None


def _uploaded(form: str, digest: str) -> Any:
    key = f"{LOCAL_KEY_PREFIX}{digest}"
    if form == "code":
        return {"S3Bucket": PREVIEW_BUCKET, "S3Key": key}
    if form == "location":
        return {"Bucket": PREVIEW_BUCKET, "Key": key}
    return f"s3://{PREVIEW_BUCKET}/{key}"


def _localize(
    value: Any, form: str, base: Path, resource: str, prop: str, options: ArtifactOptions
) -> tuple[Any, Artifact | None]:
    if not is_local_path(value):
        return value, None
    if not options.read_code:
        digest = hashlib.sha256(f"path:{value}".encode()).hexdigest()
        return _uploaded(form, digest), Artifact(resource, prop, value, digest)
    path = (base / value).resolve()
    if not path.exists() and options.allow_missing:
        digest = hashlib.sha256(f"missing:{value}".encode()).hexdigest()
        return _uploaded(form, digest), Artifact(resource, prop, value, digest, missing=True)
    if not path.exists():
        raise ArtifactError(
            f"{resource}.{prop}: local path {value!r} does not exist (looked in {path}). "
            "Fix: correct the path (it is relative to the template's folder), run sam build "
            "first, or pass --allow-missing-artifacts.",
            (*resource.split("."), *prop.split(".")),
        )
    digest = content_digest(path, options.git_ignores)
    return _uploaded(form, digest), Artifact(resource, prop, value, digest)


def _get(properties: dict[str, Any], dotted: str) -> Any:
    value: Any = properties
    for key in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def localize_artifacts(
    template: dict[str, Any], base: Path, options: ArtifactOptions | None = None
) -> tuple[dict[str, Any], list[Artifact]]:
    """The template with local artifact paths replaced by digest stand-ins, and what was
    replaced. The input is not mutated. See ArtifactOptions for a path that does not exist
    (a template read without its code, as in a review tool)."""
    options = options or ArtifactOptions()
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
                    options,
                )
                if artifact:
                    properties = paths.replace(properties, tuple(row["property"].split(".")), new)
                    found.append(artifact)
            if properties is not resource.get("Properties"):
                new_resources[logical_id] = {**resource, "Properties": properties}
        out["Resources"] = new_resources
    out = _localize_globals(out, base, found, options)
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
    template: dict[str, Any], base: Path, found: list[Artifact], options: ArtifactOptions
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
            options,
        )
        if artifact:
            new_sections[row["section"]] = {**section, row["property"]: new}
            found.append(artifact)
    return {**template, "Globals": new_sections}
