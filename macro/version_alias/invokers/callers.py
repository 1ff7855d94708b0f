"""Point every caller at the alias, then each permission after the callers it authorises.

Callers first, permissions second: a permission ends on the qualifier its callers ended on
(pairing.py), so a caller left on the function (`Target: function`, or a spelling the
macro cannot rewrite) keeps its permission. Whatever is left on `$LATEST`, or names an
alias the template does not create, is noted at its path: `check` on the output reports
nothing that `render` did not warn about.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..data.tables import sites_by_type
from ..notes import Note
from ..template.dependencies import DependencyGraph, dependencies, dependency_graph, reaches
from ..template.names import LATEST
from ..template.options import consumer_target, metadata_of
from ..template.qualifiers import version_reference
from .pairing import PERMISSION, URL, callers, paired_callers, permission_function
from .problems import MISSING_ALIAS, RUNS_LATEST, site_problems
from .rewrite import SiteScope, rewrite_resource, unique_claims
from .sites import current_qualifier

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ON_PURPOSE, LEFT, ALIAS, VERSION = "function", "left", "alias", "version"


def rewrite_callers(resources: Mapping[str, Any], scope: SiteScope) -> tuple[dict, list[Note]]:
    """`resources` with every invocation site rewritten (a new dict; unchanged resources
    are shared), and the notes about sites left as they were."""
    by_type = sites_by_type()
    found = callers(resources, scope.index)
    claims, undecided = unique_claims(resources, scope.index)
    scope.claims.update(claims)
    scope.undecided.update(undecided)
    output = dict(resources)
    notes: list[Note] = []
    permissions = []
    graph = dependency_graph(resources)
    for resource_id, resource in resources.items():
        if resource["Type"] not in by_type:  # one lookup; most resources have no site
            continue
        if resource["Type"] == PERMISSION:
            permissions.append(resource_id)
            continue
        new, made = rewrite_resource(resource_id, resource, scope)
        output[resource_id], made = _acyclic(resource_id, resource, new, made, graph)
        notes += made + _leftovers(resource_id, output[resource_id], resources, scope, made)
    for resource_id in permissions:
        resource = resources[resource_id]
        mode, made = _permission_mode(resource_id, resource, resources, output, found, scope)
        new, rewritten = rewrite_resource(resource_id, resource, scope, mode)
        output[resource_id], made = _acyclic(resource_id, resource, new, made + rewritten, graph)
        notes += made
        if mode != ON_PURPOSE:  # kept with its callers: _permission_mode said what it must
            notes += _leftovers(resource_id, output[resource_id], resources, scope, made)
    return output, notes


def _acyclic(
    resource_id: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    made: list[Note],
    graph: DependencyGraph,
) -> tuple[Mapping[str, Any], list[Note]]:
    """The rewritten resource, unless it now waits for an alias (or version) that already
    waits for it (a literal ARN at a site of a resource the function references): then
    the resource as it was, and a note. `graph` gains the edges of what is kept."""
    if after is before:
        return after, made
    added = {name for name in dependencies(after) if name in graph} - graph[resource_id]
    closing = sorted(name for name in added if reaches(graph, name, resource_id))
    if closing:
        note = Note(
            f"left as it was: pointing it at {closing[0]} would close a dependency cycle "
            f"({closing[0]} already waits for this resource).",
            ("Resources", resource_id),
            "break the cycle (a function that references this resource through an "
            "environment variable, say), or keep this consumer on purpose with "
            "Metadata: {VersionAlias: {Target: function}}.",
        )
        return before, [note]
    graph[resource_id].update(added)
    return after, made


def _leftovers(
    resource_id: str,
    resource: Mapping[str, Any],
    resources: Mapping[str, Any],
    scope: SiteScope,
    made: list[Note],
) -> list[Note]:
    """Notes for the sites of a rewritten resource that still run `$LATEST` or name a
    missing alias (none for a consumer that asked for the function, nor twice a path)."""
    if consumer_target(resource_id, resources[resource_id], scope.setting) == ON_PURPOSE:
        return []
    properties = resource.get("Properties")
    if not isinstance(properties, dict):
        return []
    noted = {note.path for note in made}
    out: list[Note] = []
    for site in sites_by_type().get(resource["Type"], ()):
        for path, problem in site_problems(site, properties, scope.index, scope.opted_out):
            full = ("Resources", resource_id, "Properties", *path)
            if full in noted:
                continue
            noted.add(full)
            out.append(Note(f"left as it is: {problem.message}", full, _HINTS[_hint(problem)]))
    return out


def _hint(problem: Any) -> str:
    if problem.kind == MISSING_ALIAS:
        return MISSING_ALIAS
    return RUNS_LATEST if problem.function_id is not None else "external"


_HINTS = {
    RUNS_LATEST: "write !GetAtt <Function>.Arn (or !Ref <Function>) at this site so that "
    "VersionAlias can point it at the alias, or mark the consumer Metadata: {VersionAlias: "
    "{Target: function}} to keep it on $LATEST on purpose.",
    "external": "VersionAlias versions only the template's own functions; point this site at "
    "an alias or version of that function.",
    MISSING_ALIAS: "name an alias the template creates (the function's AliasName), or create "
    "that alias.",
}


def _permission_mode(
    permission_id: str,
    permission: Mapping[str, Any],
    resources: Mapping[str, Any],
    output: Mapping[str, Any],
    found: Mapping[str, list[str]],
    scope: SiteScope,
) -> tuple[str | None, list[Note]]:
    """The Target a permission follows (None: its own), and notes about its pairing."""
    if "Target" in metadata_of(permission, ("Resources", permission_id)):
        return None, []
    function_id = permission_function(permission, scope.index)
    if function_id is None or function_id not in scope.targets:
        return None, []
    paired = paired_callers(permission, function_id, resources, found, scope.index)
    kinds = {caller: _kind(caller, function_id, resources, output, scope) for caller in paired}
    chosen = {ON_PURPOSE if kind == LEFT else kind for kind in kinds.values()}
    path = ("Resources", permission_id, "Properties", "FunctionName")
    if len(chosen) > 1:
        named = ", ".join(f"{caller} ({kind})" for caller, kind in sorted(kinds.items()))
        return ALIAS, [
            Note(
                f"authorises callers of function {function_id} that end on different "
                f"qualifiers: {named}; moved to the alias, so the others lose it.",
                path,
                "give each caller its own AWS::Lambda::Permission (with a SourceArn naming "
                "it), or move them all to the same Target.",
            )
        ]
    if chosen != {ON_PURPOSE}:
        return (chosen.pop() if chosen else None), []
    left = sorted(caller for caller, kind in kinds.items() if kind == LEFT)
    notes = []
    if left:
        notes.append(
            Note(
                f"left on function {function_id} with its caller(s) {', '.join(left)}, "
                "which VersionAlias could not point at the alias.",
                path,
                _HINTS[RUNS_LATEST].replace("this site", f"the site of {left[0]}"),
            )
        )
    return ON_PURPOSE, notes


def _kind(
    caller: str,
    function_id: str,
    resources: Mapping[str, Any],
    output: Mapping[str, Any],
    scope: SiteScope,
) -> str:
    """Where one caller of the function ended: on the function on purpose, left on it,
    on the alias, or on the version."""
    mode = consumer_target(caller, resources[caller], scope.setting)
    if mode == ON_PURPOSE:
        return ON_PURPOSE
    after = output[caller]
    properties = after.get("Properties") if isinstance(after, dict) else None
    for site in sites_by_type().get(after.get("Type"), ()):
        if site.accepts == "qualifier" and after.get("Type") == URL:
            target = scope.targets[function_id]
            qualifier = current_qualifier(site, properties, scope.index)
            if qualifier == target.alias_name:
                return ALIAS
            if qualifier in (None, LATEST):
                return LEFT
            if isinstance(qualifier, str) and not version_reference(qualifier):
                return ON_PURPOSE  # pinned to another alias or a version number
            return VERSION  # a version of the template, or not decided
        for _, problem in site_problems(site, properties or {}, scope.index, scope.opted_out):
            if problem.kind == RUNS_LATEST and problem.function_id == function_id:
                return LEFT
    return VERSION if mode == VERSION else ALIAS
