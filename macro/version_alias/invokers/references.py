"""Point a value that names one of the template's functions at its alias (or version).

A rewritten site always references the alias (or version) *resource*: `!Ref Alias` or
`${Alias}`. A string such as `${Fn.Arn}:live` would give CloudFormation no dependency,
and the first deploy would fail with "Cannot find alias arn" (SAM issue 316). A `Fn::Join`
keeps its parts where a part is the function's ARN (`!GetAtt Fn.Arn` becomes `!Ref
Alias`); where the parts build the ARN together from the name (`...:function:`, `!Ref
Stage`, `-worker`), the Join becomes the `Fn::Sub` it spells, with `${Alias}` in it. Which
spellings count as naming a function is decided in names.py.
"""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Mapping

from ..errors import TransformError
from ..template.names import (
    LATEST,
    FunctionIndex,
    Mention,
    join_as_sub,
    mentions,
    placeholders,
    value_function,
)
from ..template.paths import if_parts
from ..template.validate import MAX_NESTING as MAX_DEPTH

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# A string, compiled (and cached by `re`) on first use: only an alias's FunctionName
# written as Fn::Sub needs it.
_ARN_SUB = (
    r"(?P<arn>arn:(?:[^:${}]|\$\{[^}]*\})*:lambda:(?:[^:${}]|\$\{[^}]*\})*:"
    r"(?:[^:${}]|\$\{[^}]*\})*:function:)?\$\{(?P<id>[A-Za-z0-9]+)(?P<attr>\.Arn)?\}"
    r"(?::(?:\$LATEST|[A-Za-z0-9_-]+))?"
)


class Target(namedtuple("Target", ("function_id", "alias_id", "alias_name", "version_id"))):
    """Where invocations of one function go instead of `$LATEST`."""

    __slots__ = ()
    # function_id: str
    # alias_id: str
    # alias_name: str | None
    # version_id: str | None

    def replacement(self, mode: str) -> str | None:
        return self.version_id if mode == "version" else self.alias_id

    def qualifier(self, mode: str) -> Any:
        if mode == "version":
            return {"Fn::GetAtt": [self.version_id, "Version"]} if self.version_id else None
        return self.alias_name

    def replaces(self, qualifier: str | None) -> bool:
        """A mention with this qualifier runs `$LATEST` (or names our alias without a
        dependency on it), so it is pointed at the alias resource; any other qualifier
        pins a version or alias on purpose and stays."""
        return qualifier in (None, LATEST) or (
            qualifier is not None and qualifier == self.alias_name
        )


class Rewrite:
    """One site's rewrite: the targets to use and the DependsOn it turned out to need."""

    __slots__ = ("depends_on", "index", "mode", "targets")

    def __init__(self, targets: Mapping[str, Target], mode: str, index: FunctionIndex) -> None:
        self.targets = targets
        self.mode = mode
        self.index = index
        self.depends_on: set[str] = set()

    def target(self, function_id: Any) -> Target | None:
        if not isinstance(function_id, str):
            return None
        target = self.targets.get(function_id)
        if target is None or target.replacement(self.mode) is None:
            return None
        return target

    def whole(self, value: Any) -> Target | None:
        """The target a whole value names, unqualified."""
        return self.target(value_function(value, self.index))


def referenced_function(value: Any) -> str | None:
    """The logical ID a value references (Ref, GetAtt .Arn, or a Sub string that is one
    function reference); used to find the function an alias belongs to."""
    if not isinstance(value, dict) or len(value) != 1:
        return None
    key, args = next(iter(value.items()))
    if key == "Ref" and isinstance(args, str):
        return args
    if key == "Fn::GetAtt":
        parts = args.split(".", 1) if isinstance(args, str) else args
        if isinstance(parts, list) and len(parts) == 2 and parts[1] == "Arn":
            return parts[0] if isinstance(parts[0], str) else None
    if key == "Fn::Sub":
        text = (
            args if isinstance(args, str) else args[0] if isinstance(args, list) and args else None
        )
        if isinstance(text, str):
            found = re.fullmatch(_ARN_SUB, text)
            if found and (found.group("arn") or found.group("attr") or found.group(0) == text):
                return found.group("id")
    return None


