#!/usr/bin/env python3
"""Generate macro/version_alias/data/schema_data.py from the schemas bundled with cfn-lint.

The Lambda core may import only the standard library, so the few facts it needs from the
CloudFormation resource provider schemas are extracted here, at development time, into a
checked-in module. Run with --check in CI to fail when that module is stale (for example
after a cfn-lint upgrade brings new schemas).

Usage: python3 scripts/generate_schema_data.py [--check]
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

REGION = "us-east-1"
COMMAND = "python3 scripts/generate_schema_data.py"
OUTPUT = (
    Path(__file__).resolve().parent.parent / "macro" / "version_alias" / "data" / "schema_data.py"
)
LINE_LENGTH = 100

# Synthetic entries in cfn-lint's type list that are not CloudFormation resource types.
_NOT_RESOURCE_TYPES = frozenset({"Module"})

Schema = dict[str, Any]

# --- evidence that a schema property takes a Lambda function ARN -------------------------

_FUNCTION_ARN_FORMAT = "AWS::Lambda::Function.Arn"
# A relationshipRef to any of these names something that invokes a function.
_FUNCTION_REF_TYPES = frozenset(
    {"AWS::Lambda::Function", "AWS::Lambda::Alias", "AWS::Lambda::Version"}
)
# A pattern for a Lambda ARN that is not one of Lambda's other ARN kinds is a function ARN
# (for example AWS::Transfer::Server IdentityProviderDetails.Function: ^arn:[a-z-]+:lambda:.*$).
_LAMBDA_ARN_PATTERN = re.compile(r":lambda:")
_OTHER_LAMBDA_ARN = re.compile(
    r"layer|capacity-provider|code-signing-config|event-source-mapping|runtime|s3-object-lambda"
)
# Property names that say "Lambda function ARN" outright. Names alone are weaker evidence
# than a format, relationshipRef or pattern, so they are tagged "name" in the output.
_NAME_LAMBDA_KEY = re.compile(r"^\w*Lambda(Function)?\w*(Arn|ARN|Arns|ARNs|Uri|URI|Name)$|^Lambda$")
_NAME_EXCLUDE = re.compile(r"Role|Layer|Kms|KMS|Topic|Secret|Log|Bucket|Queue|Capacity")
_NAME_UNDER_LAMBDA = frozenset(
    {"Arn", "AuthorizerUri", "Function", "FunctionArn", "FunctionARN", "ResourceARN", "ResourceArn"}
)
_NAME_LAMBDA_NAMESPACE = frozenset({"FunctionArn", "FunctionName", "TargetFunctionArn"})
# Matches of the rules above that do not refer to an existing function.
_NOT_FUNCTION_REFERENCES = {
    ("AWS::Lambda::Function", "FunctionName"): "the function's own name",
    ("AWS::SecretsManager::RotationSchedule", "HostedRotationLambda.RotationLambdaName"): (
        "names the rotation function that Secrets Manager creates"
    ),
}


def cfn_lint_version() -> str:
    """The installed cfn-lint version, recorded in the generated header."""
    return version("cfn-lint")


def load_schemas(region: str = REGION) -> dict[str, Schema]:
    """Every resource type's (patched) provider schema, as cfn-lint itself loads them."""
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    schemas: dict[str, Schema] = {}
    for type_name in sorted(PROVIDER_SCHEMA_MANAGER.get_resource_types(region)):
        if type_name in _NOT_RESOURCE_TYPES:
            continue
        schemas[type_name] = PROVIDER_SCHEMA_MANAGER.get_resource_schema(region, type_name).schema
    return schemas


def pointer_to_path(pointer: str) -> str:
    """/properties/Foo/*/Bar -> Foo.*.Bar (relative to Properties; JSON pointer unescaped)."""
    parts = pointer.split("/")
    if parts[:2] != ["", "properties"] or len(parts) < 3:
        raise ValueError(f"not a property pointer: {pointer!r}")
    return ".".join(p.replace("~1", "/").replace("~0", "~") for p in parts[2:])


def property_paths(schema: Schema, key: str) -> tuple[str, ...]:
    """The sorted dotted paths of one pointer-list keyword (createOnlyProperties, ...)."""
    return tuple(sorted({pointer_to_path(p) for p in schema.get(key, ())}))


def create_only(schemas: dict[str, Schema]) -> dict[str, tuple[str, ...]]:
    """createOnlyProperties per type; every type is present, even with no such properties."""
    return {t: property_paths(s, "createOnlyProperties") for t, s in sorted(schemas.items())}


def conditional_create_only(schemas: dict[str, Schema]) -> dict[str, tuple[str, ...]]:
    """conditionalCreateOnlyProperties (replacement only in some cases), types that have any."""
    table = {t: property_paths(s, "conditionalCreateOnlyProperties") for t, s in schemas.items()}
    return {t: paths for t, paths in sorted(table.items()) if paths}


