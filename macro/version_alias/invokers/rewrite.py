"""Point every catalog invocation site at the alias (or version) of its function."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ..data.tables import InvocationSite, sites_by_type
from ..errors import TransformError
from ..template import paths
from ..template.names import LATEST, FunctionIndex, build_index, placeholders
from ..template.options import consumer_target
from ..template.validate import MAX_NESTING
from .references import Rewrite, Target, rewrite
from .sites import condition_holds, current_qualifier, site_values

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_KNOWN_TRANSFORMS = ("AWS::Serverless-2016-10-31", "VersionAlias")


class SiteScope:
    """What a rewrite needs to know about the whole template."""

    __slots__ = ("declared", "index", "targets")

    def __init__(
        self,
        targets: Mapping[str, Target],
        index: FunctionIndex,
        declared: frozenset[str] | None = None,  # names a Ref may use; None skips the check
    ) -> None:
        self.targets = targets
        self.index = index
        self.declared = declared


def site_scope(
    template: Mapping[str, Any],
    resources: Mapping[str, Any],
    targets: Mapping[str, Target],
    region: str | None = None,
    account: str | None = None,
) -> SiteScope:
    """The scope for one template; `resources` includes the generated versions and aliases.
    With the deploy's region and account, literal ARNs of other ones are never ours."""
    parameters = template.get("Parameters")
    declared = set(resources) | (set(parameters) if isinstance(parameters, dict) else set())
    index = build_index(resources, targets, region, account)
    if _other_macros(template.get("Transform")):
        return SiteScope(targets, index)  # a later macro may still add the resource
    return SiteScope(targets, index, frozenset(declared))


def _other_macros(declared: Any) -> bool:
    names = declared if isinstance(declared, list) else [declared] if declared else []
    return any(name not in _KNOWN_TRANSFORMS for name in names)


def rewrite_resource(
    resource_id: str,
    resource: Mapping[str, Any],
    scope: SiteScope,
) -> Mapping[str, Any]:
    """The resource with its sites rewritten; the same object when nothing changed."""
    sites = sites_by_type().get(resource.get("Type"))  # type: ignore[arg-type]
    properties = resource.get("Properties")
    if not sites or not isinstance(properties, dict):
        return resource
    mode = consumer_target(resource_id, resource)
    if mode == "function":
        return resource
    new_properties: Any = properties
    depends_on: set[str] = set()
    for site in sites:
        job = Rewrite(scope.targets, "version" if site.accepts == "version" else mode, scope.index)
        if site.accepts == "qualifier":
            for path, value in paths.match(properties, site.function_path or ""):
                _check_declared(value, scope.declared, resource_id, path)
            new_properties = _set_qualifier(site, new_properties, job)
        else:
            for path, value in site_values(site, properties):
                _check_declared(value, scope.declared, resource_id, path)
                new = rewrite(value, job)
                if new is not value:
                    new_properties = paths.replace(new_properties, path, new)
        depends_on |= job.depends_on
    if new_properties is properties:
        return resource
    updated = dict(resource)
    updated["Properties"] = new_properties
    if depends_on:
        updated["DependsOn"] = add_depends_on(resource.get("DependsOn"), depends_on)
    return updated


def _set_qualifier(site: InvocationSite, properties: Any, job: Rewrite) -> Any:
    """Sites such as EventInvokeConfig name the function and the qualifier apart."""
    if site.function_path is None or not condition_holds(site.when, site.path, properties, ()):
        return properties
    for _, value in paths.match(properties, site.function_path):
        target = job.whole(value)
        if target is None:
            continue
        current = current_qualifier(site, properties)
        if current not in (None, LATEST, target.alias_name):
            continue  # already pinned on purpose
        qualifier = target.qualifier(job.mode)
        if qualifier is None or current == qualifier:
            continue
        if job.mode != "version":
            job.depends_on.add(target.alias_id)
        return _set_path(properties, site.path, qualifier)
    return properties


def _set_path(properties: Mapping[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    head, _, rest = dotted.partition(".")
    copy = dict(properties)
    if rest:
        inner = properties.get(head)
        copy[head] = _set_path(inner if isinstance(inner, dict) else {}, rest, value)
    else:
        copy[head] = value
    return copy


def add_depends_on(existing: Any, extra: set[str]) -> Any:
    """DependsOn with `extra` added, keeping the user's entries and their order."""
    current = [existing] if isinstance(existing, str) else list(existing or [])
    added = [name for name in sorted(extra) if name not in current]
    combined = current + added
    return combined[0] if len(combined) == 1 else combined


def _check_declared(
    value: Any, declared: frozenset[str] | None, resource_id: str, path: paths.Path
) -> None:
    """A site that references a missing resource would point nowhere; CloudFormation
    rejects it too ("Unresolved resource dependencies"), but only after the macro ran,
    and without saying which invocation site it was."""
    if declared is None:
        return
    for name in referenced_names(value):
        if name not in declared and not name.startswith("AWS::"):
            raise TransformError(
                f"references {name}, which is not a resource or parameter of this template.",
                path=("Resources", resource_id, "Properties", *path),
                hint=f"correct the logical ID or add the {name} resource.",
            )


def referenced_names(value: Any, depth: int = 0) -> Iterator[str]:
    """Logical IDs and parameter names a value references via Ref, GetAtt or Sub."""
    if depth > MAX_NESTING:
        return
    if isinstance(value, list):
        for item in value:
            yield from referenced_names(item, depth + 1)
        return
    if not isinstance(value, dict):
        return
    if len(value) == 1:
        key, args = next(iter(value.items()))
        if key == "Ref" and isinstance(args, str):
            yield args
            return
        if key == "Fn::GetAtt":
            parts = args.split(".", 1) if isinstance(args, str) else args
            if isinstance(parts, list) and parts and isinstance(parts[0], str):
                yield parts[0]
            return
        if key == "Fn::Sub":
            text = args if isinstance(args, str) else args[0] if isinstance(args, list) else None
            variables = args[1] if isinstance(args, list) and len(args) == 2 else {}
            if isinstance(text, str):
                local = set(variables) if isinstance(variables, dict) else set()
                yield from sorted(placeholders(text) - local)
            if isinstance(variables, dict):
                yield from referenced_names(list(variables.values()), depth + 1)
            return
    for item in value.values():
        yield from referenced_names(item, depth + 1)
