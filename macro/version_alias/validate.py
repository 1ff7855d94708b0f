"""Shape checks that turn a malformed template into a message instead of a crash."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import TransformError

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"


def check_template(template: Any) -> None:
    """Raise TransformError unless the template has the shape the core relies on."""
    if not isinstance(template, dict):
        raise TransformError(
            "the template is not a mapping.", hint="pass a whole CloudFormation template."
        )
    resources = template.get("Resources")
    if resources is None:
        raise TransformError(
            "the template has no Resources section.",
            hint="VersionAlias is a template-level macro: list it under Transform, "
            "not in Fn::Transform, and give the template a Resources section.",
        )
    if not isinstance(resources, dict):
        raise TransformError("must be a mapping of logical IDs.", path=("Resources",))
    for logical_id, resource in resources.items():
        _check_resource(logical_id, resource)
    _check_no_serverless(resources)


def _check_resource(logical_id: Any, resource: Any) -> None:
    if not isinstance(logical_id, str) or not logical_id.isalnum() or not logical_id.isascii():
        raise TransformError(
            f"logical ID {str(logical_id)[:64]!r} is not alphanumeric.",
            path=("Resources",),
            hint="use only A-Z, a-z and 0-9 in logical IDs.",
        )
    path = ("Resources", logical_id)
    if not isinstance(resource, dict):
        raise TransformError("must be a mapping with Type and Properties.", path=path)
    if not isinstance(resource.get("Type"), str):
        raise TransformError("has no Type string.", path=(*path, "Type"))
    if "Properties" in resource and not isinstance(resource["Properties"], dict):
        found = "null" if resource["Properties"] is None else type(resource["Properties"]).__name__
        raise TransformError(
            f"must be a mapping, found {found}.",
            path=(*path, "Properties"),
            hint="give the properties as a mapping, or remove the key.",
        )


def _check_no_serverless(resources: Mapping[str, Any]) -> None:
    for logical_id, resource in resources.items():
        if resource["Type"].startswith("AWS::Serverless::"):
            raise TransformError(
                f"is an {resource['Type']}, which VersionAlias cannot see through.",
                path=("Resources", logical_id),
                hint=f"list VersionAlias after {SAM_TRANSFORM} in Transform, "
                f"e.g. Transform: [{SAM_TRANSFORM}, VersionAlias].",
            )
