"""Which logical IDs a value or a resource depends on, and how to add a DependsOn.

CloudFormation orders resources by `Ref`, `Fn::GetAtt`, `Fn::Sub` placeholders and
`DependsOn`; the rewriter uses these to check that a site names what exists, and to add an
ordering edge without closing a cycle.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from .names import placeholders
from .validate import MAX_NESTING

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


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


def depends_on_names(resource: Any) -> list[str]:
    """The resource's `DependsOn` as a list of names (a string or a list in templates)."""
    declared = resource.get("DependsOn") if isinstance(resource, dict) else None
    if isinstance(declared, str):
        return [declared]
    if isinstance(declared, list):
        return [name for name in declared if isinstance(name, str)]
    return []


def dependencies(resource: Any) -> set[str]:
    """Every logical ID (or parameter) the resource waits for: references anywhere in it
    (Properties, Metadata, UpdatePolicy...) and its DependsOn."""
    found = set(referenced_names(resource)) if isinstance(resource, dict) else set()
    return found | set(depends_on_names(resource))


def add_depends_on(existing: Any, extra: set[str]) -> Any:
    """DependsOn with `extra` added, keeping the user's entries and their order."""
    current = [existing] if isinstance(existing, str) else list(existing or [])
    added = [name for name in sorted(extra) if name not in current]
    combined = current + added
    return combined[0] if len(combined) == 1 else combined


def reaches(graph: Any, start: str, goal: str) -> bool:
    """Whether `start` already waits, directly or not, for `goal` in a graph of
    logical ID -> the logical IDs it depends on (a DependencyGraph, or a mapping)."""
    seen = {start}
    stack = [start]
    while stack:
        for name in graph.get(stack.pop(), ()):
            if name == goal:
                return True
            if name not in seen:
                seen.add(name)
                stack.append(name)
    return False


class DependencyGraph:
    """logical ID -> the other resources it waits for, computed on first use (a cycle
    check only follows what an alias reaches: its version, function, role...)."""

    __slots__ = ("_edges", "_resources")

    def __init__(self, resources: Mapping[str, Any]) -> None:
        self._resources = resources
        self._edges: dict[str, set[str]] = {}

    def __getitem__(self, name: str) -> set[str]:
        found = self._edges.get(name)
        if found is None:
            resource = self._resources.get(name)
            found = {item for item in dependencies(resource) if item in self._resources}
            self._edges[name] = found
        return found

    def get(self, name: str, default: Any = ()) -> set[str]:
        return self[name] if name in self._resources else default

    def __contains__(self, name: object) -> bool:
        return name in self._resources


def dependency_graph(resources: Mapping[str, Any]) -> DependencyGraph:
    """The resources' dependency graph (DependencyGraph)."""
    return DependencyGraph(resources)