def lambda_function_properties(schemas: dict[str, Schema]) -> tuple[str, ...]:
    """Top-level AWS::Lambda::Function properties a template can set (read-only ones left out)."""
    schema = schemas["AWS::Lambda::Function"]
    read_only = set(property_paths(schema, "readOnlyProperties"))
    return tuple(sorted(p for p in schema["properties"] if p not in read_only))


def _resolve(schema: Schema, node: Any, seen: frozenset[str]) -> tuple[Any, frozenset[str]]:
    """Follow local $refs (merging sibling keywords); (None, seen) on a reference cycle."""
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if ref in seen or not ref.startswith("#/"):
            return None, seen
        seen = seen | {ref}
        target: Any = schema
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node, seen


def _is_string(node: Schema) -> bool:
    kind = node.get("type")
    return kind == "string" or (isinstance(kind, list) and "string" in kind)


def _segments(path: str) -> list[str]:
    return [s for s in re.split(r"\.|\[\*\]", path) if s]


def _evidence(type_name: str, path: str, node: Schema) -> set[str]:
    """Why (if at all) this schema node looks like it takes a Lambda function ARN."""
    found: set[str] = set()
    if node.get("format") == _FUNCTION_ARN_FORMAT:
        found.add("format")
    ref = node.get("relationshipRef")
    if isinstance(ref, dict) and ref.get("typeName") in _FUNCTION_REF_TYPES:
        found.add("relationshipRef")
    pattern = node.get("pattern")
    if (
        isinstance(pattern, str)
        and _LAMBDA_ARN_PATTERN.search(pattern)
        and not _OTHER_LAMBDA_ARN.search(pattern)
    ):
        found.add("pattern")
    segments = _segments(path)
    if _is_string(node) and segments and segments[-1] != "*":
        key = segments[-1]
        parent = segments[-2] if len(segments) > 1 else ""
        if _NAME_EXCLUDE.search(key):
            pass
        elif (
            _NAME_LAMBDA_KEY.search(key)
            or ("Lambda" in parent and key in _NAME_UNDER_LAMBDA)
            or (type_name.startswith("AWS::Lambda::") and key in _NAME_LAMBDA_NAMESPACE)
        ):
            found.add("name")
    return found


def _walk(
    type_name: str, schema: Schema, node: Any, path: str, seen: frozenset[str]
) -> Iterator[tuple[str, set[str]]]:
    """Yield (path, evidence) for every property under node, through $ref, arrays, maps."""
    node, seen = _resolve(schema, node, seen)
    if not isinstance(node, dict):
        return
    if path:
        found = _evidence(type_name, path, node)
        if found:
            yield path, found
    for key, child in node.get("properties", {}).items():
        yield from _walk(type_name, schema, child, f"{path}.{key}" if path else key, seen)
    map_values = list(node.get("patternProperties", {}).values())
    if isinstance(node.get("additionalProperties"), dict):
        map_values.append(node["additionalProperties"])
    for child in map_values:
        yield from _walk(type_name, schema, child, f"{path}.*" if path else "*", seen)
    items = node.get("items")
    for child in items if isinstance(items, list) else [items]:
        if isinstance(child, dict):
            yield from _walk(type_name, schema, child, f"{path}[*]", seen)
    for keyword in ("allOf", "anyOf", "oneOf"):
        for child in node.get(keyword, ()):
            yield from _walk(type_name, schema, child, path, seen)
    for keyword in ("then", "else"):
        if keyword in node:
            yield from _walk(type_name, schema, node[keyword], path, seen)


def _is_read_only(path: str, read_only: set[str]) -> bool:
    """True when path or one of its ancestors is a readOnlyProperty (pointer * = any item)."""
    parts = path.replace("[*]", ".*").split(".")
    return any(".".join(parts[:i]) in read_only for i in range(1, len(parts) + 1))


def function_arn_sites(schemas: dict[str, Schema]) -> dict[tuple[str, str], tuple[str, ...]]:
    """(type, path) -> evidence, for writable properties that take a Lambda function ARN."""
    sites: dict[tuple[str, str], set[str]] = {}
    skip = _NOT_FUNCTION_REFERENCES.keys()
    for type_name, schema in sorted(schemas.items()):
        read_only = set(property_paths(schema, "readOnlyProperties"))
        root = {"properties": schema.get("properties", {})}
        for path, found in _walk(type_name, schema, root, "", frozenset()):
            if not _is_read_only(path, read_only) and (type_name, path) not in skip:
                sites.setdefault((type_name, path), set()).update(found)
    return {site: tuple(sorted(found)) for site, found in sorted(sites.items())}


# --- rendering ------------------------------------------------------------------------------


