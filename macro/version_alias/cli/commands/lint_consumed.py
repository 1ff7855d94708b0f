"""Lint findings that exist only because rendering consumed what the template uses.

The macro resolves some values from the deploy's parameters and conditions and writes the
result: `ProvisionedConcurrency: !If [IsProd, 1, !Ref AWS::NoValue]` becomes a number or
nothing, a `Description: !Sub "${Desc} ..."` near Lambda's limit becomes the stamped text;
SAM does the same with `AutoPublishAlias: !Ref AliasName`. That is right (CloudFormation
runs the transforms again, with the values of each deploy), but it leaves the parameter or
condition unused in the rendered template, and cfn-lint says so (W2001 "Parameter Desc not
used", W8001 for a condition, W7001 for a mapping) about a template whose author did use
it. cfn-lint on the file the author wrote does not.

The rule: a finding on the rendered template is dropped when (1) it is about a declared
parameter, condition or mapping (its path starts `Parameters.X`, `Conditions.X` or
`Mappings.X`: sections that neither SAM nor the macro change), (2) the template as written
uses X and the rendered one does not, and (3) cfn-lint does not report the same rule at the
same path on the template as written (without its `Transform`). Everything else is kept: a
finding about what the author wrote is one the template as written has too. (3) costs a
second lint, run only for templates where (1) and (2) select a finding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ...template.dependencies import referenced_names
from ...template.validate import MAX_NESTING

DECLARATIONS = ("Parameters", "Conditions", "Mappings")
Entry = tuple[str, str]  # (section, name): ("Parameters", "Desc")


def uses(template: Mapping[str, Any]) -> set[Entry]:
    """The parameters (`Ref`, `Fn::GetAtt`, `Fn::Sub`), conditions (a `Condition` key,
    `Fn::If`) and mappings (`Fn::FindInMap`) that the template uses outside the sections
    that declare them (conditions may use parameters and other conditions)."""
    found: set[Entry] = set()
    for section, body in template.items():
        if section in ("Parameters", "Mappings"):
            continue
        found.update(("Parameters", name) for name in referenced_names(body))
        _walk(body, found, 0)
    return found


def _walk(value: Any, found: set[Entry], depth: int) -> None:
    if depth > MAX_NESTING:
        return
    if isinstance(value, list):
        for item in value:
            _walk(item, found, depth + 1)
        return
    if not isinstance(value, dict):
        return
    for key, item in value.items():
        if key == "Condition" and isinstance(item, str):
            found.add(("Conditions", item))
        first = item[0] if isinstance(item, list) and item else None
        if key == "Fn::If" and isinstance(first, str):
            found.add(("Conditions", first))
        if key == "Fn::FindInMap" and isinstance(first, str):
            found.add(("Mappings", first))
        _walk(item, found, depth + 1)


def consumed(source: Mapping[str, Any], rendered: Mapping[str, Any]) -> set[Entry]:
    """Declared entries that the template as written uses and the rendered one does not."""
    declared = {
        (section, name)
        for section in DECLARATIONS
        if isinstance(source.get(section), dict)
        for name in source[section]
    }
    return (uses(source) - uses(rendered)) & declared


def entry(path: Iterable[Any]) -> Entry | None:
    """The declared entry a finding's path is about, if any."""
    parts = list(path)[:2]
    if len(parts) == 2 and parts[0] in DECLARATIONS and isinstance(parts[1], str):
        return parts[0], parts[1]
    return None


def key(match: Any) -> tuple[str, tuple[Any, ...]]:
    """A finding as (rule ID, path), to compare two lints of one template."""
    return match.rule.id, tuple(getattr(match, "path", None) or ())


def without_consumed(
    matches: list[Any],
    source: Mapping[str, Any] | None,
    rendered: Mapping[str, Any],
    lint: Callable[[dict[str, Any]], list[Any]],
) -> list[Any]:
    """`matches` (on `rendered`) without the findings the module docstring describes;
    `lint` lints a template (here the template as written, without its Transform)."""
    if not source:
        return matches
    resolved = consumed(source, rendered)
    suspects = [m for m in matches if entry(getattr(m, "path", None) or ()) in resolved]
    if not suspects:
        return matches
    written = {name: value for name, value in source.items() if name != "Transform"}
    baseline = {key(match) for match in lint(written)}
    dropped = {id(m) for m in suspects if key(m) not in baseline}
    return [m for m in matches if id(m) not in dropped]
