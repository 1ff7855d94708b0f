"""Point every catalog invocation site at the alias (or version) of its function."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import paths
from .options import consumer_target
from .references import Rewrite, Target, referenced_function, rewrite
from .tables import InvocationSite, sites_by_type


def site_applies(site: InvocationSite, properties: Mapping[str, Any], path: paths.Path) -> bool:
    """Whether a `when` condition on the catalog row holds for this match."""
    if site.when is None:
        return True
    base: Any = properties
    if site.when.relative_to == "parent":
        base = paths.get(properties, path[:-1])
    found = [value for _, value in paths.match(base, site.when.path)]
    return any(value in site.when.values for value in found)


def rewrite_resource(
    resource_id: str, resource: Mapping[str, Any], targets: Mapping[str, Target]
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
        job = Rewrite(targets, "version" if site.accepts == "version" else mode)
        if site.accepts == "qualifier":
            new_properties = _set_qualifier(site, new_properties, job)
        else:
            for path, value in paths.match(properties, site.path):
                if not site_applies(site, properties, path):
                    continue
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
    if site.function_path is None or not site_applies(site, properties, ()):
        return properties
    for _, value in paths.match(properties, site.function_path):
        target = job.target(referenced_function(value))
        if target is None:
            continue
        current = next((found for _, found in paths.match(properties, site.path)), None)
        if current not in (None, "$LATEST", target.alias_name):
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
