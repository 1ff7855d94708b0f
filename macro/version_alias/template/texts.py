"""How a value reads as text: a plain string, an `Fn::Sub`, or an `Fn::Join` read as the Sub
text it builds. The recogniser (names.py) looks for function names in that text.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def value_text(value: Any) -> tuple[str | None, dict[str, Any] | None, bool]:
    """(text, variables, is_sub) of a plain string, an Fn::Sub, or an Fn::Join read as the
    Sub text it builds (`join_as_sub`); (None, None, False) for anything else."""
    if isinstance(value, dict) and len(value) == 1 and "Fn::Join" in value:
        joined = join_as_sub(value["Fn::Join"])
        return (joined[0], joined[1], True) if joined is not None else (None, None, False)
    return sub_text(value)


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


JOIN_PART = "JoinPart"  # Sub variables standing for Join parts that are not Ref or GetAtt


def join_as_sub(args: Any) -> tuple[str, dict[str, Any]] | None:
    """The `Fn::Sub` text and variables that build the same string as a Join: strings
    escaped (`${` becomes `${!`), `Ref X` as `${X}`, `GetAtt X.A` as `${X.A}`, any other
    part as a variable `${JoinPart<n>}`. None when the Join's list is not written out."""
    if not (isinstance(args, list) and len(args) == 2 and isinstance(args[1], list)):
        return None
    delimiter = args[0]
    if not isinstance(delimiter, str):
        return None
    pieces: list[str] = []
    variables: dict[str, Any] = {}
    for number, part in enumerate(args[1]):
        if isinstance(part, str):
            pieces.append(part.replace("${", "${!"))
        elif isinstance(part, dict) and len(part) == 1 and isinstance(part.get("Ref"), str):
            pieces.append("${" + part["Ref"] + "}")
        elif _getatt_text(part) is not None:
            pieces.append("${" + str(_getatt_text(part)) + "}")
        else:
            name = f"{JOIN_PART}{number}"
            variables[name] = part
            pieces.append("${" + name + "}")
    return delimiter.replace("${", "${!").join(pieces), variables


def _getatt_text(part: Any) -> str | None:
    if not (isinstance(part, dict) and len(part) == 1 and "Fn::GetAtt" in part):
        return None
    attribute = part["Fn::GetAtt"]
    parts = attribute.split(".", 1) if isinstance(attribute, str) else attribute
    if isinstance(parts, list) and len(parts) == 2 and all(isinstance(p, str) for p in parts):
        return f"{parts[0]}.{parts[1]}"
    return None


def placeholders(text: str) -> set[str]:
    """Names used as `${Name}` or `${Name.Attr}` in Sub text (not `${!Literal}`)."""
    return {match.group(1) for match in re.finditer(r"\$\{([^}!.][^}.]*)(?:\.[^}]*)?\}", text)}
