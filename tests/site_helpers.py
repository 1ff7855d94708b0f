"""Build templates from catalog path patterns, and read back what a site resolves to."""

from __future__ import annotations

import re
from typing import Any

from version_alias.data.tables import InvocationSite, SiteCondition
from version_alias.template import paths

FUNCTION_ID = "Fn"
FUNCTION_NAME = "site-fn"
CONSUMER_ID = "Consumer"
ALIAS_ID = "FnAliaslive"
MAP_KEY = "Key"


def function(**extra: Any) -> dict[str, Any]:
    properties = {
        "FunctionName": FUNCTION_NAME,
        "Runtime": "python3.13",
        "Handler": "index.handler",
        "Role": "arn:aws:iam::123456789012:role/fn",
        "Code": {"S3Bucket": "bucket", "S3Key": "code.zip"},
    }
    properties.update(extra)
    return {"Type": "AWS::Lambda::Function", "Properties": properties}


def template(**resources: Any) -> dict[str, Any]:
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Conditions": {"Always": {"Fn::Equals": ["a", "a"]}},
        "Resources": {FUNCTION_ID: function(), **resources},
    }


def concrete(pattern: str) -> tuple[str | int, ...]:
    """The concrete path a builder uses for a pattern: `*` -> "Key", `[*]` -> 0, `**` -> ()."""
    out: list[str | int] = []
    for segment in paths.parse(pattern):
        if segment == paths.ANY_DEPTH:
            continue
        out.append(0 if segment == paths.ANY_ITEM else MAP_KEY if segment == "*" else segment)
    return tuple(out)


def put(tree: dict[str, Any], path: tuple[str | int, ...], value: Any) -> None:
    """Set `value` at `path`, creating maps and one-item lists on the way (in place)."""
    node: Any = tree
    for position, part in enumerate(path):
        last = position == len(path) - 1
        following = None if last else path[position + 1]
        fresh: Any = [] if isinstance(following, int) else {}
        if isinstance(part, int):
            while len(node) <= part:
                node.append([] if isinstance(following, int) else {})
            if last:
                node[part] = value
            node = node[part]
        else:
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, fresh)


def satisfying(when: SiteCondition) -> Any:
    """A value the condition accepts: its first literal, or an ARN in the aws partition
    ending in its first suffix."""
    return when.values[0] if when.values else "arn:aws" + when.suffixes[0]


def consumer(site: InvocationSite, value: Any, qualifier: Any = None) -> dict[str, Any]:
    """A resource of the site's type holding `value` at the site (or, for a qualifier
    site, naming the function with `value` and carrying `qualifier`)."""
    properties: dict[str, Any] = {}
    if site.when is not None:
        put(properties, concrete(site.when.path), satisfying(site.when))
    if site.accepts == "qualifier":
        assert site.function_path is not None
        put(properties, concrete(site.function_path), value)
        if qualifier is not None:
            put(properties, concrete(site.path), qualifier)
    else:
        put(properties, concrete(site.path), value)
    return {"Type": site.resource_type, "Properties": properties}


_SUB = re.compile(r"\$\{([^}!]+)\}")


def resolves(value: Any) -> set[str]:
    """Every string a value can resolve to, references shown as `<Id>` / `<Id.Attr>`.
    Fn::If contributes both branches."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict) and len(value) == 1:
        key, args = next(iter(value.items()))
        if key == "Ref":
            return {f"<{args}>"}
        if key == "Fn::GetAtt":
            parts = args.split(".", 1) if isinstance(args, str) else args
            return {f"<{parts[0]}.{parts[1]}>"}
        if key == "Fn::If":
            return resolves(args[1]) | resolves(args[2])
        if key == "Fn::Sub":
            text, variables = (args, {}) if isinstance(args, str) else args
            resolved = {name: next(iter(resolves(item))) for name, item in variables.items()}
            return {_SUB.sub(lambda m: resolved.get(m.group(1), f"<{m.group(1)}>"), text)}
        if key == "Fn::Join":
            delimiter, parts = args
            return {delimiter.join(next(iter(resolves(part))) for part in parts)}
    return {repr(value)}


def version_id(output: dict[str, Any]) -> str:
    """The logical ID of the one generated AWS::Lambda::Version."""
    (found,) = [
        name
        for name, resource in output["Resources"].items()
        if resource["Type"] == "AWS::Lambda::Version"
    ]
    return found
