"""Compare two templates function by function, with the same code that computes the hash.

Both sides are the templates the macro receives (after SAM). For each function the report
says whether the deploy publishes a new version and why: the property paths whose
*resolved* values differ, which is exactly what the digest covers. It also lists the
function-level changes it ignored and what the hash cannot see (imports, dynamic
references, SSM parameter values, NoEcho values that may arrive masked, unknown
properties). Values are never shown, only paths, so NoEcho values cannot leak.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ...context import TransformContext
from ...data.tables import function_properties
from ...invokers.existing import existing_versions
from ...invokers.versions import plan_versions
from ...template.validate import check_template
from ...versioning.hashing import NO_ECHO, FunctionHash, function_hash, resolved_properties
from ...versioning.identity import IDENTITY, identity_of
from ...versioning.resolve import SSM_MARKER
from ..support.artifacts import local_digest
from ..support.hash_warnings import is_secret, warnings_for
from .diff_values import shown_values

FUNCTION = "AWS::Lambda::Function"
RESOURCE_ATTRIBUTES = ("DependsOn", "DeletionPolicy", "UpdateReplacePolicy", "UpdatePolicy")
SALT_PATH = "Metadata.VersionAlias.Salt"
LOCAL_FILES = "local files"
EARLIER_PATH = "(earlier version)"  # the taken-over versions' own settings, e.g. CodeSha256


@dataclass(frozen=True)
class Change:
    path: str
    kind: str  # "changed", "added" or "removed"
    note: str = ""
    shown: tuple[str, str] | None = None  # (old, new) of a short scalar that may be shown

    def text(self) -> str:
        if self.path == "Code" and self.note == LOCAL_FILES:
            return "code changed (local files)"
        head = f"{self.path} {self.shown[0]} -> {self.shown[1]}" if self.shown else None
        head = head or f"{self.path} -> {self.kind}"
        return head + (f" ({self.note})" if self.note else "")


@dataclass
class FunctionDiff:
    function: str
    # "new-version", "same-version", "added", "removed", "not-versioned", or "first-version"
    # (the deployed template did not use VersionAlias)
    status: str
    old_version: str | None = None
    new_version: str | None = None
    changes: list[Change] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    taken_over: list[str] = field(default_factory=list)  # earlier versions NEW replaces

    @property
    def publishes(self) -> bool:
        return self.status in ("new-version", "added", "first-version")


@dataclass(frozen=True)
class _State:
    """One function on one side: its hash, what the hash ignores, and the earlier
    versions the macro's version replaces (without VersionAlias: the versions deployed)."""

    hashed: FunctionHash | None
    version: str | None
    ignored: dict[str, Any]
    taken_over: tuple[str, ...] = ()
    without_macro: bool = False  # deployed without VersionAlias


def compare(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    context: TransformContext,
    old_context: TransformContext | None = None,
    old_versioned: bool = True,
) -> list[FunctionDiff]:
    """Per-function differences between two pre-macro templates, sorted by logical ID.
    `old_context` holds OLD's parameter values when they differ from NEW's.
    `old_versioned=False`: OLD is deployed without VersionAlias, so its versions are its
    own (SAM's, hand-written) and every function VersionAlias versions publishes once."""
    before = _analyze(old, old_context or context) if old_versioned else _unversioned(old)
    after = _analyze(new, context)
    diffs = []
    for function_id in sorted(set(before) | set(after)):
        if function_id not in after:
            diffs.append(_removed(function_id, before[function_id]))
            continue
        state = after[function_id]
        diff = _compare_function(function_id, before.get(function_id), state)
        if state.hashed is not None:
            diff.warnings = warnings_for(state.hashed, context)
            diff.taken_over = [version for version in state.taken_over if version != state.version]
        diffs.append(diff)
    return diffs


def _removed(function_id: str, state: _State) -> FunctionDiff:
    return FunctionDiff(function_id, "removed", old_version=state.version)