def _table(table: dict[str, tuple[str, ...]]) -> str:
    """One `Type=path,path` line per type: no whitespace, so long lines are still ruff-clean."""
    rows = [f"{t}={','.join(paths)}" for t, paths in table.items()]
    for row in rows:
        if any(c.isspace() or c in '"\\' for c in row):
            raise ValueError(f"cannot encode {row!r}")
    return '"""\\\n' + "\n".join(rows) + '\n"""'


def _tuple(items: tuple[str, ...], indent: str = "") -> list[str]:
    """A tuple literal of strings, one item per line."""
    return ["(", *(f'{indent}    "{item}",' for item in items), f"{indent})"]


def render(schemas: dict[str, Schema], cfn_lint: str) -> str:
    """The full text of schema_data.py."""
    sites = function_arn_sites(schemas)
    out = [
        f"# Generated by `{COMMAND}` from the {REGION} resource provider",
        f"# schemas bundled with cfn-lint {cfn_lint}. Do not edit by hand: rerun that command",
        "# (CI runs it with --check to catch a stale copy).",
        '"""CloudFormation resource schema facts, extracted so the Lambda needs no cfn-lint.',
        "",
        "Paths are relative to a resource's Properties, keys joined with '.'. In CREATE_ONLY",
        "and CONDITIONAL_CREATE_ONLY a '*' segment is kept from the schema's JSON pointer (it",
        "stands for every item of a list). FUNCTION_ARN_SITES uses the invocation-site syntax",
        "of data/invocation_sites.json: '[*]' every list item, '.*' every map value.",
        "",
        "The create-only tables are stored as text, one `Type=path,path` line per type, and",
        "parsed at import: compiling that is far cheaper than compiling a dict literal of",
        "~1,600 tuples, which matters because Lambda cannot cache bytecode in /var/task.",
        '"""',
        "",
        "",
        "def _parse(table: str) -> dict[str, tuple[str, ...]]:",
        '    """Decode `Type=path,path` lines into {type: paths}."""',
        "    parsed: dict[str, tuple[str, ...]] = {}",
        "    for line in table.splitlines():",
        '        type_name, _, paths = line.partition("=")',
        '        parsed[type_name] = tuple(paths.split(",")) if paths else ()',
        "    return parsed",
        "",
        "",
        "# Every top-level AWS::Lambda::Function property a template can set; used to warn about",
        "# properties that are not yet classified as version-locked or function-level.",
        "LAMBDA_FUNCTION_PROPERTIES: tuple[str, ...] = "
        + "\n".join(_tuple(lambda_function_properties(schemas))),
        "",
        "# (resource type, property path) for every writable schema property that takes a Lambda",
        "# function ARN. The comment says why: 'format' (AWS::Lambda::Function.Arn),",
        "# 'relationshipRef' (to a Lambda function, alias or version), 'pattern' (a Lambda",
        "# function ARN regex) or 'name' (the property name alone; weakest evidence).",
        "FUNCTION_ARN_SITES: tuple[tuple[str, str], ...] = (",
    ]
    for (type_name, path), found in sites.items():
        comment = f"  # {', '.join(found)}"
        line = f'    ("{type_name}", "{path}"),'
        if len(line + comment) <= LINE_LENGTH:
            out.append(line + comment)
        else:
            out += [f"    ({comment}", f'        "{type_name}",', f'        "{path}",', "    ),"]
    out += [
        ")",
        "",
        "# createOnlyProperties of every resource type: changing one replaces the resource. A",
        "# known type with no such properties maps to (); an unknown type is absent.",
        "_CREATE_ONLY = " + _table(create_only(schemas)),
        "CREATE_ONLY: dict[str, tuple[str, ...]] = _parse(_CREATE_ONLY)",
        "",
        "# conditionalCreateOnlyProperties (changing one replaces the resource in some cases),",
        "# only for the types that have any.",
        "_CONDITIONAL_CREATE_ONLY = " + _table(conditional_create_only(schemas)),
        "CONDITIONAL_CREATE_ONLY: dict[str, tuple[str, ...]] = _parse(_CONDITIONAL_CREATE_ONLY)",
        "",
        "del _CREATE_ONLY, _CONDITIONAL_CREATE_ONLY, _parse",
    ]
    return "\n".join(out) + "\n"


def build() -> str:
    """Generate the module text from the installed cfn-lint (imports cfn-lint)."""
    return render(load_schemas(REGION), cfn_lint_version())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 if the checked-in module differs from what would be generated",
    )
    args = parser.parse_args(argv)
    text = build()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current == text:
            return 0
        diff = difflib.unified_diff(
            current.splitlines(keepends=True),
            text.splitlines(keepends=True),
            f"{OUTPUT.name} (checked in)",
            f"{OUTPUT.name} (generated)",
            n=1,
        )
        sys.stdout.writelines(list(diff)[:60])
        print(f"\n{OUTPUT} is out of date; run `{COMMAND}`.", file=sys.stderr)
        return 1
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT} ({len(text.encode())} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
