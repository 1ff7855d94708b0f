"""The hash stamp in a function's Description.

Why stamp: a new Version logical ID must always come with an update of the function
itself. Otherwise CloudFormation publishes from an unchanged function and Lambda answers
"A version for this Lambda function exists" (for example when the macro is adopted on a
function that already has a published version).

The stamped Description must stay within Lambda's limit once CloudFormation has resolved
it: `Description`, a string of 0 to 256 characters, in CreateFunction and
UpdateFunctionConfiguration (https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html,
https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionConfiguration.html). The
stamp takes 27 of them (one space and `(version-alias <10 hex>)`), so `ROOM` = 229 are left
for the user's text. How each form is stamped (`fit`):

- literal text longer than `ROOM` is cut to it, with a note saying how much was cut;
- an intrinsic that resolves to text from the parameter values the macro receives is
  kept as written when the text fits; otherwise the resolved text, cut, is written (what
  CloudFormation would have computed) and noted like literal text;
- an intrinsic with parts known only at deploy time (the stack name, another resource's
  attribute, an import, a NoEcho value) is measured between its shortest and its longest
  value (`bounds`). When even its shortest value leaves no room for the stamp, the deploy
  is certain to fail: TransformError. Such a Description is never cut, because a cut
  expression would no longer hash as the one the user wrote (the output must hash as its
  input, hashing.py). When only its longest value may overflow, a note says so.
"""

from __future__ import annotations

import re
from collections import namedtuple

from ..errors import TransformError
from ..notes import Note
from .identity import identity_of
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
_SUB_VAR = re.compile(r"\$\{([^}!][^}]*)\}")
# What CloudFormation may substitute for what the macro cannot know, at its shortest and
# its longest (pseudo parameters: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html).
# A stack name has 1 to 128 characters (CreateStack, StackName); a stack ID is an ARN
# around one, `arn:<partition>:cloudformation:<region>:<account>:stack/<name>/<uuid>`,
# counted here at its shortest without the UUID.
SHORTEST = {
    "AWS::StackName": 1,
    "AWS::StackId": len("arn:aws:cloudformation:us-east-1:123456789012:stack/a/"),
}
LONGEST = {"AWS::StackName": 128, "AWS::StackId": 230}
# The shortest value of an `Arn` attribute: the documented ARN of the type with a
# one-character name (IAM: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html,
# `arn:aws:iam::123456789012:role/<name>`), else the general
# `arn:<partition>:<service>:<region>:<account>:<resource>` with the shortest partition and
# service and no region or account (`arn:aws:s3:::<bucket>`).
SHORTEST_ARN = {"AWS::IAM::Role": len("arn:aws:iam::123456789012:role/r")}
SHORTEST_ANY_ARN = len("arn:aws:s3:::b")
# A dynamic reference (`{{resolve:ssm:name}}`, `{{resolve:secretsmanager:...}}`) is
# replaced by its value when CloudFormation deploys, anywhere in a string property
# (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html):
# its length is unknown (at least 0), and a cut must never split or drop one.
_DYNAMIC = re.compile(r"\{\{resolve:[^}]*\}\}")


def stamp_text(digest: str) -> str:
    return f"(version-alias {digest})"


# The user's text a stamped Description keeps: what is left after one space and the stamp.
STAMP_LENGTH = len(stamp_text("0" * 10)) + 1
ROOM = MAX_DESCRIPTION - STAMP_LENGTH


def kept(text: str) -> str:
    """The part of a Description text that a stamped Description keeps (and that a
    published version captures, so the hash covers exactly this): all of a text with a
    dynamic reference, which is never cut."""
    return text if _DYNAMIC.search(text) else text[:ROOM]


def strip(description: Any) -> Any:
    """The user's own Description, whether or not the macro stamped it before; None for a
    stamp that stands alone (the function had no Description)."""
    if isinstance(description, str):
        if _STAMP_ONLY.fullmatch(description):
            return None
        return _STAMP.sub("", description)
    joined = _stamped_join(description)
    return joined if joined is not None else description


