"""Shape checks that turn a malformed template into a message instead of a crash."""

from __future__ import annotations

from collections.abc import Mapping

from ..errors import TransformError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"
# Real templates nest about 20 levels at most. Deeper input would hit Python's recursion
# limit in the Lambda runtime's json.dumps of the response: a "malformed response" instead
# of a message. The resolver and the rewriter guard at the same depth.
MAX_NESTING = 100
# CloudFormation's limit on a logical ID's length.
MAX_LOGICAL_ID = 255
_CONTAINERS = (dict, list)


def check_template(template: Any, references: list[Any] | None = None) -> None:
    """Raise TransformError unless the template has the shape the core relies on.

    With `references`, the walk that checks the nesting also appends every `Ref`,
    `Fn::GetAtt` and `Fn::Sub` it passes (the mappings themselves) to that list, so that a
    later stage can look at every reference of the template without a walk of its own."""
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
    check_nesting(template, references)


def check_nesting(template: Mapping[str, Any], references: list[Any] | None = None) -> None:
    """Raise TransformError when a value sits deeper than MAX_NESTING containers below the
    template root. One iterative walk (a recursive one would hit the very recursion limit
    it guards against); the path is looked for only once the walk has failed. It collects
    the template's references into `references` on the way (see check_template)."""
    if not _deeper_than(template, MAX_NESTING, references):
        return
    for section, value in template.items():
        if section == "Resources":
            for logical_id, resource in value.items():
                if _deeper_than(resource, MAX_NESTING - 2):
                    _too_deep(("Resources", logical_id))
        elif _deeper_than(value, MAX_NESTING - 1):
            _too_deep((str(section),))


def _deeper_than(value: Any, limit: int, references: list[Any] | None = None) -> bool:
    level = [value] if isinstance(value, _CONTAINERS) else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        deeper = []
        for node in level:
            if isinstance(node, dict):
                if (
                    references is not None
                    and len(node) == 1
                    and ("Ref" in node or "Fn::GetAtt" in node or "Fn::Sub" in node)
                ):
                    references.append(node)
                children: Any = node.values()
            else:
                children = node
            for child in children:
                if isinstance(child, _CONTAINERS):
                    deeper.append(child)
        level = deeper
    return False


def _too_deep(path: tuple[str, ...]) -> None:
    raise TransformError(
        f"nests deeper than {MAX_NESTING} levels.",
        path=path,
        hint="flatten the value; CloudFormation templates are never this deep.",
    )


def _check_resource(logical_id: Any, resource: Any) -> None:
    if not isinstance(logical_id, str):
        raise TransformError(
            f"logical ID {str(logical_id)[:64]} is a {type(logical_id).__name__}, not a string.",
            path=("Resources",),
            hint="quote it in YAML, or use a name that starts with a letter.",
        )
    if len(logical_id) > MAX_LOGICAL_ID:
        raise TransformError(
            f"logical ID {logical_id[:40]}... is longer than {MAX_LOGICAL_ID} characters.",
            path=("Resources",),
            hint="shorten it; CloudFormation rejects longer logical IDs.",
        )
    if not logical_id.isalnum() or not logical_id.isascii():
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
    properties = resource.get("Properties")
    if not properties:
        return
    try:
        names = "".join(properties)  # one C-level pass: fails only on a non-string name
    except TypeError:
        names = ""
    else:
        if "Fn::" not in names:
            return
    for name in properties:
        if not isinstance(name, str):
            raise TransformError(
                f"property name {str(name)[:64]} is a {type(name).__name__}, not a string.",
                path=(*path, "Properties"),
                hint="quote it in YAML; property names are strings.",
            )
        if name.startswith("Fn::") and resource["Type"] == "AWS::Lambda::Function":
            raise TransformError(
                f"a function's properties chosen as a whole by {name} cannot be versioned.",
                path=(*path, "Properties"),
                hint="move the Fn::If into the properties that differ, or opt the function "
                "out with Metadata: {VersionAlias: {Enabled: false}}.",
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
