"""The `$LATEST` checker: every catalog site that still invokes an unqualified function.

It runs on templates as they are (rendered output, or templates that never use the
macro) and walks the same catalog, with the same recognisers, as the rewriter. It
reports a site when it names a function of the template without a qualifier, carries a
`:$LATEST` qualifier, or holds a literal unqualified Lambda function ARN. Consumers
marked `Metadata: {VersionAlias: {Target: function}}` and functions marked
`Enabled: false` are left on `$LATEST` on purpose and are not reported.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from ..data.tables import InvocationSite, sites_by_type
from ..errors import TransformError, format_path
from ..template import paths
from ..template.names import LATEST, FunctionIndex, build_index, mentions, sub_text, value_function
from ..template.options import DEFAULT_ALIAS, consumer_target, function_options
from ..template.validate import MAX_NESTING as MAX_DEPTH
from .sites import condition_holds, current_qualifier, site_values

FUNCTION_TYPES = ("AWS::Lambda::Function", "AWS::Serverless::Function")


class Finding(NamedTuple):
    """One site that still invokes `$LATEST`.

    `function_id` is the template's function it invokes; None when the site names a
    function outside the template (a literal ARN of another stack's function), which the
    macro cannot version: such findings are `external`.
    """

    resource_id: str
    path: paths.Path  # under the resource's Properties
    message: str
    function_id: str | None = None

    @property
    def external(self) -> bool:
        return self.function_id is None

    @property
    def location(self) -> str:
        return format_path(("Resources", self.resource_id, "Properties", *self.path))

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


def check(template: Mapping[str, Any]) -> list[Finding]:
    """Every finding in the template, in resource and catalog order."""
    resources = template.get("Resources") if isinstance(template, Mapping) else None
    if not isinstance(resources, Mapping):
        return []
    functions = [
        name
        for name, resource in resources.items()
        if isinstance(resource, Mapping) and resource.get("Type") in FUNCTION_TYPES
    ]
    index = build_index(resources, functions)
    opted_out = frozenset(name for name in functions if _opted_out(name, resources[name]))
    findings: list[Finding] = []
    for resource_id, resource in resources.items():
        if not isinstance(resource, Mapping):
            continue
        resource_type = resource.get("Type")
        sites = sites_by_type().get(resource_type) if isinstance(resource_type, str) else None
        properties = resource.get("Properties")
        if (
            not sites
            or not isinstance(properties, Mapping)
            or _wants_function(resource_id, resource)
        ):
            continue
        for site in sites:
            for path, message, function_id in _site_findings(site, properties, index, opted_out):
                findings.append(Finding(resource_id, path, message, function_id))
    return findings


def _opted_out(function_id: str, function: Mapping[str, Any]) -> bool:
    """`Enabled: false`, read as the macro reads it (options.py); invalid options are the
    macro's error to report, not a reason to skip the function here."""
    try:
        return not function_options(function_id, function, DEFAULT_ALIAS).enabled
    except TransformError:
        return False


def _wants_function(resource_id: str, resource: Mapping[str, Any]) -> bool:
    try:
        return consumer_target(resource_id, resource) == "function"
    except TransformError:
        return False


def _site_findings(
    site: InvocationSite,
    properties: Mapping[str, Any],
    index: FunctionIndex,
    opted_out: frozenset[str],
) -> Iterator[tuple[paths.Path, str, str | None]]:
    if site.accepts == "qualifier":
        yield from _qualifier_findings(site, properties, index, opted_out)
        return
    for path, value in site_values(site, properties):
        for message, function_id in problems(value, index, opted_out):
            yield path, message, function_id


def _qualifier_findings(
    site: InvocationSite,
    properties: Mapping[str, Any],
    index: FunctionIndex,
    opted_out: frozenset[str],
) -> Iterator[tuple[paths.Path, str, str | None]]:
    if site.function_path is None or not condition_holds(site.when, site.path, properties, ()):
        return
    qualifier = current_qualifier(site, properties)
    path = tuple(paths.parse(site.path))
    if qualifier == LATEST:
        named = [
            value_function(value, index) for _, value in paths.match(properties, site.function_path)
        ]
        yield path, "the qualifier is $LATEST; use an alias name.", next(filter(None, named), None)
        return
    if qualifier is not None:
        return
    for _, value in paths.match(properties, site.function_path):
        function_id = value_function(value, index)
        if function_id is not None and function_id not in opted_out:
            yield (
                path,
                (
                    f"no qualifier: {site.function_path} names function {function_id}, "
                    "so $LATEST is invoked; set the alias name."
                ),
                function_id,
            )
            return


def problems(
    value: Any, index: FunctionIndex, opted_out: frozenset[str] = frozenset(), depth: int = 0
) -> list[tuple[str, str | None]]:
    """(why, function ID or None) for each way a site value invokes `$LATEST` (empty when
    it does not). The function ID is None for a function outside the template."""
    if depth > MAX_DEPTH:
        return []
    function_id = value_function(value, index)
    if function_id is not None:
        if function_id in opted_out:
            return []
        return [(f"invokes $LATEST of function {function_id}; point it at an alias.", function_id)]
    text, variables, sub = sub_text(value)
    if text is None and isinstance(value, dict) and len(value) == 1 and "Fn::Join" in value:
        text, variables, sub = _join_text(value["Fn::Join"]), None, True
    if text is not None:
        return _text_problems(text, index, variables, sub, opted_out)
    found: list[tuple[str, str | None]] = []
    if isinstance(value, dict):
        parts = paths.if_parts(value)
        if parts is not None:
            branches = list(parts[1:])
        elif len(value) == 1 and "Fn::If" in value:
            branches = []  # a malformed Fn::If: CloudFormation rejects it
        else:
            branches = list(value.values())
        for branch in branches:
            found.extend(problems(branch, index, opted_out, depth + 1))
    elif isinstance(value, list):
        for item in value:
            found.extend(problems(item, index, opted_out, depth + 1))
    return found


def _text_problems(
    text: str,
    index: FunctionIndex,
    variables: Mapping[str, Any] | None,
    sub: bool,
    opted_out: frozenset[str],
) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    latest_reported = False
    for mention in mentions(text, index, variables, sub):
        if mention.qualifier not in (None, LATEST) or mention.function_id in opted_out:
            continue
        latest_reported = latest_reported or mention.qualifier == LATEST
        if mention.function_id is not None:
            found.append(
                (
                    f"invokes $LATEST of function {mention.function_id}; point it at an alias.",
                    mention.function_id,
                )
            )
        elif mention.literal_arn:
            found.append(
                ("a literal Lambda function ARN without a qualifier invokes $LATEST.", None)
            )
        elif mention.qualifier == LATEST:
            found.append(("the Lambda ARN ends in :$LATEST; use an alias.", None))
    if not latest_reported and f":{LATEST}" in text:
        found.append(("names :$LATEST; use an alias.", None))
    return found


def _join_text(args: Any) -> str | None:
    """A Join as Sub-like text (`${Fn.Arn}` for a GetAtt part), so the same recognisers
    see `!Join ['', [!GetAtt Fn.Arn, ':$LATEST']]` and `!Sub '${Fn.Arn}:$LATEST'` alike."""
    if not (isinstance(args, list) and len(args) == 2 and isinstance(args[1], list)):
        return None
    delimiter = args[0] if isinstance(args[0], str) else ""
    pieces: list[str] = []
    for part in args[1]:
        if isinstance(part, str):
            pieces.append(part.replace("${", "${!"))
        elif isinstance(part, dict) and len(part) == 1 and isinstance(part.get("Ref"), str):
            pieces.append("${" + part["Ref"] + "}")
        elif isinstance(part, dict) and len(part) == 1 and "Fn::GetAtt" in part:
            attribute = part["Fn::GetAtt"]
            parts = attribute.split(".", 1) if isinstance(attribute, str) else attribute
            joined = ".".join(str(item) for item in parts) if isinstance(parts, list) else "?"
            pieces.append("${" + joined + "}")
        else:
            pieces.append("${!?}")
    return delimiter.join(pieces)
