"""The hash stamp in a function's Description.

Why stamp: a new Version logical ID must always come with an update of the function
itself. Otherwise CloudFormation publishes from an unchanged function and Lambda answers
"A version for this Lambda function exists" (for example when the macro is adopted on a
function that already has a published version).
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MAX_DESCRIPTION = 256
# A stamp follows the user's text after one space; without a Description it stands alone.
# The two are told apart so that a stamped Description hashes exactly like the input did
# (an empty Description and none at all are different hash inputs).
_STAMP = re.compile(r" \(version-alias [0-9a-f]{10}\)$")
_STAMP_ONLY = re.compile(r"\(version-alias [0-9a-f]{10}\)")


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


def apply(description: Any, digest: str) -> Any:
    """The Description with the stamp replacing any earlier one; stays within 256 chars."""
    base = strip(description)
    stamp = stamp_text(digest)
    if isinstance(base, bool | int | float):
        base = str(base).lower() if isinstance(base, bool) else str(base)
    if base is None or base == {"Ref": "AWS::NoValue"}:
        return stamp
    if isinstance(base, str):
        return f"{kept(base)} {stamp}"
    return {"Fn::Join": ["", [base, f" {stamp}"]]}


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
