"""Compare where SAM's AutoPublishAlias points at its alias with where VersionAlias does.

For every corpus SAM template with `AutoPublishAlias` and a SAM output (the oracle, in
sam-translator/output/), each place where the oracle references an alias
(`Ref: <Fn>Alias<name>` or `${<Fn>Alias<name>}` anywhere in Resources) must, in our
render of the same template *without* AutoPublishAlias, reference our alias of the same
function at the same resource and path. A qualifier site (a Url naming the function,
with Qualifier set to the alias name) counts as the same invocation.

    PYTHONPATH=macro:scripts python scripts/compare_sam_oracle.py [-v]
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from corpus_render import RENDER_ERRORS, Entry, load, manifest, render_template
from version_alias.data.tables import sites_by_type
from version_alias.template import paths
from version_alias.template.options import METADATA_KEY

ALIAS_TYPE = "AWS::Lambda::Alias"
# SAM properties that need AutoPublishAlias; they go with it.
ALIAS_ONLY = (
    "AutoPublishAlias",
    "AutoPublishAliasAllProperties",
    "AutoPublishCodeSha256",
    "DeploymentPreference",
    "ProvisionedConcurrencyConfig",
    "VersionDescription",
    "VersionDeletionPolicy",
)
Path = tuple[str | int, ...]


@dataclass
class Comparison:
    template: str
    matched: list[Path] = field(default_factory=list)
    reordered: list[Path] = field(default_factory=list)
    via_qualifier: list[Path] = field(default_factory=list)
    missed: list[tuple[Path, str]] = field(default_factory=list)
    error: str | None = None

    @property
    def total(self) -> int:
        return len(self.matched) + len(self.reordered) + len(self.via_qualifier) + len(self.missed)


def entries() -> list[Entry]:
    return [
        entry
        for entry in manifest()
        if entry.kind == "sam"
        and any(feature.endswith("AutoPublishAlias") for feature in entry.features)
        and entry.oracle
    ]


def alias_functions(resources: dict[str, Any]) -> dict[str, str]:
    """alias logical ID -> the logical ID of its function."""
    found = {}
    for name, resource in resources.items():
        if resource.get("Type") != ALIAS_TYPE:
            continue
        function = resource.get("Properties", {}).get("FunctionName")
        if isinstance(function, dict) and isinstance(function.get("Ref"), str):
            found[name] = function["Ref"]
    return found


def alias_references(value: Any, aliases: dict[str, str], path: Path = ()) -> Iterator[Path]:
    """Paths (within one resource) of every Ref or `${...}` to one of `aliases`."""
    if isinstance(value, dict):
        if len(value) == 1 and value.get("Ref") in aliases:
            yield path
            return
        if len(value) == 1 and "Fn::Sub" in value:
            args = value["Fn::Sub"]
            text = args if isinstance(args, str) else args[0] if isinstance(args, list) else ""
            if any("${" + alias + "}" in str(text) for alias in aliases):
                yield path
                return
        for key, item in value.items():
            yield from alias_references(item, aliases, (*path, key))
    elif isinstance(value, list):
        for position, item in enumerate(value):
            yield from alias_references(item, aliases, (*path, position))


def referenced_aliases(value: Any, aliases: dict[str, str]) -> set[str]:
    text = json.dumps(value)
    return {
        alias
        for alias in aliases
        if re.search(r'"Ref": "' + alias + '"', text) or "${" + alias + "}" in text
    }


def without_auto_publish(template: dict[str, Any]) -> dict[str, Any]:
    """The template with AutoPublishAlias (and what needs it) stripped from functions and
    Globals; each function asks VersionAlias for the alias name SAM would have used."""
    out = copy.deepcopy(template)
    globals_ = out.get("Globals", {}) if isinstance(out.get("Globals"), dict) else {}
    function_globals = globals_.get("Function", {})
    default = function_globals.get("AutoPublishAlias") if function_globals else None
    for key in ALIAS_ONLY:
        if isinstance(function_globals, dict):
            function_globals.pop(key, None)
    for resource in out.get("Resources", {}).values():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        properties = resource.get("Properties") or {}
        alias = properties.get("AutoPublishAlias", default)
        for key in ALIAS_ONLY:
            properties.pop(key, None)
        alias = _resolved(alias, out)
        if isinstance(alias, str):
            metadata = resource.setdefault("Metadata", {})
            metadata.setdefault(METADATA_KEY, {})["AliasName"] = alias
    return out


def _resolved(value: Any, template: dict[str, Any]) -> Any:
    if isinstance(value, dict) and isinstance(value.get("Ref"), str):
        parameter = template.get("Parameters", {}).get(value["Ref"], {})
        return parameter.get("Default")
    return value


def _in_another_list_item(
    resource: dict[str, Any], path: Path, function: str, aliases: dict[str, str]
) -> bool:
    """SAM's output and a current samtranslator may order list items (S3 notification
    configurations, say) differently; the same path in any item counts."""
    segments: list[str] = []
    skip = 0
    for position, part in enumerate(path):
        if skip:
            skip -= 1
            continue
        if part == "Fn::If" and position + 1 < len(path) and isinstance(path[position + 1], int):
            skip = 1  # paths.match looks through Fn::If by itself
            continue
        segments.append("[*]" if isinstance(part, int) else str(part))
    pattern = ".".join(segments).replace(".[*]", "[*]")
    return any(
        function in {aliases[alias] for alias in referenced_aliases(value, aliases)}
        for _, value in paths.match(resource, pattern)
    )


def _qualifier_equivalent(resource: dict[str, Any], path: Path, alias_name: str) -> bool:
    """A qualifier row names the function at `path` and carries the alias name."""
    if not path or path[0] != "Properties":
        return False
    for site in sites_by_type().get(resource.get("Type", ""), ()):
        if site.accepts != "qualifier" or site.function_path is None:
            continue
        if tuple(paths.parse(site.function_path)) != path[1:]:
            continue
        qualifiers = [value for _, value in paths.match(resource["Properties"], site.path)]
        if qualifiers == [alias_name]:
            return True
    return False


def compare(entry: Entry) -> Comparison:
    result = Comparison(entry.file)
    assert entry.oracle is not None
    oracle = json.loads(entry.oracle.read_text(encoding="utf-8"))["Resources"]
    try:
        ours = render_template(without_auto_publish(load(entry)), entry.path.parent)
        ours = ours["Resources"]
    except RENDER_ERRORS as problem:
        result.error = f"{type(problem).__name__}: {str(problem).splitlines()[0]}"
        return result
    sam_aliases = alias_functions(oracle)
    our_aliases = alias_functions(ours)
    for resource_id, resource in oracle.items():
        for path in alias_references(resource, sam_aliases):
            where = (resource_id, *path)
            sam_alias = next(iter(referenced_aliases(paths.get(resource, path), sam_aliases)))
            function = sam_aliases[sam_alias]
            mine = ours.get(resource_id)
            if mine is None:
                result.missed.append((where, "resource absent from our render"))
                continue
            try:
                value = paths.get(mine, path)
            except (KeyError, IndexError, TypeError):
                value = None
            found = {our_aliases[alias] for alias in referenced_aliases(value, our_aliases)}
            if function in found:
                result.matched.append(where)
                continue
            if _in_another_list_item(mine, path, function, our_aliases):
                result.reordered.append(where)
                continue
            alias_name = oracle[sam_alias]["Properties"]["Name"]
            if _qualifier_equivalent(mine, path, alias_name):
                result.via_qualifier.append(where)
            else:
                result.missed.append((where, f"ours is {json.dumps(value)[:120]}"))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every site")
    args = parser.parse_args(argv)
    totals = {
        "templates": 0,
        "sites": 0,
        "matched": 0,
        "reordered": 0,
        "via_qualifier": 0,
        "missed": 0,
    }
    errors = 0
    for entry in entries():
        result = compare(entry)
        totals["templates"] += 1
        if result.error:
            errors += 1
            print(f"{entry.file}: not rendered: {result.error}")
            continue
        totals["sites"] += result.total
        totals["matched"] += len(result.matched)
        totals["reordered"] += len(result.reordered)
        totals["via_qualifier"] += len(result.via_qualifier)
        totals["missed"] += len(result.missed)
        status = "ok" if not result.missed else "MISSED"
        found = result.total - len(result.missed)
        print(f"{entry.file}: {found}/{result.total} {status}")
        for where, why in result.missed:
            print(f"  missed {'.'.join(map(str, where))}: {why}")
        if args.verbose:
            for label, group in (
                ("same path", result.matched),
                ("other list item", result.reordered),
                ("qualifier", result.via_qualifier),
            ):
                for where in group:
                    print(f"  ok ({label}) {'.'.join(map(str, where))}")
    print(json.dumps({**totals, "not_rendered": errors}))
    return 1 if totals["missed"] or errors else 0


if __name__ == "__main__":
    sys.exit(main())
