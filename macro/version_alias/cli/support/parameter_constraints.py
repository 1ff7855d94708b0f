"""Parameter values that CloudFormation would refuse: `-p Stage=qa` outside AllowedValues.

CloudFormation checks each value a deploy passes against its parameter's declaration
before anything is created (AWS CloudFormation User Guide, "Parameters syntax",
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html):
the Type (`Number`: an integer or a float; `List<Number>`: comma-separated numbers),
`AllowedValues`, `AllowedPattern` (it must match the whole value), `MinLength`/`MaxLength`
(String types) and `MinValue`/`MaxValue` (Number types). A local render with such a value
shows versions that no deploy can make, so the CLI refuses it as a usage error naming the
parameter and the constraint.

Values are never printed (they may be NoEcho), nor are a NoEcho parameter's AllowedValues.
A list type passes when each item, or the value as a whole, meets a constraint (cfn-lint
checks a list's Default item by item, E2015). Not checked here: Defaults (cfn-lint's E2015),
SSM parameter types (the value names an SSM parameter that CloudFormation reads later),
and constraints written wrongly (a MinValue that is no number, a pattern Python's `re`
cannot compile), which cfn-lint reports.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

SSM_TYPE_PREFIX = "AWS::SSM::Parameter::Value<"
NUMBER_TYPES = ("Number", "List<Number>")
_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


def refused(values: Mapping[str, str], template: Mapping[str, Any]) -> list[str]:
    """`Name: what is wrong` for each given value its declaration refuses, in the order of
    the template's Parameters; [] when all pass. Keys the template does not declare are
    another check's (parameters.for_template)."""
    declared = template.get("Parameters")
    if not isinstance(declared, Mapping):
        return []
    problems = []
    for name, declaration in declared.items():
        if name in values and isinstance(declaration, Mapping):
            problem = value_problem(declaration, values[name])
            if problem is not None:
                problems.append(f"{name}: {problem}")
    return problems


def value_problem(declaration: Mapping[str, Any], value: str) -> str | None:
    """What is wrong with `value` for this parameter declaration (never the value itself),
    with the ConstraintDescription when the template gives one; None when it passes."""
    kind = str(declaration.get("Type", "String"))
    if kind.startswith(SSM_TYPE_PREFIX):
        return None
    if kind == "CommaDelimitedList" or kind.startswith("List<"):
        items = [item.strip() for item in value.split(",")]
        problem = _first(declaration, kind, items, "item {index} of the value given ")
        if problem is not None and kind != "List<Number>":
            problem = problem if _first(declaration, kind, [value], "") else None
    else:
        problem = _first(declaration, kind, [value], "")
    if problem is None:
        return None
    described = declaration.get("ConstraintDescription")
    if isinstance(described, str) and described.strip():
        problem += f" (its ConstraintDescription: {described.strip()})"
    return problem


def _first(declaration: Mapping[str, Any], kind: str, items: list[str], label: str) -> str | None:
    for index, item in enumerate(items, 1):
        problem = _item_problem(declaration, kind, item)
        if problem is not None:
            return label.format(index=index) + problem if label else "the value given " + problem
    return None


def _item_problem(declaration: Mapping[str, Any], kind: str, item: str) -> str | None:
    numeric = kind in NUMBER_TYPES
    number = _number(item)
    if numeric and number is None:
        return f"is not a number, as its Type {kind} requires"
    allowed = declaration.get("AllowedValues")
    if isinstance(allowed, list) and allowed and not _allowed(item, number, allowed, numeric):
        shown = "not shown: NoEcho" if _no_echo(declaration) else ", ".join(map(_text, allowed))
        return f"is not one of its AllowedValues ({shown})"
    if numeric:
        return _range_problem(declaration, number)
    return _text_problem(declaration, item)


def _range_problem(declaration: Mapping[str, Any], number: float | None) -> str | None:
    low, high = _number(declaration.get("MinValue")), _number(declaration.get("MaxValue"))
    if number is not None and low is not None and number < low:
        return f"is less than its MinValue ({_text(declaration['MinValue'])})"
    if number is not None and high is not None and number > high:
        return f"is greater than its MaxValue ({_text(declaration['MaxValue'])})"
    return None


def _text_problem(declaration: Mapping[str, Any], item: str) -> str | None:
    pattern = declaration.get("AllowedPattern")
    if isinstance(pattern, str) and not _matches(pattern, item):
        return f"does not match its AllowedPattern {pattern}"
    shortest, longest = _count(declaration.get("MinLength")), _count(declaration.get("MaxLength"))
    if shortest is not None and len(item) < shortest:
        return f"is shorter than its MinLength ({shortest})"
    if longest is not None and len(item) > longest:
        return f"is longer than its MaxLength ({longest})"
    return None


def _allowed(item: str, number: float | None, allowed: list[Any], numeric: bool) -> bool:
    if item in (_text(choice) for choice in allowed):
        return True
    return numeric and number is not None and number in {_number(choice) for choice in allowed}


def _matches(pattern: str, item: str) -> bool:
    try:
        return re.fullmatch(pattern, item) is not None
    except re.error:
        return True  # a pattern Python cannot read: not ours to judge


def _number(value: Any) -> float | None:
    """A number as CloudFormation reads one (an integer or a float), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and _NUMBER.fullmatch(value):
        return float(value)
    return None


def _count(value: Any) -> int | None:
    number = _number(value)
    return int(number) if number is not None and number == int(number) else None


def _no_echo(declaration: Mapping[str, Any]) -> bool:
    return _text(declaration.get("NoEcho", False)).lower() == "true"


def _text(value: Any) -> str:
    """A template scalar as CloudFormation hands it over: `true`, `5`, text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)
