"""How a template names one of its own functions: the one recogniser of every spelling.

The rewriter, the `$LATEST` checker (and so rule W9350), the IAM widening and the
permission pairing all ask this module, so they can never disagree about what names a
function. A value names function `Fn` when it is:
- `!Ref Fn`, `!GetAtt Fn.Arn`, or equal to Fn's own `FunctionName` as written (a
  literal, a `!Ref Param`, a `!Sub` expression);
- equal to Fn's `FunctionName` once both are resolved from parameter values and pseudo
  parameters (a literal name or ARN against `!Sub 'billing-${Stage}-x'`, or the other way
  round), when the index was built with a `resolve` function;
- text (a plain string, `Fn::Sub`, or `Fn::Join` read as the Sub text it builds) holding
  `${Fn}`, `${Fn.Arn}`, `arn:...:function:<name>` or `function:<name>` (the Application
  Auto Scaling resource ID), each with an optional `:<qualifier>`.
IAM resource patterns with `*` and `?` (`arn:aws:lambda:*:<account>:function:<name>`) are
matched against the function's resolved ARN (`pattern_functions`).
"""

from __future__ import annotations

import json
import re
from collections import namedtuple
from collections.abc import Callable, Iterable, Mapping

from ..context import partition_for
from .qualifiers import ALIAS_TYPE, qualifier_referents
from .texts import JOIN_PART, join_as_sub, placeholders, sub_text, value_text

__all__ = [  # the text readers are re-exported: names.py is where callers look
    "JOIN_PART",
    "FunctionIndex",
    "Mention",
    "build_index",
    "join_as_sub",
    "mentions",
    "pattern_functions",
    "placeholders",
    "sub_text",
    "value_function",
    "value_text",
]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_SEGMENT = r"(?:[^:${}\s\"']|\$\{[^}]*\})*"
_NAME = r"(?:[A-Za-z0-9_-]|\$\{[^}]*\})+"
# Patterns as strings, compiled (and cached by `re`) on first use: the handler's import
# time is measured, and a template without sites never needs them.
_MENTION = (
    rf"(?:arn:{_SEGMENT}:lambda:(?P<region>{_SEGMENT}):(?P<account>{_SEGMENT})"
    rf":function:(?P<name>{_NAME})"
    r"|\$\{(?P<attr>[A-Za-z0-9]+)\.Arn\}"
    r"|\$\{(?P<bare>[A-Za-z0-9_]+)\}"
    rf"|(?<![\w:/-])function:(?P<scaling>{_NAME}))"
    r"(?::(?P<qualifier>\$LATEST|[A-Za-z0-9_-]+|\$\{[^}]*\}))?"
)
_PLACEHOLDER = r"\$\{([A-Za-z0-9_]+)\}"
_ARN = r"arn:[^:]+:lambda:([^:]*):([^:]*):function:([A-Za-z0-9_-]+)"
LATEST = "$LATEST"
# Mention forms: an ARN, a `${Fn.Arn}` / `${Fn}` reference, or an Application Auto Scaling
# resource ID `function:<name>:<alias>`, which names the alias but never invokes it.
ARN, REFERENCE, RESOURCE_ID = "arn", "reference", "resource-id"
Resolve = Callable[[object], object]


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


class FunctionIndex(
    namedtuple(
        "FunctionIndex",
        (
            "ids",
            "name_texts",
            "name_values",
            "region",
            "account",
            "resolved",
            "resolve",
            "aliases",
            "qualifiers",
        ),
        defaults=(None, None, {}, None, None, {}),
    )
):
    """The functions a reference may name, and their `FunctionName` spellings."""

    __slots__ = ()
    # ids: frozenset[str]
    # name_texts: Mapping[str, str]  FunctionName as written inside Sub text -> logical ID
    # name_values: Mapping[str, str]  canonical JSON of a FunctionName value -> logical ID
    # region: str | None = None  the deploy's region and account: a literal ARN naming
    # account: str | None = None  another one is another stack's function, never ours
    # resolved: Mapping[str, str] = {}  FunctionName resolved to text -> logical ID
    # resolve: Resolve | None = None  a value -> its text when parameters decide it, else None
    # aliases: Mapping[str, frozenset[str]] | None = None  function -> alias names the
    #   template creates for it (None: not known, no alias is reported as missing)
    # qualifiers: Mapping[str, tuple[str, str]] = {}  logical ID of an AWS::Lambda::Alias
    #   or AWS::Lambda::Version -> (its type, the qualifier it stands for: the alias's
    #   name, or `${<Version>.Version}` for a version number not known before deploy)


