"""Point references at the resources that replace the ones they name.

A rename maps a name a template may reference to the logical ID that stands for it now:
- a resource's logical ID: an earlier `AWS::Lambda::Version` the macro's own version
  replaces (`EdgeFnVersionV7` -> `EdgeFnVersion1a2b3c4d5e`);
- SAM's reference syntax `<Fn>.Alias` and `<Fn>.Version`, which SAM resolves only for
  functions with AutoPublishAlias ("Referencing Lambda version and alias resources" in the
  AWS SAM developer guide, `sam-resource-function.html`), and leaves as it is otherwise.

Spellings: `Ref`; `Fn::GetAtt` as a list or a dotted string, where a dotted name may be
split anywhere (`[Fn.Version, Version]`, `[Fn, Version.Version]`, `Fn.Version.Version`);
`${Name}` and `${Name.Attribute}` in `Fn::Sub` text (not the Sub's own variables, not a
`${!Literal}`); and the names in `DependsOn`. Values are never mutated: a changed value is
a copy along the changed path, an unchanged one is the very same object.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

Renames = Mapping[str, str]
# The sections of a resource that hold values (Type, Condition and the policies are names).
_VALUE_SECTIONS = ("Properties", "Metadata", "UpdatePolicy", "CreationPolicy")
_PLACEHOLDER = re.compile(r"\$\{([^}!][^}]*)\}")


def renamed_resources(resources: Mapping[str, Any], renames: Renames) -> dict[str, Any]:
    """Every resource with its references renamed; unchanged resources are the same objects."""
    return {logical_id: _resource(resource, renames) for logical_id, resource in resources.items()}


def renamed_outputs(outputs: Any, renames: Renames) -> Any:
    """The Outputs section with the references in each output's Value and Export renamed."""
    if not isinstance(outputs, dict):
        return outputs
    changed = False
    out: dict[str, Any] = {}
    for name, output in outputs.items():
        new = renamed(output, renames) if isinstance(output, dict) else output
        changed = changed or new is not output
        out[name] = new
    return out if changed else outputs


def referenced(references: Iterable[Any], names: Iterable[str]) -> set[str]:
    """Which of `names` these `Ref` / `Fn::GetAtt` / `Fn::Sub` mappings reference (as
    validate.check_template collects them; a Sub's variables are mappings of their own).
    Every template is searched (for SAM's `<Fn>.Alias`), so each kind is picked out in one
    pass, and a GetAtt or Sub is read only when it can name one of them."""
    wanted = {name: name for name in names}
    heads = {name.partition(".")[0] for name in wanted}
    markers = {"." + name.partition(".")[2] if "." in name else "${" + name for name in wanted}
    found = {
        args
        for args in [node["Ref"] for node in references if "Ref" in node]
        if isinstance(args, str) and args in wanted
    }
    for args in [node["Fn::GetAtt"] for node in references if "Fn::GetAtt" in node]:
        head = args[0] if isinstance(args, list) and args else args
        if isinstance(head, str) and head.partition(".")[0] in heads:
            parts = args if isinstance(args, str) else _joined(args)
            if parts is not None:
                _matched(parts, wanted, found)
    for args in [node["Fn::Sub"] for node in references if "Fn::Sub" in node]:
        text = args[0] if isinstance(args, list) and args else args
        if isinstance(text, str) and any(marker in text for marker in markers):
            variables = args[1] if isinstance(args, list) and len(args) == 2 else None
            _sub_text(text, wanted, variables if isinstance(variables, dict) else (), found)
    return found


def _joined(parts: Any) -> str | None:
    if isinstance(parts, list) and parts and all(isinstance(part, str) for part in parts):
        return ".".join(parts)
    return None


