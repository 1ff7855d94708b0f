"""What a qualifier property names once resolved: the one reading of a `Qualifier`.

An `AWS::Lambda::EventInvokeConfig` or `AWS::Lambda::Url` names its function and its
qualifier apart, and the qualifier may be spelled many ways: `live`, `!Ref AliasParam`,
`!Sub "${Stage}"`, text joined with `Fn::Join`, or derived from an alias or version of the
template. The CDK writes `!Select [7, !Split [":", !Ref Alias]]`: the `Ref` of an
`AWS::Lambda::Alias` is its ARN, `arn:<partition>:lambda:<region>:<account>:function:
<function>:<alias>`, and that of an `AWS::Lambda::Version` the version's ARN (both are the
resources' primary identifiers, `AliasArn` and `FunctionArn`, in their CloudFormation
schemas; `GetAtt <Version>.Version` is the number:
https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-alias.html#aws-resource-lambda-alias-return-values,
https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-version.html#aws-resource-lambda-version-return-values).

`qualifier_text` compares every spelling as the text it deploys as: the rewriter's
one-per-qualifier rule, the ordering rule (what names an alias waits for it), the URL
permission pairing and the `$LATEST` checker all read qualifiers through it
(invokers/sites.py `current_qualifier`). A version's number is not known before deploy; it
reads as `${<Version>.Version}`, which no alias name can equal (an alias name is letters,
digits, `-` and `_`, and not all digits: the `Name` pattern of AWS::Lambda::Alias).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from .validate import MAX_NESTING

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ALIAS_TYPE, VERSION_TYPE = "AWS::Lambda::Alias", "AWS::Lambda::Version"
# Stands for the parts of an alias or version ARN that a qualifier cannot depend on (its
# partition, region, account and function name): a text that holds it is not decided.
_UNKNOWN = "\ue000"
_ARN_ATTRIBUTES = {ALIAS_TYPE: "AliasArn", VERSION_TYPE: "FunctionArn"}
Referents = Mapping[str, tuple[str, str]]
_PLACEHOLDER = r"\$\{([^}!][^}]*)\}"  # `${X}` or `${X.Attribute}`, not `${!Literal}`


def qualifier_referents(
    resources: Mapping[str, Any], resolve: Callable[[Any], Any] | None = None
) -> dict[str, tuple[str, str]]:
    """Alias and version logical ID -> (resource type, the qualifier it stands for: the
    alias's `Name`, resolved with `resolve` when given, or `${<Version>.Version}`). An
    alias whose Name cannot be decided is left out."""
    found: dict[str, tuple[str, str]] = {}
    for logical_id, resource in resources.items():
        kind = resource.get("Type") if isinstance(resource, dict) else None
        if kind == VERSION_TYPE:
            found[logical_id] = (kind, "${" + logical_id + ".Version}")
        elif kind == ALIAS_TYPE:
            properties = resource.get("Properties")
            name = properties.get("Name") if isinstance(properties, dict) else None
            if not isinstance(name, str) and resolve is not None and name is not None:
                name = resolve(name)
            if isinstance(name, str):
                found[logical_id] = (kind, name)
    return found


def qualifier_text(
    value: Any, referents: Referents, resolve: Callable[[Any], Any] | None = None
) -> Any:
    """The text a qualifier value deploys as, when the template decides it: a literal as
    written (a number as CloudFormation passes it, `1` as "1"), an intrinsic once
    parameters and the aliases and versions of the template (`referents`, from
    `qualifier_referents`) are substituted and `resolve` evaluates it. The value as written
    when it cannot be decided (an attribute of another resource, an import, a NoEcho
    value): callers treat a value that is not a str as undecided."""
    if isinstance(value, str) or value is None:
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = _substitute(value, referents, 0)
    if resolve is not None and not isinstance(text, str):
        text = resolve(text)
    if isinstance(text, str) and _UNKNOWN not in text:
        return text
    return value


def version_reference(qualifier: Any) -> bool:
    """Whether a qualifier text stands for a version of the template whose number is not
    known before deploy (`${<Version>.Version}`, as `qualifier_text` reads it)."""
    return (
        isinstance(qualifier, str)
        and qualifier.startswith("${")
        and qualifier.endswith(".Version}")
    )


def _arn(qualifier: str) -> str:
    unknown = _UNKNOWN
    return f"arn:{unknown}:lambda:{unknown}:{unknown}:function:{unknown}:{qualifier}"


def _reference(name: Any, attribute: Any, referents: Referents) -> str | None:
    """The text a Ref (attribute None) or GetAtt of an alias or version stands for."""
    found = referents.get(name) if isinstance(name, str) else None
    if found is None:
        return None
    kind, qualifier = found
    if attribute is None or attribute == _ARN_ATTRIBUTES[kind]:
        return _arn(qualifier)
    if kind == VERSION_TYPE and attribute == "Version":
        return qualifier
    return None


def _substitute(value: Any, referents: Referents, depth: int) -> Any:
    """The value with each Ref and GetAtt of an alias or version (also as a Sub
    placeholder) replaced by the text it stands for; shared parts are not copied."""
    if depth > MAX_NESTING or not referents:
        return value
    if isinstance(value, list):
        return [_substitute(item, referents, depth + 1) for item in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        key, args = next(iter(value.items()))
        if key == "Ref":
            found = _reference(args, None, referents)
            return value if found is None else found
        if key == "Fn::GetAtt":
            parts = args.split(".", 1) if isinstance(args, str) else args
            if isinstance(parts, list) and len(parts) == 2:
                found = _reference(parts[0], parts[1], referents)
                return value if found is None else found
            return value
        if key == "Fn::Sub":
            return _sub(args, referents, depth)
    return {key: _substitute(item, referents, depth + 1) for key, item in value.items()}


def _sub(args: Any, referents: Referents, depth: int) -> Any:
    """An Fn::Sub whose `${Alias}`, `${Alias.AliasArn}` or `${Version.Version}`
    placeholders become variables holding the text they stand for."""
    if isinstance(args, str):
        text, variables = args, {}
    elif isinstance(args, list) and len(args) == 2 and isinstance(args[0], str):
        text = args[0]
        variables = args[1] if isinstance(args[1], dict) else {}
    else:
        return {"Fn::Sub": args}
    added = {key: _substitute(item, referents, depth + 1) for key, item in variables.items()}
    for name in set(re.findall(_PLACEHOLDER, text)):
        if name in variables:
            continue
        target, _, attribute = name.partition(".")
        found = _reference(target, attribute or None, referents)
        if found is not None:
            added[name] = found
    return {"Fn::Sub": [text, added]} if added else {"Fn::Sub": text}
