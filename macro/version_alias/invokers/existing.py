"""The versions a template already has: each function's earlier `AWS::Lambda::Version`
resources and the `AWS::Lambda::Alias` resources that follow them.

They come from SAM's AutoPublishAlias, from the template's author (a fixed or hand-bumped
logical ID, as Lambda@Edge templates often have), from a framework (Serverless Framework
`versionFunctions`, CDK `currentVersion`), or from an earlier run of the macro. A version
belongs to the function its `FunctionName` names in any spelling names.py knows (`Ref`,
`Fn::GetAtt .Arn`, the function's own `FunctionName`); an alias follows a version when its
`FunctionVersion` references one of its function's versions (`!GetAtt V.Version`, or any
expression around it). An alias pinned to `$LATEST` or to a literal number follows none.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterable, Mapping

from ..template.names import build_index, value_function
from .rewrite import referenced_names

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

VERSION = "AWS::Lambda::Version"
ALIAS = "AWS::Lambda::Alias"


class Existing(namedtuple("Existing", ("versions", "aliases"))):
    """What one function already has in the template."""

    __slots__ = ()
    # versions: tuple[str, ...]  its AWS::Lambda::Version logical IDs, in logical-ID order
    # aliases: tuple[str, ...]  its AWS::Lambda::Alias logical IDs that follow one of them


def existing_versions(
    resources: Mapping[str, Any], function_ids: Iterable[str]
) -> dict[str, Existing]:
    """function logical ID -> its earlier versions and their aliases, for the given
    functions that have at least one version in the template."""
    if not any(
        isinstance(resource, dict) and resource.get("Type") == VERSION
        for resource in resources.values()
    ):
        return {}  # most templates: no version to look at, no index to build
    index = build_index(resources, function_ids)
    owner: dict[str, str] = {}
    for logical_id in sorted(resources):
        function_id = _function_of(resources[logical_id], VERSION, index)
        if function_id is not None:
            owner[logical_id] = function_id
    if not owner:
        return {}
    aliases: dict[str, list[str]] = {}
    for logical_id in sorted(resources):
        resource = resources[logical_id]
        function_id = _function_of(resource, ALIAS, index)
        if function_id is None:
            continue
        followed = referenced_names(resource["Properties"].get("FunctionVersion"))
        if any(owner.get(name) == function_id for name in followed):
            aliases.setdefault(function_id, []).append(logical_id)
    found: dict[str, Existing] = {}
    for version_id, function_id in owner.items():
        versions = found[function_id].versions if function_id in found else ()
        found[function_id] = Existing((*versions, version_id), tuple(aliases.get(function_id, ())))
    return found


def _function_of(resource: Any, kind: str, index: Any) -> str | None:
    if not isinstance(resource, dict) or resource.get("Type") != kind:
        return None
    properties = resource.get("Properties")
    if not isinstance(properties, dict):
        return None
    return value_function(properties.get("FunctionName"), index)
