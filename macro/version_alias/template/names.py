"""How a template names one of its own functions: references, names and ARNs in strings.

Shared by the rewriter, the `$LATEST` checker and the IAM widening, so that all three
recognise exactly the same spellings:
- `!Ref Fn`, `!GetAtt Fn.Arn`, and a value equal to the function's own `FunctionName`
  (a literal, a `!Ref Param` or a `!Sub` expression);
- in `Fn::Sub` text: `${Fn}`, `${Fn.Arn}`, `arn:...:function:${Fn}` and
  `arn:...:function:<FunctionName>`, each with an optional `:<qualifier>`;
- in plain strings: `arn:...:function:<literal name>[:<qualifier>]`.
"""

from __future__ import annotations

import json
import re
from collections import namedtuple
from collections.abc import Iterable, Mapping

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_SEGMENT = r"(?:[^:${}\s\"']|\$\{[^}]*\})*"
_NAME = r"(?:[A-Za-z0-9_-]|\$\{[^}]*\})+"
_MENTION = re.compile(
    rf"(?:arn:{_SEGMENT}:lambda:(?P<region>{_SEGMENT}):(?P<account>{_SEGMENT})"
    rf":function:(?P<name>{_NAME})"
    r"|\$\{(?P<attr>[A-Za-z0-9]+)\.Arn\}"
    r"|\$\{(?P<bare>[A-Za-z0-9_]+)\})"
    r"(?::(?P<qualifier>\$LATEST|[A-Za-z0-9_-]+|\$\{[^}]*\}))?"
)
_PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9_]+)\}")
LATEST = "$LATEST"


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


class FunctionIndex(
    namedtuple(
        "FunctionIndex",
        ("ids", "name_texts", "name_values", "region", "account"),
        defaults=(None, None),
    )
):
    """The functions a reference may name, and their `FunctionName` spellings."""

    __slots__ = ()
    # ids: frozenset[str]
    # name_texts: Mapping[str, str]  FunctionName as written inside Sub text -> logical ID
    # name_values: Mapping[str, str]  canonical JSON of a FunctionName value -> logical ID
    # region: str | None = None  the deploy's region and account: a literal ARN naming
    # account: str | None = None  another one is another stack's function, never ours


def build_index(
    resources: Mapping[str, Any],
    ids: Iterable[str],
    region: str | None = None,
    account: str | None = None,
) -> FunctionIndex:
    """Index the given functions; a FunctionName shared by two functions names neither."""
    ids = frozenset(ids)
    texts: dict[str, str | None] = {}
    values: dict[str, str | None] = {}
    for logical_id in sorted(ids):
        resource = resources.get(logical_id)
        properties = resource.get("Properties") if isinstance(resource, dict) else None
        name = properties.get("FunctionName") if isinstance(properties, dict) else None
        if name is None:
            continue
        text = _name_text(name)
        if text is not None:
            texts[text] = None if text in texts else logical_id
        key = canonical(name)
        values[key] = None if key in values else logical_id
    return FunctionIndex(
        ids,
        {key: value for key, value in texts.items() if value},
        {key: value for key, value in values.items() if value},
        region,
        account,
    )


def _name_text(name: Any) -> str | None:
    """How a FunctionName reads inside Sub text: `my-fn`, `${Param}`, `${AWS::StackName}-x`."""
    if isinstance(name, str):
        return name if "${" not in name else None
    if isinstance(name, dict) and len(name) == 1:
        if isinstance(name.get("Ref"), str):
            return "${" + name["Ref"] + "}"
        if isinstance(name.get("Fn::Sub"), str):
            return name["Fn::Sub"]
    return None


class Mention(namedtuple("Mention", ("start", "end", "function_id", "qualifier", "literal_arn"))):
    """One place in a string that names a Lambda function."""

    __slots__ = ()
    # start: int
    # end: int
    # function_id: str | None  a function of the template, or None
    # qualifier: str | None  the text after ':' (`$LATEST`, an alias, a version), or None
    # literal_arn: bool  an `arn:...:function:<literal name>` (possibly another template's)