def _compare_function(function_id: str, old: _State | None, new: _State) -> FunctionDiff:
    if new.hashed is None:
        return FunctionDiff(function_id, "not-versioned")
    if old is not None and old.without_macro:
        return _first_version(function_id, old, new)
    if old is None or old.hashed is None:
        return FunctionDiff(function_id, "added", new_version=new.version)
    changes = local_code(diff_values(old.hashed.locked, new.hashed.locked, ""), old, new)
    if old.hashed.salt != new.hashed.salt:
        changes.append(Change(SALT_PATH, _kind(old.hashed.salt, new.hashed.salt)))
    changes.extend(diff_values(old.hashed.earlier or {}, new.hashed.earlier or {}, EARLIER_PATH))
    ignored = sorted(
        name
        for name in set(old.ignored) | set(new.ignored)
        if old.ignored.get(name) != new.ignored.get(name)
    )
    status = "same-version" if old.version == new.version else "new-version"
    if status == "new-version" and not changes:
        changes.append(Change("(hash scheme)", "changed"))
    return FunctionDiff(
        function_id,
        status,
        old_version=old.version,
        new_version=new.version,
        changes=changes,
        ignored=ignored,
    )


def local_code(changes: list[Change], old: _State, new: _State) -> list[Change]:
    """Code.S3Bucket/S3Key of the preview's stand-ins say only that local files differ:
    one change, `code changed (local files)`. When only one side is local files, the two
    cannot be compared, and the change says so."""
    sides = [local_digest(_code_key(state)) for state in (old, new)]
    if not any(sides) or not any(change.path.startswith("Code") for change in changes):
        return changes
    note = LOCAL_FILES if all(sides) else "local files on one side, an S3 object on the other"
    others = [change for change in changes if not change.path.startswith("Code")]
    return [Change("Code", "changed", note), *others]


def _code_key(state: _State) -> Any:
    code = state.hashed.locked.get("Code") if state.hashed else None
    return code.get("S3Key") if isinstance(code, dict) else None


def _first_version(function_id: str, old: _State, new: _State) -> FunctionDiff:
    """OLD ran without VersionAlias: the deploy publishes the macro's first version."""
    note = f"replaces {', '.join(old.taken_over)}" if old.taken_over else "first version"
    return FunctionDiff(
        function_id,
        "first-version",
        old_version=", ".join(old.taken_over) or None,
        new_version=new.version,
        changes=[Change("Transform.VersionAlias", "added", note)],
    )


def _kind(old: Any, new: Any) -> str:
    if old is None:
        return "added"
    return "removed" if new is None else "changed"


def _analyze(template: Mapping[str, Any], context: TransformContext) -> dict[str, _State]:
    """Each function as the macro versions it: the same plan as `render` (versions.py), so
    the version IDs are exactly the ones the rendered template holds."""
    check_template(template)
    resources: Mapping[str, Any] = template["Resources"]
    plan = plan_versions(template, context)
    resolver = plan.resolver
    function_level = function_properties()[1]
    states: dict[str, _State] = {}
    for function_id, resource in resources.items():
        if resource.get("Type") != FUNCTION:
            continue
        properties = plan.resources[function_id].get("Properties") or {}
        ignored = resolved_properties(
            properties, resolver, function_id, lambda name: name in function_level
        )
        ignored.update(_resource_attributes(resource))
        planned = plan.functions.get(function_id)
        if planned is None:
            states[function_id] = _State(None, None, ignored)
            continue
        hashed = function_hash(
            properties, resolver, planned.options.salt, function_id, planned.earlier
        )
        states[function_id] = _State(
            hashed, planned.target.version_id, ignored, planned.takeover.replaced
        )
    return states


