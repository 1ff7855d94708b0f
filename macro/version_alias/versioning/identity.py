"""What a `Ref`/`Fn::GetAtt` to another resource of the template contributes to a hash.

A reference passes the resource's physical ID or an attribute such as its ARN, and those
change exactly when CloudFormation replaces the resource, which happens when one of its
create-only properties changes. So a resource hashes as its identity: type, logical ID
and resolved create-only properties (recursively, through their own references). A
layer's new content therefore publishes a new function version; an edit to a role's
policy does not. Types whose references can change on a plain update (custom resources,
nested stacks, types no schema describes) contribute all of their properties.

A `Fn::GetAtt` whose attribute names one of the resource's own properties (for example
`AWS::SSM::Parameter` `Value`) also contributes that property's resolved value: the
attribute changes whenever the property does, replacement or not.

Identities are cached per resource for one transform, so a template with many functions
pays for each referenced resource once.

Known limit: a read-only attribute that changes on an update without replacement (a
DynamoDB table's `StreamArn` after a new `StreamSpecification`) is not followed, because
no schema says which properties it depends on. `Metadata.VersionAlias.Salt` covers that.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache

from ..data.schema_data import CONDITIONAL_CREATE_ONLY, CREATE_ONLY
from ..data.tables import load_data

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

IDENTITY = "VersionAlias::Identity"
MAX_CHAIN = 16
_MISSING = object()


@cache
def _all_properties_rules() -> tuple[tuple[str, ...], frozenset[str]]:
    raw = load_data("resource_identity.json")
    return tuple(raw["all_properties_prefixes"]), frozenset(raw["all_properties_types"])


@cache
def create_only_paths(resource_type: str) -> tuple[str, ...] | None:
    """The create-only property paths of a type; None when all properties count."""
    prefixes, types = _all_properties_rules()
    if resource_type in types or resource_type.startswith(prefixes):
        return None
    if resource_type not in CREATE_ONLY:
        return None
    paths = set(CREATE_ONLY[resource_type]) | set(CONDITIONAL_CREATE_ONLY.get(resource_type, ()))
    return tuple(sorted(paths))


def identity_of(value: Any) -> Mapping[str, Any] | None:
    """The identity record inside a resolved value, or None when it is not one."""
    if isinstance(value, dict) and len(value) == 1 and IDENTITY in value:
        record = value[IDENTITY]
        return record if isinstance(record, dict) else None
    return None


class Identities:
    """Identities of the resources of one template.

    `resources` is the template's Resources mapping and `resolve` the function that
    resolves a value of it (resolve.Resolver.resolve, which owns this object): identity.py
    decides what a reference contributes, resolve.py how values are evaluated.
    """

    def __init__(self, resources: Mapping[str, Any], resolve: Callable[[Any], Any]) -> None:
        self._resources = resources
        self._resolve = resolve
        self._cache: dict[str, dict[str, Any]] = {}
        # How many resources deep each cached record's chain goes: reused deeper than
        # MAX_CHAIN allows, it would lack the Truncated marker a fresh computation has.
        self._heights: dict[str, int] = {}
        self._active: list[str] = []
        self._below: list[int] = []  # per active resource: the height of its deepest child
        self._tainted: set[str] = set()

    @property
    def busy(self) -> bool:
        """True while a resource's identity is being computed. Values resolved then depend
        on where the chain started (a cycle, or the chain limit, marks them): they are
        neither cached nor taken from a cache."""
        return bool(self._active)

    def of(self, logical_id: str, attribute: str | None = None) -> dict[str, Any]:
        """The identity record of a resource, as referenced by Ref (no attribute) or GetAtt."""
        record = dict(self._base(logical_id))
        if attribute is not None:
            record["Attribute"] = attribute
            value = self._attribute_value(logical_id, attribute)
            if value is not _MISSING:
                record["AttributeValue"] = value
        return {IDENTITY: record}

    # -- internals ---------------------------------------------------------------
    def _resource(self, logical_id: str) -> tuple[str, Mapping[str, Any]]:
        resource = self._resources.get(logical_id)
        resource = resource if isinstance(resource, dict) else {}
        kind = resource.get("Type")
        properties = resource.get("Properties")
        return (
            kind if isinstance(kind, str) else "",
            properties if isinstance(properties, dict) else {},
        )

    def _base(self, logical_id: str) -> dict[str, Any]:
        if logical_id in self._cache:
            height = self._heights[logical_id]
            if len(self._active) + height <= MAX_CHAIN:
                self._reached(height)
                return self._cache[logical_id]
        kind, properties = self._resource(logical_id)
        shallow = {"LogicalId": logical_id, "Type": kind}
        if logical_id in self._active:
            # Only an invalid template (CloudFormation rejects circular dependencies) gets
            # here; results computed inside the cycle are not cached, so they never depend
            # on which function happened to reach the cycle first.
            self._tainted.update(self._active[self._active.index(logical_id) :])
            return {**shallow, "Cycle": True}
        if len(self._active) >= MAX_CHAIN:
            self._tainted.update(self._active)
            return {**shallow, "Truncated": True}
        self._active.append(logical_id)
        self._below.append(0)
        try:
            record = {**shallow, **self._contribution(kind, properties)}
        finally:
            self._active.pop()
            height = self._below.pop() + 1
        self._reached(height)
        if logical_id in self._tainted:
            self._tainted.discard(logical_id)
        else:
            self._cache[logical_id] = record
            self._heights[logical_id] = height
        return record

    def _reached(self, height: int) -> None:
        """Record a child's chain height in the resource being computed."""
        if self._below and height > self._below[-1]:
            self._below[-1] = height

    def _contribution(self, kind: str, properties: Mapping[str, Any]) -> dict[str, Any]:
        paths = create_only_paths(kind)
        if paths is None:
            return {"Properties": self._resolve(dict(properties))}
        resolved_tops: dict[str, Any] = {}
        create_only: dict[str, Any] = {}
        for path in paths:
            top, *rest = path.split(".")
            if top not in properties:
                continue
            if top not in resolved_tops:
                resolved_tops[top] = self._resolve(properties[top])
            value = _pick(resolved_tops[top], rest)
            if value is not _MISSING:
                create_only[path] = value
        return {"CreateOnly": create_only}

    def _attribute_value(self, logical_id: str, attribute: str) -> Any:
        _, properties = self._resource(logical_id)
        top, *rest = attribute.split(".")
        if top not in properties:
            return _MISSING
        return _pick(self._resolve(properties[top]), rest)


def _pick(value: Any, parts: list[str]) -> Any:
    """The value at a schema path; the whole value where an unresolved shape is in the way."""
    if not parts:
        return value
    head, rest = parts[0], parts[1:]
    if head == "*":
        if isinstance(value, list):
            picked = (_pick(item, rest) for item in value)
            return [None if item is _MISSING else item for item in picked]
        return value
    if isinstance(value, dict):
        if head in value:
            return _pick(value[head], rest)
        if len(value) == 1 and _is_expression(next(iter(value))):
            return value
        return _MISSING
    return value


def _is_expression(key: Any) -> bool:
    return isinstance(key, str) and (key in ("Ref", IDENTITY) or key.startswith("Fn::"))