def mentions(
    text: str, index: FunctionIndex, variables: Mapping[str, Any] | None = None, sub: bool = True
) -> list[Mention]:
    """Every function mention in `text`; `sub` says whether `${...}` is Sub syntax."""
    found: list[Mention] = []
    for match in _MENTION.finditer(text):
        qualifier = match.group("qualifier")
        name = match.group("name")
        if name is not None:
            function_id = _arn_name_function(name, index, variables, sub)
            if _elsewhere(match, index):
                function_id = None
            literal = "${" not in name
            found.append(Mention(match.start(), match.end(), function_id, qualifier, literal))
            continue
        if not sub:
            continue
        reference = match.group("attr") or match.group("bare")
        function_id = None
        if match.group("attr"):
            function_id = reference if reference in index.ids else None
        elif variables is not None and reference in variables:
            function_id = value_function(variables[reference], index)
        elif reference in index.ids:
            function_id = reference
        else:
            function_id = index.name_texts.get("${" + reference + "}")
        if function_id is not None:
            found.append(Mention(match.start(), match.end(), function_id, qualifier, False))
    return found


def _arn_name_function(
    name: str, index: FunctionIndex, variables: Mapping[str, Any] | None, sub: bool
) -> str | None:
    if not sub:
        return index.name_texts.get(name) if "${" not in name else None
    single = _PLACEHOLDER.fullmatch(name)
    if single:
        reference = single.group(1)
        if variables is not None and reference in variables:
            return value_function(variables[reference], index)
        if reference in index.ids:
            return reference
    return index.name_texts.get(name)


def _elsewhere(match: re.Match[str], index: FunctionIndex) -> bool:
    """A literal region or account in the ARN that is not the deploy's own."""
    for group, own in (("region", index.region), ("account", index.account)):
        written = match.group(group)
        if own is not None and "${" not in written and written not in ("", own):
            return True
    return False


def value_function(value: Any, index: FunctionIndex) -> str | None:
    """The function a whole value names, unqualified: a Ref, a GetAtt Arn, its own
    FunctionName, or a Sub/plain string that is exactly one unqualified mention."""
    if isinstance(value, dict) and len(value) == 1:
        key, args = next(iter(value.items()))
        if key == "Ref" and isinstance(args, str) and args in index.ids:
            return args
        if key == "Fn::GetAtt":
            parts = args.split(".", 1) if isinstance(args, str) else args
            if isinstance(parts, list) and len(parts) == 2 and parts[1] == "Arn":
                return parts[0] if parts[0] in index.ids else None
            return None
    if index.name_values:  # only functions with a FunctionName: skip the encoding otherwise
        found = index.name_values.get(canonical(value))
        if found is not None:
            return found
    text, variables, sub = sub_text(value)
    if text is None:
        return None
    whole = [
        mention
        for mention in mentions(text, index, variables, sub)
        if mention.start == 0 and mention.end == len(text) and mention.qualifier is None
    ]
    return whole[0].function_id if whole else None


def sub_text(value: Any) -> tuple[str | None, dict[str, Any] | None, bool]:
    """(text, variables, is_sub) of a plain string or an Fn::Sub; (None, None, False) else."""
    if isinstance(value, str):
        return value, None, False
    if isinstance(value, dict) and len(value) == 1 and "Fn::Sub" in value:
        args = value["Fn::Sub"]
        if isinstance(args, str):
            return args, None, True
        if isinstance(args, list) and len(args) == 2 and isinstance(args[0], str):
            return args[0], args[1] if isinstance(args[1], dict) else None, True
    return None, None, False


def placeholders(text: str) -> set[str]:
    """Names used as `${Name}` or `${Name.Attr}` in Sub text (not `${!Literal}`)."""
    return {match.group(1) for match in re.finditer(r"\$\{([^}!.][^}.]*)(?:\.[^}]*)?\}", text)}