def rewrite(value: Any, job: Rewrite, depth: int = 0) -> Any:
    """The value with every reference to a targeted function pointed at its alias or
    version; the very same object when nothing changed."""
    if depth > MAX_DEPTH:
        raise TransformError(f"nesting deeper than {MAX_DEPTH} levels.")
    target = job.whole(value)
    if target is not None:
        return {"Ref": target.replacement(job.mode)}
    if isinstance(value, str):
        return _rewrite_plain(value, job)
    if not isinstance(value, dict) or len(value) != 1:
        return value
    key, args = next(iter(value.items()))
    if key == "Fn::Sub":
        return _rewrite_sub(value, args, job, depth)
    if key == "Fn::Join":
        joined = _rewrite_join(value, args, job, depth)
        return _join_as_sub(joined, job, depth)
    parts = if_parts(value)
    if parts is not None:
        condition, when_true, when_false = parts
        first, second = rewrite(when_true, job, depth + 1), rewrite(when_false, job, depth + 1)
        if first is when_true and second is when_false:
            return value
        return {"Fn::If": [condition, first, second]}
    return value


def _replaced(
    text: str, found: list[Mention], job: Rewrite, literal: bool
) -> tuple[str, bool, bool]:
    """(new Sub text, changed, whole) with each targeted mention replaced by `${Alias}`.
    `literal` text is escaped for Sub on the way (`${` becomes `${!`)."""
    out: list[str] = []
    last = 0
    changed = whole = False
    for mention in found:
        target = job.target(mention.function_id)
        if target is None or not mention.invokes or not target.replaces(mention.qualifier):
            continue
        chunk = text[last : mention.start]
        out.append(chunk.replace("${", "${!") if literal else chunk)
        out.append("${" + str(target.replacement(job.mode)) + "}")
        last = mention.end
        changed = True
        whole = mention.start == 0 and mention.end == len(text)
    tail = text[last:]
    out.append(tail.replace("${", "${!") if literal else tail)
    return "".join(out), changed, whole


def _rewrite_plain(value: str, job: Rewrite) -> Any:
    """A literal ARN of one of the template's functions (by its literal FunctionName)."""
    if not (job.index.name_texts or job.index.resolved) or "function:" not in value:
        return value
    text, changed, whole = _replaced(value, mentions(value, job.index, sub=False), job, True)
    if not changed:
        return value
    if whole:
        return {"Ref": _only_reference(text)}
    return {"Fn::Sub": text}


def _only_reference(text: str) -> str:
    return text[2:-1]


def _rewrite_sub(value: Any, args: Any, job: Rewrite, depth: int = 0) -> Any:
    if isinstance(args, str):
        text, changed, _ = _replaced(args, mentions(args, job.index), job, False)
        return {"Fn::Sub": text} if changed else value
    if not (isinstance(args, list) and len(args) == 2 and isinstance(args[0], str)):
        return value
    variables = args[1] if isinstance(args[1], dict) else None
    text, changed, _ = _replaced(args[0], mentions(args[0], job.index, variables), job, False)
    if variables is not None:
        # A variable that is not a function itself may hide one (an Fn::If of ARNs).
        inner = {
            name: item if job.whole(item) else rewrite(item, job, depth + 1)
            for name, item in variables.items()
        }
        if any(inner[name] is not variables[name] for name in variables):
            variables, changed = inner, True
    if not changed:
        return value
    if variables is None:
        return {"Fn::Sub": [text, args[1]]}
    used, before = placeholders(text), placeholders(args[0])
    kept = {name: item for name, item in variables.items() if name in used or name not in before}
    return {"Fn::Sub": [text, kept]} if kept else {"Fn::Sub": text}


def _whole_reference(value: Any) -> Any:
    """`Fn::Sub '${X}'` is `Ref X`: the simpler spelling."""
    if isinstance(value, dict) and isinstance(value.get("Fn::Sub"), str):
        text = value["Fn::Sub"]
        if text.startswith("${") and text.endswith("}") and text.count("${") == 1:
            name = text[2:-1]
            if name.isalnum():
                return {"Ref": name}
    return value


