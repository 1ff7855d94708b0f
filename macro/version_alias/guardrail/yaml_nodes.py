"""Building a template's values from YAML nodes: mappings (with `<<` merges and the
duplicate-key rule) and tagged nodes (CloudFormation's short forms, the `!!` types).

As cli/support/template_load.py builds them (cfn-lint's reading of the short forms,
cfnlint/decode/cfn_yaml.py): `!Ref` and `!Condition` keep their names, every other `!X`
becomes `Fn::X` over the node as written (a tagged scalar stays text, never a number),
and `!GetAtt A.B.C` splits at the first dot.
"""

from __future__ import annotations

from .yaml_scalars import MERGE, YamlError, resolve_plain

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_UNPREFIXED = frozenset({"Ref", "Condition"})
_TYPES = frozenset({"str", "int", "float", "bool", "null", "map", "seq"})


def tagged(value: Any, tag: str, position: int) -> Any:
    if tag.startswith("!!"):
        kind = tag[2:]
        if kind not in _TYPES:
            raise YamlError(position, f"the YAML type !!{kind} has no meaning in a template")
        if kind in ("map", "seq"):
            if not isinstance(value, dict if kind == "map" else list):
                raise YamlError(position, f"!!{kind} on a value that is not one")
            return value
        if not isinstance(value, str):
            raise YamlError(position, f"!!{kind} on a collection")
        if kind == "str":
            return value
        resolved = resolve_plain(value) if value else None
        wanted = {"int": int, "float": float, "bool": bool, "null": type(None)}[kind]
        if kind == "float" and type(resolved) is int:
            resolved = float(resolved)
        if type(resolved) is not wanted:
            raise YamlError(position, f"the value is not a valid !!{kind}")
        return resolved
    name = tag[1:]
    function = name if name in _UNPREFIXED else f"Fn::{name}"
    if function == "Fn::GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {function: value}


def build_mapping(pairs: list[tuple[Any, Any, int]]) -> dict[Any, Any]:
    """A mapping from its (key, value, key position) pairs: `<<` merges first (the first
    merged mapping wins), then the mapping's own keys, which win over merged ones. A
    duplicate key is an error unless the mapping merges (template_load.py's rule)."""
    merged: dict[Any, Any] = {}
    merges = False
    for key, value, position in pairs:
        if key is not MERGE:
            continue
        merges = True
        sources = value if isinstance(value, list) else [value]
        for source in reversed(sources):
            if not isinstance(source, dict):
                raise YamlError(position, "`<<` merges mappings only")
            merged.update(source)
    result = dict(merged)
    seen: set[Any] = set()
    for key, value, position in pairs:
        if key is MERGE:
            continue
        if key is None or isinstance(key, (list, dict)):
            raise YamlError(position, "a key must be text; quote it")
        if key in seen and not merges:
            raise YamlError(position, "a duplicate key; CloudFormation would keep only one")
        seen.add(key)
        result[key] = value
    return result