def _unversioned(template: Mapping[str, Any]) -> dict[str, _State]:
    """Each function of a template deployed without VersionAlias, with its own versions."""
    check_template(template)
    resources: Mapping[str, Any] = template["Resources"]
    functions = [name for name, resource in resources.items() if resource["Type"] == FUNCTION]
    existing = existing_versions(resources, functions)
    return {
        function_id: _State(
            None,
            None,
            {},
            existing[function_id].versions if function_id in existing else (),
            without_macro=True,
        )
        for function_id in functions
    }


def _resource_attributes(resource: Mapping[str, Any]) -> dict[str, Any]:
    found = {name: resource[name] for name in RESOURCE_ATTRIBUTES if name in resource}
    metadata = resource.get("Metadata")
    if isinstance(metadata, dict):
        others = {key: value for key, value in metadata.items() if key != "VersionAlias"}
        if others:
            found["Metadata"] = others
    return found


# -- paths ------------------------------------------------------------------------------
def diff_values(old: Any, new: Any, path: str) -> list[Change]:
    """The paths where two resolved values differ; identities and secrets are leaves."""
    if old == new:
        return []
    old_identity, new_identity = identity_of(old), identity_of(new)
    if old_identity is not None or new_identity is not None:
        return [Change(path, "changed", _identity_note(old_identity, new_identity))]
    if is_secret(old) and is_secret(new):
        return [Change(path, "changed", f"NoEcho parameter {new[NO_ECHO]['Parameter']}")]
    if _is_mapping(old) and _is_mapping(new):
        changes: list[Change] = []
        for key in sorted(set(old) | set(new)):
            child = f"{path}.{key}" if path else str(key)
            if key not in new:
                changes.append(Change(child, "removed"))
            elif key not in old:
                changes.append(Change(child, "added"))
            else:
                changes.extend(diff_values(old[key], new[key], child))
        return changes
    if isinstance(old, list) and isinstance(new, list):
        changes = []
        for index in range(max(len(old), len(new))):
            child = f"{path}[{index}]"
            if index >= len(new):
                changes.append(Change(child, "removed"))
            elif index >= len(old):
                changes.append(Change(child, "added"))
            else:
                changes.extend(diff_values(old[index], new[index], child))
        return changes
    return [Change(path, "changed", shown=shown_values(path, old, new))]


def _is_mapping(value: Any) -> bool:
    """A plain mapping, not an unresolved expression such as Fn::ImportValue."""
    if not isinstance(value, dict):
        return False
    if len(value) == 1:
        key = next(iter(value))
        return not (key == "Ref" or key.startswith("Fn::") or key in (IDENTITY, NO_ECHO))
    return not (len(value) == 2 and SSM_MARKER in value and "Ref" in value)


def _identity_note(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> str:
    if old is None or new is None:
        present = new if new is not None else old
        assert present is not None
        return f"now {present['LogicalId']}" if new is not None else "no longer a resource"
    if old.get("LogicalId") != new.get("LogicalId"):
        return f"{old.get('LogicalId')} -> {new.get('LogicalId')}"
    name = new["LogicalId"]
    changed = [change.path for change in diff_values(_inputs(old), _inputs(new), "") if change.path]
    if "Attribute" in changed or old.get("Type") != new.get("Type"):
        return f"{name}: another attribute or type"
    value_paths = [path for path in changed if path.startswith("AttributeValue")]
    if value_paths:
        return f"{name} {old.get('Attribute')} changed"
    paths = sorted({path.split(".", 1)[1] if "." in path else path for path in changed})
    return f"{name} is replaced: {', '.join(paths)}" if paths else f"{name} changed"


def _inputs(record: Mapping[str, Any]) -> dict[str, Any]:
    inputs = dict(record.get("CreateOnly") or record.get("Properties") or {})
    prefix = "CreateOnly" if "CreateOnly" in record else "Properties"
    out: dict[str, Any] = {f"{prefix}.{key}": value for key, value in inputs.items()}
    for key in ("Attribute", "AttributeValue"):
        if key in record:
            out[key] = record[key]
    return out
