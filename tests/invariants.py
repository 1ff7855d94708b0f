"""Checks on a processed template that hold for every input, whatever generated it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from version_alias.data.tables import identity_policy_documents, invocation_sites
from version_alias.errors import format_path
from version_alias.invokers.sites import condition_holds
from version_alias.template import paths

PSEUDO_PREFIX = "AWS::"
_SUB_VAR = re.compile(r"\$\{([^}!][^}]*)\}")


def unnoted(findings: Any, notes: Any) -> list[str]:
    """The checker's findings at a location no note of render's names: what render
    accepted silently although `check` on its output objects."""
    noted = {note.location for note in notes}
    return [str(finding) for finding in findings if finding.location not in noted]


def site_applies(site: Any, properties: Any, path: Any) -> bool:
    return condition_holds(site.when, site.path, properties, path)


def enabled_functions(template: dict[str, Any]) -> set[str]:
    """Functions the macro versions (not opted out with Enabled: false)."""
    out = set()
    for logical_id, resource in template["Resources"].items():
        if resource.get("Type") != "AWS::Lambda::Function":
            continue
        options = (resource.get("Metadata") or {}).get("VersionAlias") or {}
        if options.get("Enabled", True) not in (False, "false"):
            out.add(logical_id)
    return out


def versions_and_aliases(template: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """function logical ID -> (number of Versions, number of Aliases) that name it."""
    counts: dict[str, list[int]] = {}
    for resource in template["Resources"].values():
        kind = resource.get("Type")
        if kind not in ("AWS::Lambda::Version", "AWS::Lambda::Alias"):
            continue
        name = resource["Properties"]["FunctionName"]["Ref"]
        pair = counts.setdefault(name, [0, 0])
        pair[kind == "AWS::Lambda::Alias"] += 1
    return {name: (pair[0], pair[1]) for name, pair in counts.items()}


def _walk(value: Any) -> Iterator[Any]:
    stack = [value]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def referenced_names(value: Any) -> Iterator[str]:
    """Every logical ID or parameter that a Ref, GetAtt or Sub variable in `value` names."""
    for node in _walk(value):
        if not (isinstance(node, dict) and len(node) == 1):
            continue
        key, args = next(iter(node.items()))
        if key == "Ref" and isinstance(args, str):
            yield args
        elif key == "Fn::GetAtt":
            parts = args.split(".", 1) if isinstance(args, str) else args
            if isinstance(parts, list) and parts and isinstance(parts[0], str):
                yield parts[0]
        elif key == "Fn::Sub":
            text = args if isinstance(args, str) else args[0] if isinstance(args, list) else ""
            local = args[1] if isinstance(args, list) and len(args) > 1 else {}
            for found in _SUB_VAR.finditer(text if isinstance(text, str) else ""):
                name = found.group(1).strip()
                if name not in local:
                    yield name.split(".", 1)[0] if "." in name else name


def dangling_references(template: dict[str, Any]) -> list[str]:
    """Names referenced anywhere that are neither resources, parameters nor pseudo params."""
    known = set(template["Resources"]) | set(template.get("Parameters") or {})
    sections = [template["Resources"], template.get("Outputs"), template.get("Conditions")]
    return sorted(
        {
            name
            for name in referenced_names(sections)
            if name not in known and not name.startswith(PSEUDO_PREFIX)
        }
    )


def _function_in(value: Any, functions: set[str]) -> str | None:
    """A versioned function that `value` invokes unqualified, if any."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        if len(node) != 1:
            stack.extend(node.values())
            continue
        key, args = next(iter(node.items()))
        if key == "Fn::Join" and isinstance(args, list) and len(args) == 2:
            parts = args[1] if isinstance(args[1], list) else []
            for index, part in enumerate(parts):
                name = part.get("Ref") if isinstance(part, dict) and len(part) == 1 else None
                if name is None:
                    stack.append(part)
                elif name in functions and not _qualified(parts, index, args[0]):
                    return name
            continue
        if key == "Fn::Sub":
            stack.extend(
                args[1].values()
                if isinstance(args, list) and len(args) == 2 and isinstance(args[1], dict)
                else []
            )
        elif key not in ("Ref", "Fn::GetAtt"):
            stack.append(args)
            continue
        for name in referenced_names({key: args}):
            if name in functions:
                return name
    return None