class Fit(namedtuple("Fit", ("text", "length", "cut", "fits", "written"))):
    """How a Description takes the stamp.

    text: what goes before the stamp: a str (cut to ROOM), the intrinsic as written, or
    None (no Description: the stamp stands alone); length: the characters of the user's
    text, resolved where it could be, before any cut (int; for text with parts known only
    at deploy time, its shortest); cut: how many of them were cut (int); fits: False when
    the stamped Description may exceed 256
    characters once resolved; written: "literal", "resolved" (an intrinsic written as the
    text it resolves to) or "intrinsic" (kept as written).
    """

    __slots__ = ()


def fit(
    description: Any,
    resolve: Callable[[Any], Any] | None = None,
    path: tuple[Any, ...] = (),
) -> Fit:
    """How `description` (stamped or not) takes the stamp. `resolve` is Resolver.resolve;
    without it an intrinsic is assumed to fit. Raises TransformError (at `path`) for a
    Description certain to exceed 256 characters with the stamp."""
    base = strip(description)
    if isinstance(base, bool | int | float):
        base = str(base).lower() if isinstance(base, bool) else str(base)
    if base is None or base == {"Ref": "AWS::NoValue"}:
        return Fit(None, 0, 0, True, "literal")
    if isinstance(base, str) and not _DYNAMIC.search(base):
        return _cut(base, "literal")
    if resolve is None and not isinstance(base, str):
        return Fit(base, 0, 0, True, "intrinsic")
    resolved = base if isinstance(base, str) else resolve(base)  # type: ignore[misc]
    if resolved is NO_VALUE:
        return Fit(None, 0, 0, True, "resolved")
    shortest, longest = bounds(resolved)
    if longest is not None and longest <= ROOM:
        return Fit(base, longest, 0, True, "intrinsic")
    if isinstance(resolved, str) and not _DYNAMIC.search(resolved):
        return _cut(resolved, "resolved")  # what CloudFormation would compute, cut
    if shortest > ROOM:
        used = parameters_used(base, resolve) if resolve is not None else []
        raise _too_long(shortest, used, path)
    return Fit(base, shortest, 0, False, "literal" if isinstance(base, str) else "intrinsic")


def apply(
    description: Any,
    digest: str,
    resolve: Callable[[Any], Any] | None = None,
    path: tuple[Any, ...] = (),
) -> Any:
    """The Description with the stamp replacing any earlier one (see `fit`)."""
    text = fit(description, resolve, path).text
    stamp = stamp_text(digest)
    if text is None:
        return stamp
    if isinstance(text, str):
        return f"{text} {stamp}"
    return {"Fn::Join": ["", [text, f" {stamp}"]]}


def notes(description: Any, resolve: Callable[[Any], Any], path: tuple[Any, ...]) -> list[Note]:
    """What the user must hear about stamping `description` (the function's own, before
    the macro ran): text cut to make room, or a length that may exceed 256 characters."""
    found = fit(description, resolve, path)
    if found.cut:
        used = parameters_used(strip(description), resolve)
        return [_cut_note(found, used, path)]
    if not found.fits:
        return [
            Note(
                "with the version stamp, the Description may exceed Lambda's 256 characters "
                "once CloudFormation resolves it (its length depends on values known only "
                "then).",
                path,
                "shorten the Description, or build it from parameters only.",
            )
        ]
    return []


def bounds(resolved: Any) -> tuple[int, int | None]:
    """(the fewest, the most) characters a resolved value can become once CloudFormation
    resolves it; the most is None when it has no known limit. A NoEcho value counts as
    unknown: the macro may receive it masked."""
    if isinstance(resolved, str):
        references = _DYNAMIC.findall(resolved)
        if references:
            return len(resolved) - sum(len(reference) for reference in references), None
        return len(resolved), len(resolved)
    if resolved is NO_VALUE:
        return 0, 0
    if isinstance(resolved, Secret) or not isinstance(resolved, dict) or len(resolved) != 1:
        return 0, None
    record = identity_of(resolved)
    if record is not None:
        return _shortest_attribute(record), None
    key, args = next(iter(resolved.items()))
    if key == "Ref":
        return (SHORTEST.get(args, 0), LONGEST.get(args)) if isinstance(args, str) else (0, None)
    if key == "Fn::If" and isinstance(args, list) and len(args) == 3:
        (low, high), (low2, high2) = bounds(args[1]), bounds(args[2])
        return min(low, low2), None if high is None or high2 is None else max(high, high2)
    if key == "Fn::Sub" and isinstance(args, list) and len(args) == 2:
        text, unresolved = args
        if isinstance(text, str) and isinstance(unresolved, dict):
            return _sub_bounds(text, unresolved)
    if key == "Fn::Join" and isinstance(args, list) and len(args) == 2:
        delimiter, items = args
        if isinstance(items, list):
            low, high = _sum([bounds(item) for item in items])
            if isinstance(delimiter, str):
                extra = len(delimiter) * max(len(items) - 1, 0)
                return low + extra, None if high is None else high + extra
            return low, None
    return 0, None


