"""Functions that already have an alias in the template are not versioned twice.

That happens when SAM's AutoPublishAlias ran first, or when the user wrote the alias by
hand; invocations are then pointed at that alias instead.
"""

from __future__ import annotations

from collections.abc import Mapping

from .references import Target, referenced_function

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _version_of(alias_properties: Mapping[str, Any], resources: Mapping[str, Any]) -> str | None:
    version = alias_properties.get("FunctionVersion")
    if isinstance(version, dict) and "Fn::GetAtt" in version:
        parts = version["Fn::GetAtt"]
        parts = parts.split(".", 1) if isinstance(parts, str) else parts
        if isinstance(parts, list) and len(parts) == 2 and parts[1] == "Version":
            candidate = parts[0]
            version = resources.get(candidate)
            if isinstance(version, dict) and version.get("Type") == "AWS::Lambda::Version":
                return candidate
    return None


def existing_targets(resources: Mapping[str, Any]) -> dict[str, Target]:
    """function logical ID -> its existing alias; the first alias in logical-ID order wins.

    Only an alias that follows a published `AWS::Lambda::Version` of the template (SAM's
    AutoPublishAlias, or an earlier run) is adopted. One pinned to `$LATEST` or to a
    fixed number is the user's own: the function is versioned as usual beside it.
    """
    found: dict[str, Target] = {}
    for logical_id in sorted(resources):
        resource = resources[logical_id]
        if resource.get("Type") != "AWS::Lambda::Alias":
            continue
        properties = resource.get("Properties")
        if not isinstance(properties, dict):
            continue
        function_id = referenced_function(properties.get("FunctionName"))
        if function_id is None or function_id in found or function_id not in resources:
            continue
        version_id = _version_of(properties, resources)
        if version_id is None:
            continue
        name = properties.get("Name")
        found[function_id] = Target(
            function_id=function_id,
            alias_id=logical_id,
            alias_name=name if isinstance(name, str) else None,
            version_id=version_id,
        )
    return found