def _rewrite_join(value: Any, args: Any, job: Rewrite, depth: int) -> Any:
    """Parts that are a function's ARN (`!GetAtt Fn.Arn`) are replaced in place, with a
    following `:$LATEST` dropped; a part that names the function by *name* is left to the
    Sub reading (`_join_as_sub`), which sees the ARN the parts build together."""
    if not (isinstance(args, list) and len(args) == 2 and isinstance(args[1], list)):
        return value
    delimiter, parts = args
    out: list[Any] = []
    changed = False
    index = 0
    while index < len(parts):
        part = parts[index]
        following = parts[index + 1] if index + 1 < len(parts) else None
        whole = job.whole(part)
        if whole is not None and (
            not _arn_valued(part) or _names_qualifier(following, delimiter, whole)
        ):
            out.append(part)  # a name, or `!GetAtt Fn.Arn` followed by ":3" (version 3)
            index += 1
            continue
        new = rewrite(part, job, depth + 1)
        out.append(new)
        index += 1
        if new is not part:
            changed = True
            if whole is not None and _starts_latest(following, whole, delimiter):
                rest = _after_qualifier(following, delimiter)  # type: ignore[arg-type]
                if rest:
                    out.append(rest)
                index += 1
    return {"Fn::Join": [delimiter, out]} if changed else value


def _arn_valued(part: Any) -> bool:
    """A part that stands for a whole function ARN, not a name: a GetAtt, or text that is
    an ARN (`arn:...`, `${Fn.Arn}`)."""
    if isinstance(part, dict) and "Fn::GetAtt" in part:
        return True
    text = (
        part if isinstance(part, str) else part.get("Fn::Sub") if isinstance(part, dict) else None
    )
    text = text[0] if isinstance(text, list) and text else text
    return isinstance(text, str) and (text.startswith("arn:") or text.endswith(".Arn}"))


def _join_as_sub(value: Any, job: Rewrite, depth: int) -> Any:
    """A Join that still invokes a targeted function once its parts are rewritten (an
    ARN built from the name, `...:function:billing-` + `!Ref Stage` + `-x`) becomes the
    Fn::Sub it spells, rewritten like any Sub (`${Alias}`, a real dependency); any other
    Join is returned as it is."""
    args = value.get("Fn::Join") if isinstance(value, dict) and len(value) == 1 else None
    joined = join_as_sub(args)
    if joined is None:
        return value
    text, variables = joined
    for mention in mentions(text, job.index, variables):
        target = job.target(mention.function_id)
        if mention.invokes and target is not None and target.replaces(mention.qualifier):
            break
    else:
        return value
    as_sub = {"Fn::Sub": [text, variables]} if variables else {"Fn::Sub": text}
    new = _rewrite_sub(as_sub, as_sub["Fn::Sub"], job, depth)
    return value if new is as_sub else _whole_reference(new)


def _qualifier_text(following: Any, delimiter: Any) -> str | None:
    """The qualifier that the next Join part adds, if any (without the ':')."""
    if not isinstance(following, str):
        # In a ':'-joined ARN any further part is the qualifier, e.g. a version's
        # `!GetAtt V.Version` written by an earlier run: never add a second one.
        return "<expression>" if following is not None and delimiter == ":" else None
    if delimiter == ":":
        return following
    if following.startswith(":"):
        return re.split(r"[/\s\"]", following[1:], maxsplit=1)[0]
    return None


def _names_qualifier(following: Any, delimiter: Any, target: Target) -> bool:
    """True when the next part pins a version or alias other than $LATEST or our alias."""
    qualifier = _qualifier_text(following, delimiter)
    return qualifier is not None and not target.replaces(qualifier)


def _starts_latest(following: Any, target: Target, delimiter: Any) -> bool:
    qualifier = _qualifier_text(following, delimiter)
    return qualifier is not None and target.replaces(qualifier)


def _after_qualifier(following: str, delimiter: Any) -> str:
    """What is left of the next part once its `:$LATEST` (or `:<alias>`) is dropped."""
    if delimiter == ":":
        return ""
    qualifier = _qualifier_text(following, delimiter) or ""
    return following[1 + len(qualifier) :]