def _qualified(parts: list[Any], index: int, delimiter: Any) -> bool:
    following = parts[index + 1] if index + 1 < len(parts) else None
    if delimiter == ":":
        return following is not None and following != "$LATEST"
    if isinstance(following, str):
        return following.startswith(":") and following != ":$LATEST"
    return isinstance(following, dict)


def unqualified_invocations(template: dict[str, Any], functions: set[str]) -> list[tuple[str, str]]:
    """(location, function) of every catalog site that still invokes a versioned
    function's `$LATEST` (consumers that opted out with Target: function excepted).
    Locations are spelled like a Note's: `Resources.X.Properties.Targets[0].Arn`."""
    problems = []
    for logical_id, resource in template["Resources"].items():
        options = (resource.get("Metadata") or {}).get("VersionAlias") or {}
        properties = resource.get("Properties")
        if options.get("Target") == "function" or not isinstance(properties, dict):
            continue
        for site in invocation_sites():
            if site.resource_type != resource.get("Type"):
                continue
            if site.accepts == "qualifier":
                problems += _unqualified_qualifier(logical_id, properties, site, functions)
                continue
            for path, value in paths.match(properties, site.path):
                if not site_applies(site, properties, path):
                    continue
                name = _function_in(value, functions)
                if name is not None:
                    problems.append((_location(logical_id, path), name))
    return problems


def _location(logical_id: str, path: Any) -> str:
    return format_path(("Resources", logical_id, "Properties", *path))


def _unqualified_qualifier(logical_id: str, properties: dict, site: Any, functions: set[str]):
    named = [value for _, value in paths.match(properties, site.function_path)]
    found = [_function_in(value, functions) for value in named]
    name = next(filter(None, found), None)
    if name is None:
        return []
    qualifier = next((value for _, value in paths.match(properties, site.path)), None)
    if qualifier in (None, "$LATEST"):
        return [(_location(logical_id, paths.parse(site.path)), name)]
    return []


def kept_on_purpose(template: dict[str, Any], functions: set[str]) -> set[str]:
    """Functions some consumer keeps on the function on purpose (Target: function): their
    permissions may stay there too."""
    found = set()
    for resource in template["Resources"].values():
        options = (resource.get("Metadata") or {}).get("VersionAlias") or {}
        if options.get("Target") == "function":
            found |= {name for name in functions if name in referenced_names(resource)}
    return found


IDENTITY_TYPES = tuple(identity_policy_documents())


def generated_ids(output: dict[str, Any], kind: str) -> set[str]:
    return {name for name, resource in output["Resources"].items() if resource["Type"] == kind}


def identity_policies_naming_aliases(output: dict[str, Any]) -> list[str]:
    """Identity policies that reference an alias resource (a possible dependency cycle)."""
    aliases = generated_ids(output, "AWS::Lambda::Alias")
    return sorted(
        name
        for name, resource in output["Resources"].items()
        if resource["Type"] in IDENTITY_TYPES and aliases & set(referenced_names(resource))
    )


def retained_versions(output: dict[str, Any]) -> set[str]:
    """Versions a catalog site marked `retain` (Lambda@Edge) references."""
    versions = generated_ids(output, "AWS::Lambda::Version")
    found: set[str] = set()
    for resource in output["Resources"].values():
        properties = resource.get("Properties")
        for site in invocation_sites():
            if site.retain and site.resource_type == resource["Type"] and properties:
                for _, value in paths.match(properties, site.path):
                    found |= versions & set(referenced_names(value))
    return found


def qualifier_holders(template: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(type, function as written, qualifier) of every `unique` qualifier site that holds
    a literal qualifier or none (which invokes $LATEST), one entry per resource."""
    found = []
    for resource in template["Resources"].values():
        properties = resource.get("Properties")
        if not isinstance(properties, dict):
            continue
        for site in invocation_sites():
            if not (site.unique and site.resource_type == resource["Type"]):
                continue
            named = next((value for _, value in paths.match(properties, site.function_path)), None)
            qualifier = next((value for _, value in paths.match(properties, site.path)), None)
            qualifier = "$LATEST" if qualifier in (None, {"Ref": "AWS::NoValue"}) else qualifier
            if isinstance(qualifier, str):
                found.append((resource["Type"], repr(named), qualifier))
    return found
