"""The hash stamp in a function's Description.

Why stamp: a new Version logical ID must always come with an update of the function
itself. Otherwise CloudFormation publishes from an unchanged function and Lambda answers
"A version for this Lambda function exists" (for example when the macro is adopted on a
function that already has a published version).

The stamped Description must stay within Lambda's 256 characters once CloudFormation has
resolved it (https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html,
Description: length 0-256). Literal text is cut to make room. An intrinsic is resolved
from the parameter values the macro receives: when it would overflow, the resolved text
(cut) is written instead, which is what CloudFormation would have computed. What cannot be
resolved (the stack name, another resource's attribute) is measured at its longest; when
even that may overflow, the caller is told.
"""

from __future__ import annotations

import re

from .noecho import Secret
from .resolve import NO_VALUE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

MAX_DESCRIPTION = 256
# A stamp follows the user's text after one space; without a Description it stands alone.
# The two are told apart so that a stamped Description hashes exactly like the input did
# (an empty Description and none at all are different hash inputs).
_STAMP = re.compile(r" \(version-alias [0-9a-f]{10}\)$")
_STAMP_ONLY = re.compile(r"\(version-alias [0-9a-f]{10}\)")
# The longest values CloudFormation may substitute for what the macro cannot know.
# Stack names: 128 characters (CreateStack); a stack ID is an ARN around one, with a UUID.
LONGEST = {"AWS::StackName": 128, "AWS::StackId": 230}


def stamp_text(digest: str) -> str:
    return f"(version-alias {digest})"


# The user's text a stamped Description keeps: what is left after one space and the stamp.
ROOM = MAX_DESCRIPTION - len(stamp_text("0" * 10)) - 1


def kept(text: str) -> str:
    """The part of a Description text that a stamped Description keeps (and that a
    published version captures, so the hash covers exactly this)."""
    return text[:ROOM]


def strip(description: Any) -> Any:
    """The user's own Description, whether or not the macro stamped it before; None for a
    stamp that stands alone (the function had no Description)."""
    if isinstance(description, str):
        if _STAMP_ONLY.fullmatch(description):
            return None
        return _STAMP.sub("", description)
    joined = _stamped_join(description)
    return joined if joined is not None else description


def apply(
    description: Any, digest: str, resolve: Callable[[Any], Any] | None = None
) -> tuple[Any, bool]:
    """(the Description with the stamp replacing any earlier one, whether it is sure to
    fit in 256 characters). `resolve` is Resolver.resolve; without it an intrinsic is
    assumed to fit."""
    base = strip(description)
    stamp = stamp_text(digest)
    if isinstance(base, bool | int | float):
        base = str(base).lower() if isinstance(base, bool) else str(base)
    if base is None or base == {"Ref": "AWS::NoValue"}:
        return stamp, True
    if isinstance(base, str):
        return f"{kept(base)} {stamp}", True
    joined = {"Fn::Join": ["", [base, f" {stamp}"]]}
    if resolve is None:
        return joined, True
    resolved = resolve(base)
    longest = _longest(resolved)
    if longest is not None and longest <= ROOM:
        return joined, True
    if isinstance(resolved, str):
        return f"{kept(resolved)} {stamp}", True  # what CloudFormation would compute, cut
    if resolved is NO_VALUE:
        return stamp, True
    return joined, False


def _longest(resolved: Any) -> int | None:
    """The most characters a resolved value can become; None when it cannot be known."""
    if isinstance(resolved, str):
        return len(resolved)
    if resolved is NO_VALUE:
        return 0
    if isinstance(resolved, Secret) or not isinstance(resolved, dict) or len(resolved) != 1:
        return None
    key, args = next(iter(resolved.items()))
    if key == "Ref":
        return LONGEST.get(args) if isinstance(args, str) else None
    if key == "Fn::If" and isinstance(args, list) and len(args) == 3:
        branches = [_longest(branch) for branch in args[1:]]
        return None if None in branches else max(branches)  # type: ignore[type-var]
    if key == "Fn::Sub" and isinstance(args, list) and len(args) == 2:
        text, unresolved = args
        if not (isinstance(text, str) and isinstance(unresolved, dict)):
            return None
        length = len(text)
        for name, value in unresolved.items():
            longest = _longest(value)
            if longest is None:
                return None
            placeholder = "${" + name + "}"
            length += text.count(placeholder) * (longest - len(placeholder))
        return length
    if key == "Fn::Join" and isinstance(args, list) and len(args) == 2:
        delimiter, items = args
        if not (isinstance(delimiter, str) and isinstance(items, list)):
            return None
        parts = [_longest(item) for item in items]
        if None in parts:
            return None
        return sum(parts) + len(delimiter) * max(len(items) - 1, 0)  # type: ignore[arg-type]
    return None


def _stamped_join(value: Any) -> Any:
    if not (isinstance(value, dict) and len(value) == 1 and "Fn::Join" in value):
        return None
    args = value["Fn::Join"]
    if not (isinstance(args, list) and len(args) == 2 and args[0] == ""):
        return None
    parts = args[1]
    if isinstance(parts, list) and len(parts) == 2 and isinstance(parts[1], str):
        return parts[0] if _STAMP.fullmatch(parts[1]) else None
    return None
