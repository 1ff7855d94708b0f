"""The macro's version takes over a function's earlier versions.

One function, one version: two `AWS::Lambda::Version` resources of one function that are
both new in an update would each publish, and the second publish fails ("A version for
this Lambda function exists"). So the macro's content-hashed version replaces every
earlier one (existing.py finds them), and:
- the earlier versions' own properties (`Description`, `ProvisionedConcurrencyConfig`,
  `RuntimePolicy`, `CodeSha256`, `FunctionScalingConfig`, ...) carry over to it, and so
  does their `DependsOn`. Properties CloudFormation cannot update on a version (its
  create-only properties, from the resource schema in schema_data.py) also enter the
  hash: a new value then comes with a new logical ID and a function update, as a new
  version must (hashing.py);
- a setting that cannot carry over is a TransformError naming it: two earlier versions
  that disagree on a property, or a `Condition` other than the function's (the macro's
  version exists whenever its function does);
- the aliases that followed an earlier version follow the macro's version and keep
  everything else; the one with the function's alias name, else the first in logical-ID
  order, is where invokers go.

CloudFormation deletes a resource that leaves the template at the end of the update,
unless its DeletionPolicy is Retain (then it only leaves the stack): "DeletionPolicy
attribute" in the CloudFormation User Guide.
"""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Mapping

from ..errors import TransformError
from ..notes import Note
from ..versioning.identity import create_only_paths
from ..versioning.logical_ids import alias_id
from .existing import Existing

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

VERSION = "AWS::Lambda::Version"
AUTO_PUBLISH = "AutoPublishAlias"


class Takeover(
    namedtuple(
        "Takeover", ("replaced", "properties", "locked", "depends_on", "alias_id", "alias_name")
    )
):
    """What a function's macro version takes over (all empty for a function without
    earlier versions)."""

    __slots__ = ()
    # replaced: tuple[str, ...]  the earlier versions' logical IDs
    # properties: dict[str, Any]  their properties, carried over (FunctionName excluded)
    # locked: dict[str, Any]  the create-only ones among them, for the hash
    # depends_on: tuple[str, ...]  their DependsOn entries
    # alias_id: str | None  the followed alias invokers go to; None: the macro makes one
    # alias_name: str | None  that alias's Name (None when it is not a string)


NOTHING = Takeover((), {}, {}, (), None, None)


def take_over(
    function_id: str,
    function: Mapping[str, Any],
    existing: Existing | None,
    resources: Mapping[str, Any],
    alias_name: str,
) -> Takeover:
    """What the function's version takes over; raises TransformError for a setting that
    cannot carry over."""
    if existing is None:
        return NOTHING
    properties: dict[str, Any] = {}
    origin: dict[str, str] = {}
    depends_on: list[str] = []
    for version_id in existing.versions:
        version = resources[version_id]
        _check_condition(function_id, function, version_id, version)
        for name, value in (version.get("Properties") or {}).items():
            if name == "FunctionName":
                continue
            if name in properties and properties[name] != value:
                raise TransformError(
                    f"{name} differs from the one of {origin[name]}, another version of "
                    f"{function_id}; the macro's version of {function_id} replaces both and "
                    "cannot carry two values.",
                    path=("Resources", version_id, "Properties", name),
                    hint="give both versions the same value, or remove one of them.",
                )
            properties[name] = value
            origin.setdefault(name, version_id)
        for name in _names(version.get("DependsOn")):
            if name != function_id and name not in existing.versions and name not in depends_on:
                depends_on.append(name)
    create_only = set(create_only_paths(VERSION) or ())
    locked = {name: value for name, value in properties.items() if name in create_only}
    followed = _followed(function_id, existing, resources, alias_name)
    name = resources[followed]["Properties"].get("Name") if followed else None
    return Takeover(
        existing.versions,
        properties,
        locked,
        tuple(depends_on),
        followed,
        name if isinstance(name, str) else None,
    )


def _followed(
    function_id: str, existing: Existing, resources: Mapping[str, Any], alias_name: str
) -> str | None:
    """The followed alias invokers go to: the function's own alias name first."""
    if not existing.aliases:
        return None
    own = alias_id(function_id, alias_name)
    for candidate in existing.aliases:
        if candidate == own or resources[candidate]["Properties"].get("Name") == alias_name:
            return candidate
    return existing.aliases[0]


def _check_condition(
    function_id: str, function: Mapping[str, Any], version_id: str, version: Mapping[str, Any]
) -> None:
    if "Condition" not in version or version["Condition"] == function.get("Condition"):
        return
    has = function.get("Condition")
    raise TransformError(
        f"the version has Condition {version['Condition']}, but its function {function_id} "
        + (f"has Condition {has}" if has is not None else "has none")
        + "; the macro's version of a function exists whenever the function does, so this "
        "Condition cannot carry over.",
        path=("Resources", version_id, "Condition"),
        hint=f"give {function_id} the same Condition, remove it from the version, or opt "
        f"{function_id} out with Metadata: {{VersionAlias: {{Enabled: false}}}}.",
    )


def _names(depends_on: Any) -> list[str]:
    names = [depends_on] if isinstance(depends_on, str) else depends_on
    return [name for name in names if isinstance(name, str)] if isinstance(names, list) else []


# -- what the user hears ---------------------------------------------------------------------
def takeover_note(
    function_id: str, takeover: Takeover, version_id: str, alias_name: str
) -> Note | None:
    """One note per function whose earlier versions the macro replaced (none when the only
    earlier version is the macro's own, as on a second run)."""
    taken = [replaced for replaced in takeover.replaced if replaced != version_id]
    if not taken:
        return None
    names = ", ".join(taken)
    source = AUTO_PUBLISH if _from_sam(function_id, taken) else names
    message = (
        f"version of {function_id} taken over from {source}: {version_id} replaces {names} "
        "and every reference to "
        + ("it" if len(taken) == 1 else "them")
        + (f"; alias {takeover.alias_id} now follows it" if takeover.alias_id else "")
        + ". The first deploy with VersionAlias publishes one new version."
    )
    if source == AUTO_PUBLISH:
        hint = (
            f"you may remove {AUTO_PUBLISH} and AutoPublishAliasAllProperties from "
            f"{function_id}; set DeploymentPreference and ProvisionedConcurrency in "
            "Metadata: {VersionAlias: {...}} instead"
        )
        if takeover.alias_name is not None and takeover.alias_name != alias_name:
            hint += f", with AliasName: {takeover.alias_name} to keep the alias"
        hint += "."
    else:
        hint = (
            f"the macro publishes a new version whenever {function_id} changes: you may "
            f"remove {names} and refer to the macro's version as {function_id}.Version "
            f"(!Ref {function_id}.Version, !GetAtt {function_id}.Version.Version)."
        )
    return Note(message, ("Resources", function_id), hint)


def _from_sam(function_id: str, taken: list[str]) -> bool:
    """SAM's AutoPublishAlias names its version `<Fn>Version<10 hex>`."""
    pattern = re.compile(re.escape(function_id) + r"Version[0-9a-f]{10}")
    return all(pattern.fullmatch(version_id) for version_id in taken)
