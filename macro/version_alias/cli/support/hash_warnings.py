"""What a function's version ID cannot see: warnings shared by `render` and `diff`.

The hash covers the resolved values of the template; some values are only known to
CloudFormation after the macro has run (dynamic references, imports, the value behind an
SSM parameter type), and a NoEcho value may reach the macro masked. Each warning names the
function and the property path, never a value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...context import TransformContext
from ...errors import TransformError
from ...invokers.versions import plan_versions
from ...template.validate import check_template
from ...versioning.hashing import NO_ECHO, FunctionHash, function_hash
from ...versioning.identity import MAX_CHAIN, identity_of
from ...versioning.noecho import Secret
from ...versioning.resolve import SSM_MARKER


def is_secret(value: Any) -> bool:
    """A NoEcho value as the hash holds it: its derivation, never the value."""
    return isinstance(value, dict) and len(value) == 1 and NO_ECHO in value


def function_warnings(template: Mapping[str, Any], context: TransformContext) -> list[str]:
    """`<Fn>: <warning>` for every function the macro versions, in template order. The
    template is the one the macro receives (after SAM); one that the macro would refuse
    gets no warnings here (rendering it reports the error)."""
    try:
        check_template(template)
        plan = plan_versions(template, context)  # the hashes the rendered template holds
    except TransformError:
        return []
    found: list[str] = []
    for function_id, planned in plan.functions.items():
        properties = plan.resources[function_id].get("Properties") or {}
        hashed = function_hash(
            properties, plan.resolver, planned.options.salt, function_id, planned.earlier
        )
        found.extend(f"{function_id}: {message}" for message in warnings_for(hashed, context))
    return found


def warnings_for(hashed: FunctionHash, context: TransformContext) -> list[str]:
    """What the hash of this function cannot see, as messages naming property paths."""
    found: list[str] = []
    _walk(hashed.locked, "", found)
    for name in hashed.no_echo:
        value = context.parameter_values.get(name)
        masked = isinstance(value, str) and Secret(name, value).looks_masked()
        found.append(
            f"NoEcho parameter {name} is hashed through a salted PBKDF2 derivation; "
            + (
                "its value looks masked (****), so a new value will not publish a new version."
                if masked
                else "a new value publishes a new version only if CloudFormation passes the "
                "macro the real value, not a mask."
            )
        )
    for name in hashed.unclassified:
        found.append(
            f"{name} is not a known AWS::Lambda::Function property; it counts as "
            "version-locked (data/function_properties.json)."
        )
    return list(dict.fromkeys(found))


def _walk(value: Any, path: str, found: list[str]) -> None:
    where = path or "(value)"
    if isinstance(value, str):
        if "{{resolve:" in value:
            found.append(
                f"{where}: dynamic reference {{{{resolve:...}}}}; CloudFormation reads it after "
                "the macro, so a new value behind it will not publish a new version "
                "(pin a version in the reference, or use Metadata.VersionAlias.Salt)."
            )
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            _walk(item, f"{path}[{index}]", found)
        return
    if not isinstance(value, dict):
        return
    record = identity_of(value)
    if record is not None:
        inner = f"{where} via {record.get('LogicalId')}"
        if record.get("Cycle") or record.get("Truncated"):
            found.append(
                f"{inner}: references form a cycle or a chain deeper than {MAX_CHAIN}; "
                "changes beyond this point will not publish a new version."
            )
        for key in ("CreateOnly", "Properties"):
            for name, item in (record.get(key) or {}).items():
                _walk(item, f"{inner}.{name}", found)
        if "AttributeValue" in record:
            _walk(record["AttributeValue"], f"{inner}.{record.get('Attribute')}", found)
        return
    if "Fn::ImportValue" in value and len(value) == 1:
        found.append(
            f"{where}: Fn::ImportValue is resolved by CloudFormation after the macro; a new "
            "exported value alone will not publish a new version."
        )
        return
    if SSM_MARKER in value and "Ref" in value:
        found.append(
            f"{where}: parameter {value['Ref']} is an SSM parameter type; a new value in "
            "Parameter Store publishes a new version only if CloudFormation passes the macro "
            "the value rather than the parameter name (a new name always does)."
        )
        return
    if is_secret(value):
        return
    for key, item in value.items():
        _walk(item, f"{path}.{key}" if path else str(key), found)