def renamed(value: Any, renames: Renames) -> Any:
    """The value with every reference to a renamed name pointed at its new logical ID."""
    if isinstance(value, list):
        items = [renamed(item, renames) for item in value]
        changed = any(new is not old for new, old in zip(items, value, strict=True))
        return items if changed else value
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        key, args = next(iter(value.items()))
        if key == "Ref" and isinstance(args, str):
            return {"Ref": renames[args]} if args in renames else value
        if key == "Fn::GetAtt":
            return _get_att(value, args, renames)
        if key == "Fn::Sub":
            return _sub(value, args, renames)
    changed = False
    out: dict[str, Any] = {}
    for key, item in value.items():
        new = renamed(item, renames)
        changed = changed or new is not item
        out[key] = new
    return out if changed else value


def renamed_depends_on(depends_on: Any, renames: Renames) -> Any:
    """DependsOn with renamed names, each name once, in the user's order."""
    names = [depends_on] if isinstance(depends_on, str) else depends_on
    if not isinstance(names, list) or not any(
        isinstance(name, str) and name in renames for name in names
    ):
        return depends_on
    out: list[Any] = []
    for name in names:
        new = renames.get(name, name) if isinstance(name, str) else name
        if new not in out:
            out.append(new)
    return out[0] if isinstance(depends_on, str) or len(out) == 1 else out


# -- one resource ---------------------------------------------------------------------------
def _resource(resource: Any, renames: Renames) -> Any:
    if not isinstance(resource, dict):
        return resource
    out = None
    for section in (*_VALUE_SECTIONS, "DependsOn"):
        if section not in resource:
            continue
        value = resource[section]
        if section == "DependsOn":
            new = renamed_depends_on(value, renames)
        else:
            new = renamed(value, renames)
        if new is not value:
            out = dict(resource) if out is None else out
            out[section] = new
    return resource if out is None else out


# -- the three spellings --------------------------------------------------------------------
def _matched(name: str, renames: Renames, seen: set[str] | None) -> tuple[str, str] | None:
    """(new logical ID, the attribute after it or "") when `name` starts with a renamed
    name: `Fn.Version.Version` -> (`FnVersion1a2b3c4d5e`, `Version`). The renamed name
    is added to `seen`."""
    head, dot, tail = name.partition(".")
    key, rest = head, tail
    if dot:
        second, _, after = tail.partition(".")
        if f"{head}.{second}" in renames:
            key, rest = f"{head}.{second}", after
    if key not in renames:
        return None
    if seen is not None:
        seen.add(key)
    return renames[key], rest


def _get_att(value: Any, args: Any, renames: Renames) -> Any:
    if isinstance(args, str):
        found = _matched(args, renames, None)
        return {"Fn::GetAtt": f"{found[0]}.{found[1]}"} if found and found[1] else value
    joined = _joined(args)
    if joined is None:
        return value
    found = _matched(joined, renames, None)
    if not found or not found[1]:
        return value
    return {"Fn::GetAtt": [found[0], found[1]]}


def _sub(value: Any, args: Any, renames: Renames) -> Any:
    if isinstance(args, str):
        text = _sub_text(args, renames, (), None)
        return value if text is args else {"Fn::Sub": text}
    if not (isinstance(args, list) and len(args) == 2 and isinstance(args[0], str)):
        return value
    variables = args[1] if isinstance(args[1], dict) else {}
    text = _sub_text(args[0], renames, variables, None)
    new_variables = renamed(args[1], renames)
    if text is args[0] and new_variables is args[1]:
        return value
    return {"Fn::Sub": [text, new_variables]}


def _sub_text(text: str, renames: Renames, variables: Iterable[str], seen: set[str] | None) -> str:
    """The Sub text with `${Old}` / `${Old.Attr}` pointed at the new names; the same
    string object when nothing changed."""
    if "${" not in text:
        return text
    local = set(variables)
    changed = False

    def replace(match: re.Match[str]) -> str:
        nonlocal changed
        name = match.group(1)
        if name in local:
            return match.group(0)
        found = _matched(name, renames, seen)
        if found is None:
            return match.group(0)
        changed = True
        new, attribute = found
        return "${" + (f"{new}.{attribute}" if attribute else new) + "}"

    new_text = _PLACEHOLDER.sub(replace, text)
    return new_text if changed else text