def parameters_used(description: Any, resolve: Callable[[Any], Any]) -> list[str]:
    """The names of the template parameters a Description uses (for a hint: names only,
    never values), in order of appearance."""
    names: list[str] = []
    _collect_names(description, names)
    used = []
    for name in names:
        if name.startswith("AWS::") or name in used:
            continue
        resolved = resolve({"Ref": name})
        if identity_of(resolved) is None and resolved is not NO_VALUE:
            used.append(name)
    return used


def _cut(text: str, written: str) -> Fit:
    return Fit(kept(text), len(text), max(len(text) - ROOM, 0), True, written)


def _sum(parts: list[tuple[int, int | None]]) -> tuple[int, int | None]:
    low = sum(part[0] for part in parts)
    highs = [part[1] for part in parts]
    return low, None if None in highs else sum(highs)  # type: ignore[arg-type]


def _sub_bounds(text: str, unresolved: dict[str, Any]) -> tuple[int, int | None]:
    parts = [(len(text), len(text))]
    for found in _SUB_VAR.finditer(text):
        name = found.group(1).strip()
        if name in unresolved:
            low, high = bounds(unresolved[name])
            size = len(found.group(0))
            parts.append((low - size, None if high is None else high - size))
    return _sum(parts)


def _shortest_attribute(record: Any) -> int:
    attribute = record.get("Attribute")
    if attribute is None:
        return 1  # a resource's Ref: its physical ID or name, never empty
    if isinstance(attribute, str) and attribute.endswith("Arn"):
        if attribute == "Arn":
            return SHORTEST_ARN.get(record.get("Type"), SHORTEST_ANY_ARN)
        return SHORTEST_ANY_ARN
    return 0


def _collect_names(value: Any, names: list[str]) -> None:
    if isinstance(value, list):
        for item in value:
            _collect_names(item, names)
        return
    if not isinstance(value, dict):
        return
    for key, args in value.items():
        if key == "Ref" and isinstance(args, str):
            names.append(args)
        elif key == "Fn::Sub":
            text, variables = (args, {}) if isinstance(args, str) else (None, None)
            if isinstance(args, list) and len(args) == 2:
                text, variables = args
            if isinstance(text, str):
                local = variables if isinstance(variables, dict) else {}
                names.extend(
                    name
                    for name in (found.group(1).strip() for found in _SUB_VAR.finditer(text))
                    if name not in local and "." not in name
                )
            _collect_names(variables, names)
        else:
            _collect_names(args, names)


def _shorten(used: list[str]) -> str:
    """`shorten the Description` and, when it uses parameters, their values."""
    if not used:
        return "shorten the Description"
    label = "parameter" if len(used) == 1 else "parameters"
    return f"shorten the Description, or the value of {label} {', '.join(used)},"


def _too_long(shortest: int, used: list[str], path: tuple[Any, ...]) -> TransformError:
    return TransformError(
        f"the Description has at least {shortest} characters once CloudFormation resolves "
        f"it, so with the {STAMP_LENGTH}-character version stamp it cannot fit Lambda's "
        f"{MAX_DESCRIPTION} (the deploy would fail).",
        path=path,
        hint=f"{_shorten(used)} by at least "
        f"{shortest - ROOM} characters: {ROOM} are left next to the stamp.",
    )


def _cut_note(found: Fit, used: list[str], path: tuple[Any, ...]) -> Note:
    how = "it is written resolved and " if found.written == "resolved" else ""
    length = "once resolved " if found.written == "resolved" else ""
    return Note(
        f"the Description has {found.length} characters {length}and the version stamp "
        f"takes {STAMP_LENGTH} of Lambda's {MAX_DESCRIPTION}, so {how}its last {found.cut} "
        f"characters were cut.",
        path,
        f"{_shorten(used)} to at most {ROOM} characters in all to keep all of it.",
    )


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
