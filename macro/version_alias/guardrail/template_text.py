"""The template text a stack-level hook receives, as a template dict.

CloudFormation hands the hook "the full CloudFormation template that was provided to
create-stack or update-stack. It can be a JSON or YAML string depending on what was
provided to CloudFormation."
(https://docs.aws.amazon.com/cloudformation-cli/latest/hooks-userguide/lambda-hooks-create-lambda-function.html#lambda-hook-stack-payload-template)
So the text is read as `version-alias check` reads a file (cli/support/template_load.py):
JSON first when it starts with `{` (a duplicate key is an error), YAML otherwise or when
that JSON does not parse (yaml_reader.py). Problems are one line with the line and
column, never quoting the template.
"""

from __future__ import annotations

import json

from .yaml_reader import read_yaml
from .yaml_scalars import YamlError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class TemplateTextError(Exception):
    """The text is not a template; the message says where and what."""


def read_template(text: str) -> dict[str, Any]:
    """The template in `text`. Raises TemplateTextError."""
    body = text.removeprefix("\ufeff")
    if not body.strip():
        raise TemplateTextError("the template is empty")
    value: Any
    if body.lstrip().startswith("{"):
        try:
            value = json.loads(body, object_pairs_hook=_no_duplicates)
        except _Duplicate as duplicate:
            needle = json.dumps(duplicate.key)
            second = body.find(needle, body.find(needle) + 1)
            line, column = _position(body, second)
            raise TemplateTextError(
                f"line {line}, column {column}: a duplicate key; CloudFormation would keep only one"
            ) from None
        except json.JSONDecodeError as problem:
            try:
                value = read_yaml(body)
            except (YamlError, RecursionError):
                raise TemplateTextError(
                    f"line {problem.lineno}, column {problem.colno}: not valid JSON ({problem.msg})"
                ) from None
    else:
        try:
            value = read_yaml(body)
        except YamlError as problem:
            line, column = _position(body, problem.position)
            raise TemplateTextError(
                f"line {line}, column {column}: not valid YAML ({problem.what})"
            ) from None
        except RecursionError:
            raise TemplateTextError("the template nests too deeply to read") from None
    if not isinstance(value, dict):
        raise TemplateTextError("a template must be a mapping at the top, with its sections")
    return value


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _Duplicate(key)
        found[key] = value
    return found


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset in the text."""
    offset = max(0, min(offset, len(text)))
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1