def build_index(
    resources: Mapping[str, Any],
    ids: Iterable[str],
    region: str | None = None,
    account: str | None = None,
    resolve: Resolve | None = None,
) -> FunctionIndex:
    """Index the given functions; a FunctionName shared by two functions names neither.

    `resolve(value)` returns the text a value resolves to (str) or None; with it, names
    are also compared once resolved, and the aliases of each function are listed.
    """
    ids = frozenset(ids)
    texts: dict[str, str | None] = {}
    values: dict[str, str | None] = {}
    resolved: dict[str, str | None] = {}
    for logical_id in sorted(ids):
        name = _properties(resources.get(logical_id)).get("FunctionName")
        if name is None:
            continue
        text = _name_text(name)
        if text is not None:
            texts[text] = None if text in texts else logical_id
        key = canonical(name)
        values[key] = None if key in values else logical_id
        plain = name if isinstance(name, str) else resolve(name) if resolve else None
        if isinstance(plain, str):
            resolved[plain] = None if plain in resolved else logical_id
    qualifiers = qualifier_referents(resources, resolve)
    return FunctionIndex(
        ids,
        {key: value for key, value in texts.items() if value},
        {key: value for key, value in values.items() if value},
        region,
        account,
        {key: value for key, value in resolved.items() if value},
        resolve,
        _aliases(resources, ids, qualifiers) if resolve else None,
        qualifiers,
    )


def _properties(resource: Any) -> Mapping[str, Any]:
    properties = resource.get("Properties") if isinstance(resource, dict) else None
    return properties if isinstance(properties, dict) else {}


def _aliases(
    resources: Mapping[str, Any], ids: frozenset[str], qualifiers: Mapping[str, tuple[str, str]]
) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {function_id: set() for function_id in ids}
    for logical_id, (kind, name) in qualifiers.items():
        if kind != ALIAS_TYPE:
            continue
        function_id = reference_target(_properties(resources[logical_id]).get("FunctionName"))
        if function_id in found:
            found[function_id].add(name)
    return {function_id: frozenset(names) for function_id, names in found.items()}


def reference_target(value: Any) -> str | None:
    """The logical ID a `Ref`, a `GetAtt X.Arn` or a `Sub '${X}'`/`'${X.Arn}'` names."""
    if not isinstance(value, dict) or len(value) != 1:
        return None
    key, args = next(iter(value.items()))
    if key == "Ref":
        return args if isinstance(args, str) else None
    if key == "Fn::GetAtt":
        parts = args.split(".", 1) if isinstance(args, str) else args
        if isinstance(parts, list) and len(parts) == 2 and parts[1] == "Arn":
            return parts[0] if isinstance(parts[0], str) else None
    if key == "Fn::Sub" and isinstance(args, str):
        found = re.fullmatch(r"\$\{([A-Za-z0-9]+)(?:\.Arn)?\}", args)
        return found.group(1) if found else None
    return None


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


class Mention(
    namedtuple(
        "Mention",
        ("start", "end", "function_id", "qualifier", "literal_arn", "form"),
        defaults=(ARN,),
    )
):
    """One place in a string that names a Lambda function."""

    __slots__ = ()
    # start: int
    # end: int  (after the qualifier, when there is one)
    # function_id: str | None  a function of the template, or None
    # qualifier: str | None  the text after ':' (`$LATEST`, an alias, a version), or None
    # literal_arn: bool  an `arn:...:function:<literal name>` (possibly another template's)
    # form: ARN, REFERENCE or RESOURCE_ID

    @property
    def invokes(self) -> bool:
        """An ARN or reference: what an invocation site holds (not a scaling resource ID)."""
        return self.form != RESOURCE_ID


