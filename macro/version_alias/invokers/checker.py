"""The `$LATEST` checker: every catalog site that still invokes an unqualified function.

It runs on templates as they are (rendered output, or templates that never use the
macro) and walks the same catalog, with the same recogniser (template/names.py) and the
same per-site questions (problems.py), as the rewriter. It reports a site when it names a
function of the template without a qualifier, carries a `:$LATEST` qualifier, holds a
literal unqualified Lambda function ARN, or names an alias the template does not create;
and an `Outputs` export that hands a function out unqualified (exports.py).

Left on `$LATEST` on purpose, and not reported: consumers marked
`Metadata: {VersionAlias: {Target: function}}`, the permissions that authorise only such
consumers (pairing.py), and functions marked `Enabled: false`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from ..context import TransformContext
from ..data.tables import sites_by_type
from ..errors import TransformError, format_path
from ..template import paths
from ..template.names import FunctionIndex, build_index
from ..template.options import DEFAULT_ALIAS, consumer_target, function_options
from ..versioning.resolve import Resolver
from ..versioning.settings import setting_resolver, text_resolver
from .exports import exported_functions
from .pairing import PERMISSION, callers, paired_callers, permission_function
from .problems import RUNS_LATEST, site_problems

FUNCTION_TYPES = ("AWS::Lambda::Function", "AWS::Serverless::Function")
Setting = Callable[[Any], Any]


class Finding(NamedTuple):
    """One site that still invokes `$LATEST` (or a missing alias, or is exported).

    `function_id` is the template's function it invokes; None when the site names a
    function outside the template (a literal ARN of another stack's function), which the
    macro cannot version: such findings are `external`. `section` is "Resources" (then
    `path` is under the resource's Properties) or "Outputs" (`resource_id` is the output).
    """

    resource_id: str
    path: paths.Path
    message: str
    function_id: str | None = None
    kind: str = RUNS_LATEST  # problems.RUNS_LATEST, MISSING_ALIAS or EXPORTED
    section: str = "Resources"

    @property
    def external(self) -> bool:
        return self.function_id is None

    @property
    def full_path(self) -> tuple[str | int, ...]:
        """From the template root: `("Resources", id, "Properties", ...)`."""
        if self.section == "Resources":
            return ("Resources", self.resource_id, "Properties", *self.path)
        return (self.section, self.resource_id, *self.path)

    @property
    def location(self) -> str:
        return format_path(self.full_path)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


def check(template: Mapping[str, Any], context: TransformContext | None = None) -> list[Finding]:
    """Every finding in the template, in resource and catalog order, then the exports.
    Parameters resolve from `context` (their defaults without one)."""
    resources = template.get("Resources") if isinstance(template, Mapping) else None
    if not isinstance(resources, Mapping):
        return []
    functions = [
        name
        for name, resource in resources.items()
        if isinstance(resource, Mapping) and resource.get("Type") in FUNCTION_TYPES
    ]
    resolver = Resolver(template, context or TransformContext())
    index = build_index(resources, functions, resolve=text_resolver(resolver))
    setting = setting_resolver(resolver)
    opted_out = frozenset(name for name in functions if _opted_out(name, resources[name], setting))
    on_purpose = _on_purpose(resources, index, setting)
    findings: list[Finding] = []
    for resource_id, resource in resources.items():
        if not isinstance(resource, Mapping) or resource_id in on_purpose:
            continue
        resource_type = resource.get("Type")
        sites = sites_by_type().get(resource_type) if isinstance(resource_type, str) else None
        properties = resource.get("Properties")
        if not sites or not isinstance(properties, Mapping):
            continue
        for site in sites:
            for path, problem in site_problems(site, properties, index, opted_out):
                findings.append(
                    Finding(resource_id, path, problem.message, problem.function_id, problem.kind)
                )
    for name, problem in exported_functions(template, index, opted_out):
        findings.append(
            Finding(name, ("Value",), problem.message, problem.function_id, problem.kind, "Outputs")
        )
    return findings


def _opted_out(function_id: str, function: Mapping[str, Any], setting: Setting) -> bool:
    """`Enabled: false`, read as the macro reads it (options.py); invalid options are the
    macro's error to report, not a reason to skip the function here."""
    try:
        return not function_options(function_id, function, DEFAULT_ALIAS, setting).enabled
    except TransformError:
        return False


def _wants_function(resource_id: str, resource: Mapping[str, Any], setting: Setting) -> bool:
    try:
        return consumer_target(resource_id, resource, setting) == "function"
    except TransformError:
        return False


def _on_purpose(resources: Mapping[str, Any], index: FunctionIndex, setting: Setting) -> set[str]:
    """Consumers left on the function on purpose: `Target: function`, and permissions
    whose callers (pairing.py) all are."""
    chosen = {
        name
        for name, resource in resources.items()
        if isinstance(resource, Mapping) and _wants_function(name, resource, setting)
    }
    found = None
    for name, resource in resources.items():
        if not isinstance(resource, dict) or resource.get("Type") != PERMISSION:
            continue
        function_id = permission_function(resource, index)
        if function_id is None or name in chosen:
            continue
        found = callers(resources, index) if found is None else found
        paired = paired_callers(resource, function_id, resources, found, index)
        if paired and all(caller in chosen for caller in paired):
            chosen.add(name)
    return chosen
