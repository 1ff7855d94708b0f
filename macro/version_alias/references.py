"""Recognise how a template names one of its functions, and point that name elsewhere.

A rewritten site always references the alias (or version) *resource*: `!Ref Alias` or
`${Alias}`. A string such as `${Fn.Arn}:live` would give CloudFormation no dependency,
and the first deploy would fail with "Cannot find alias arn" (SAM issue 316). Where a
template builds the ARN from the function *name* inside `Fn::Join`, the qualifier is
added as a string and the consumer gets a `DependsOn` instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import TransformError

MAX_DEPTH = 100
_SEGMENT = r"(?:[^:${}]|\$\{[^}]*\})*"
_SUB_REFERENCE = re.compile(
    rf"(?P<arn>arn:{_SEGMENT}:lambda:{_SEGMENT}:{_SEGMENT}:function:)?"
    r"\$\{(?P<id>[A-Za-z0-9]+)(?P<attr>\.Arn)?\}"
    r"(?P<qualifier>:(?:\$LATEST|[A-Za-z0-9_-]+))?"
)


@dataclass(frozen=True)
class Target:
    """Where invocations of one function go instead of `$LATEST`."""

    function_id: str
    alias_id: str
    alias_name: str | None
    version_id: str | None

    def replacement(self, mode: str) -> str | None:
        return self.version_id if mode == "version" else self.alias_id

    def qualifier(self, mode: str) -> Any:
        if mode == "version":
            return {"Fn::GetAtt": [self.version_id, "Version"]} if self.version_id else None
        return self.alias_name


@dataclass
class Rewrite:
    """One site's rewrite: the targets to use and the DependsOn it turned out to need."""

    targets: Mapping[str, Target]
    mode: str
    depends_on: set[str] = field(default_factory=set)

    def target(self, function_id: Any) -> Target | None:
        if not isinstance(function_id, str):
            return None
        target = self.targets.get(function_id)
        if target is None or target.replacement(self.mode) is None:
            return None
        return target


def referenced_function(value: Any) -> str | None:
    """The logical ID of the function a value names (Ref, GetAtt .Arn or a Sub string)."""
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
            found = _SUB_REFERENCE.fullmatch(text)
            if found and (found.group("arn") or found.group("attr") or found.group(0) == text):
                return found.group("id")
    return None


def rewrite(value: Any, job: Rewrite, depth: int = 0) -> Any:
    """The value with every reference to a targeted function pointed at its alias or
    version; the very same object when nothing changed."""
    if depth > MAX_DEPTH:
        raise TransformError(f"nesting deeper than {MAX_DEPTH} levels.")
    if not isinstance(value, dict) or len(value) != 1:
        return value
    key, args = next(iter(value.items()))
    if key == "Ref" or key == "Fn::GetAtt":
        function_id = referenced_function(value)
        target = job.target(function_id)
        return {"Ref": target.replacement(job.mode)} if target else value
    if key == "Fn::Sub":
        return _rewrite_sub(value, args, job, depth)
    if key == "Fn::Join":
        return _rewrite_join(value, args, job, depth)
    if key == "Fn::If" and isinstance(args, list) and len(args) == 3:
        first, second = rewrite(args[1], job, depth + 1), rewrite(args[2], job, depth + 1)
        if first is args[1] and second is args[2]:
            return value
        return {"Fn::If": [args[0], first, second]}
    return value


def _rewrite_sub_text(text: str, job: Rewrite) -> str:
    def substitute(found: re.Match[str]) -> str:
        target = job.target(found.group("id"))
        if target is None:
            return found.group(0)
        names_arn = found.group("arn") or found.group("attr")
        if not names_arn and found.group(0) != text:
            return found.group(0)  # a bare name inside a longer string is not an invocation
        qualifier = found.group("qualifier")
        if qualifier not in (None, ":$LATEST", f":{target.alias_name}"):
            return found.group(0)  # already pinned to another version or alias
        return "${" + str(target.replacement(job.mode)) + "}"

    return _SUB_REFERENCE.sub(substitute, text)


def _rewrite_sub(value: Any, args: Any, job: Rewrite, depth: int) -> Any:
    if isinstance(args, str):
        text = _rewrite_sub_text(args, job)
        return value if text == args else {"Fn::Sub": text}
    if isinstance(args, list) and len(args) == 2 and isinstance(args[0], str):
        variables = args[1] if isinstance(args[1], dict) else {}
        text = _rewrite_sub_text(args[0], job)
        new_vars = {name: rewrite(item, job, depth + 1) for name, item in variables.items()}
        changed = any(new_vars[name] is not variables[name] for name in variables)
        if text == args[0] and not changed:
            return value
        return {"Fn::Sub": [text, new_vars if isinstance(args[1], dict) else args[1]]}
    return value


def _rewrite_join(value: Any, args: Any, job: Rewrite, depth: int) -> Any:
    if not (isinstance(args, list) and len(args) == 2 and isinstance(args[1], list)):
        return value
    delimiter, parts = args
    out: list[Any] = []
    changed = False
    index = 0
    while index < len(parts):
        part = parts[index]
        target = job.target(_name_after_function_prefix(parts, index, delimiter))
        qualifier = target.qualifier(job.mode) if target else None
        following = parts[index + 1] if index + 1 < len(parts) else None
        latest = "$LATEST" if delimiter == ":" else ":$LATEST"
        if target and _names_qualifier(following, delimiter):
            out.append(part)  # already pinned to a version or alias
            index += 1
            continue
        if target and qualifier is not None:
            out.append(part)
            if delimiter == ":":
                out.append(qualifier)
            else:
                out.extend([f":{qualifier}"] if isinstance(qualifier, str) else [":", qualifier])
            if job.mode != "version":
                job.depends_on.add(target.alias_id)
            changed = True
            index += 2 if following == latest else 1
            continue
        new = rewrite(part, job, depth + 1)
        changed = changed or new is not part
        out.append(new)
        index += 1
    return {"Fn::Join": [delimiter, out]} if changed else value


def _name_after_function_prefix(parts: list[Any], index: int, delimiter: Any) -> str | None:
    """The function ID when part `index` is `{"Ref": Fn}` placed right after `...:function:`
    (or after a `function` part in a ':'-joined list): an ARN built from the name."""
    part = parts[index]
    if not (isinstance(part, dict) and len(part) == 1 and isinstance(part.get("Ref"), str)):
        return None
    previous = parts[index - 1] if index else None
    if delimiter == "" and isinstance(previous, str) and previous.endswith(":function:"):
        return part["Ref"]
    if delimiter == ":" and previous == "function":
        return part["Ref"]
    return None


def _names_qualifier(following: Any, delimiter: Any) -> bool:
    """True when the next part already pins a version or alias other than $LATEST."""
    if following is None:
        return False
    if delimiter == ":":
        return following != "$LATEST"
    if isinstance(following, str):
        return following.startswith(":") and following != ":$LATEST"
    return False