def mentions(
    text: str, index: FunctionIndex, variables: Mapping[str, Any] | None = None, sub: bool = True
) -> list[Mention]:
    """Every function mention in `text`; `sub` says whether `${...}` is Sub syntax."""
    found: list[Mention] = []
    for match in re.finditer(_MENTION, text):
        qualifier = match.group("qualifier")
        name = match.group("name") or match.group("scaling")
        if name is not None:
            function_id = _name_function(name, index, variables, sub)
            form = ARN if match.group("name") is not None else RESOURCE_ID
            if form == ARN and _elsewhere(match, index):
                function_id = None
            literal = form == ARN and "${" not in name
            found.append(Mention(match.start(), match.end(), function_id, qualifier, literal, form))
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
            function_id = _name_function("${" + reference + "}", index, variables, sub)
        if function_id is not None:
            found.append(
                Mention(match.start(), match.end(), function_id, qualifier, False, REFERENCE)
            )
    return found


def _name_function(
    name: str, index: FunctionIndex, variables: Mapping[str, Any] | None, sub: bool
) -> str | None:
    """The function whose name `name` (Sub text when `sub`) spells, as written or resolved."""
    if not sub:
        return index.name_texts.get(name) or index.resolved.get(name)
    single = re.fullmatch(_PLACEHOLDER, name)
    if single:
        reference = single.group(1)
        if variables is not None and reference in variables:
            return value_function(variables[reference], index)
        if reference in index.ids:
            return reference
    found = index.name_texts.get(name)
    if found is not None or not index.resolved:
        return found
    if "${" not in name:
        return index.resolved.get(name.replace("${!", "${"))
    if index.resolve is None:
        return None
    text = index.resolve({"Fn::Sub": [name, dict(variables)] if variables else name})
    return index.resolved.get(text) if isinstance(text, str) else None


def _elsewhere(match: re.Match[str], index: FunctionIndex) -> bool:
    """A literal region or account in the ARN that is not the deploy's own."""
    for group, own in (("region", index.region), ("account", index.account)):
        written = match.group(group)
        if own is not None and "${" not in written and written not in ("", own):
            return True
    return False


def value_function(value: Any, index: FunctionIndex) -> str | None:
    """The function a whole value names, unqualified: a Ref, a GetAtt Arn, its own
    FunctionName (as written or resolved), or text that is exactly one unqualified
    mention."""
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
    if index.resolved:
        found = _resolved_function(value, index)
        if found is not None:
            return found
    text, variables, sub = value_text(value)
    if text is None:
        return None
    whole = [
        mention
        for mention in mentions(text, index, variables, sub)
        if mention.start == 0
        and mention.end == len(text)
        and mention.qualifier is None
        and mention.invokes
    ]
    return whole[0].function_id if whole else None


def _resolved_function(value: Any, index: FunctionIndex) -> str | None:
    """The function whose resolved name (or unqualified ARN) the resolved value is."""
    text = value if isinstance(value, str) else index.resolve(value) if index.resolve else None
    if not isinstance(text, str):
        return None
    found = index.resolved.get(text)
    if found is not None:
        return found
    arn = re.fullmatch(_ARN, text)
    if arn is None or any(
        own is not None and written != own
        for written, own in ((arn.group(1), index.region), (arn.group(2), index.account))
    ):
        return None
    return index.resolved.get(arn.group(3))


def pattern_functions(pattern: Any, index: FunctionIndex) -> list[tuple[str, bool]]:
    """(function, whether the pattern covers its qualified ARNs too) for each function
    whose resolved unqualified ARN an IAM resource pattern with `*` or `?` matches.

    IAM compares ARNs case-sensitively, `*` matching any run of characters (colons too)
    and `?` any one character:
    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
    """
    text = pattern if isinstance(pattern, str) else None
    if text is None and index.resolve is not None:
        text = index.resolve(pattern)  # type: ignore[assignment]
    if not isinstance(text, str) or not ("*" in text or "?" in text):
        return []
    if index.region is None or index.account is None:
        return []
    matcher = re.compile(
        "".join(".*" if char == "*" else "." if char == "?" else re.escape(char) for char in text)
    )
    prefix = f"arn:{partition_for(index.region)}:lambda:{index.region}:{index.account}:function:"
    return [
        (function_id, matcher.fullmatch(f"{prefix}{name}:{LATEST}") is not None)
        for name, function_id in sorted(index.resolved.items())
        if matcher.fullmatch(prefix + name)
    ]
