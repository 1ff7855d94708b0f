"""Whatever names an alias by string waits for it: one rule, for every resource type.

A string such as `function:${Fn}:live` (an Application Auto Scaling target) or
`${Fn.Arn}:live`, or a catalog qualifier site that names the function and the alias apart
(`FunctionName: !Ref Fn` with `Qualifier: live`, `!Ref AliasParam`, any spelling that
deploys as the alias's name: template/qualifiers.py), gives CloudFormation no dependency
on the alias resource, so on the first deploy the resource may be created before the alias
exists and fail ("Cannot find alias arn", SAM issue 316). Every resource whose properties
name one of the template's aliases by string gets a `DependsOn` on it, except:
- identity policies (IAM Role, User, Group and the policy types): IAM does not check that
  a resource exists, and the wait could close a cycle (a CodeDeploy hook's role, which the
  alias itself waits for);
- a resource the alias already waits for (the dependency would close a cycle): a note
  says so;
- a resource whose Condition differs from the alias's: it may exist without the alias.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from ..data.tables import identity_policy_documents, sites_by_type
from ..notes import Note
from ..template import paths
from ..template.dependencies import add_depends_on, dependency_graph, reaches
from ..template.names import mentions, value_function, value_text
from ..template.validate import MAX_NESTING
from .sites import current_qualifier

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

GENERATED = ("AWS::Lambda::Alias", "AWS::Lambda::Version")


def wait_for_aliases(
    resources: Mapping[str, Any], scope: Any, noted: Iterable[tuple] = ()
) -> tuple[dict, list[Note]]:
    """`resources` with a DependsOn on each alias a resource names by string (a new dict),
    and notes for the dependencies that would close a cycle (unless a note at the
    resource's path, in `noted`, already says so). `scope` is a SiteScope."""
    noted = set(noted)
    aliases = {
        (target.function_id, target.alias_name): target.alias_id
        for target in scope.targets.values()
        if isinstance(target.alias_name, str) and target.alias_id in resources
    }
    out = dict(resources)
    notes: list[Note] = []
    if not aliases:
        return out, notes
    names = {name for _, name in aliases}
    graph = dependency_graph(resources)
    for resource_id, resource in resources.items():
        if resource.get("Type") in identity_policy_documents() or resource.get("Type") in GENERATED:
            continue
        named = _named_aliases(resource.get("Properties"), names, aliases, scope)
        named |= _qualified_aliases(resource, aliases, scope.index)
        if not named:  # most resources: no need to read what they wait for
            continue
        named -= graph[resource_id]
        waits = set()
        for alias_id in sorted(named):
            if resources[alias_id].get("Condition") not in (None, resource.get("Condition")):
                continue
            if reaches(graph, alias_id, resource_id):
                if ("Resources", resource_id) not in noted:
                    notes.append(_cycle_note(resource_id, alias_id))
                continue
            waits.add(alias_id)
            graph[resource_id].add(alias_id)
        if waits:
            out[resource_id] = {
                **resource,
                "DependsOn": add_depends_on(resource.get("DependsOn"), waits),
            }
    return out, notes


def _named_aliases(properties: Any, names: set[str], aliases: Mapping, scope: Any) -> set[str]:
    found = set()
    for text, variables, sub in _texts(properties, names):
        for mention in mentions(text, scope.index, variables, sub):
            alias_id = aliases.get((mention.function_id, mention.qualifier))
            if alias_id is not None:
                found.add(alias_id)
    return found


def _qualified_aliases(resource: Mapping[str, Any], aliases: Mapping, index: Any) -> set[str]:
    """Aliases a catalog qualifier site names apart: its function property names the
    function, and its qualifier deploys as the alias's name."""
    sites = sites_by_type().get(resource.get("Type"))  # type: ignore[arg-type]
    properties = resource.get("Properties")
    found: set[str] = set()
    if not sites or not isinstance(properties, dict):
        return found
    for site in sites:
        if site.accepts != "qualifier" or site.function_path is None:
            continue
        qualifier = current_qualifier(site, properties, index)
        if not isinstance(qualifier, str):
            continue
        for _, value in paths.match(properties, site.function_path):
            alias_id = aliases.get((value_function(value, index), qualifier))
            if alias_id is not None:
                found.add(alias_id)
    return found


def _texts(value: Any, names: set[str]) -> Iterator[tuple[str, Any, bool]]:
    """(text, variables, is_sub) of every string, Sub and Join in a value that may name an
    alias (holds `:<alias name>`); nothing, after one quick pass, for most resources."""
    if not _holds_alias_text(value, names):
        return
    stack = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            continue
        text, variables, sub = value_text(node)
        if text is not None:
            if any(f":{name}" in text for name in names):
                yield text, variables, sub
            if isinstance(node, str):
                continue
        if isinstance(node, dict):
            stack.extend((item, depth + 1) for item in node.values())
        elif isinstance(node, list):
            stack.extend((item, depth + 1) for item in node)


def _holds_alias_text(value: Any, names: set[str]) -> bool:
    """Whether any string in the value holds `:<alias name>` (also across Join parts)."""
    markers = tuple(f":{name}" for name in names)
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if node in names or (":" in node and any(marker in node for marker in markers)):
                return True
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def _cycle_note(resource_id: str, alias_id: str) -> Note:
    return Note(
        f"names alias {alias_id} by string, but the alias already waits for this resource, "
        "so it gets no DependsOn; on the first deploy it may be created before the alias.",
        ("Resources", resource_id),
        f"reference the alias (!Ref {alias_id}) where that is possible, or deploy once "
        "without this resource.",
    )
